"""Template filters for EPrints' ways of showing values."""

from django import template

from eprints_app.enums import LICENCE_URLS, ItemType, MonographType, PresentationType, ThesisType

register = template.Library()

SI_UNITS = [(10**9, "GB"), (10**6, "MB"), (10**3, "kB")]


@register.filter
def filesize(size: int) -> str:
    """EPrints' sizes: SI units, integer-divided, no space: 279,412 bytes -> "279kB"."""
    for factor, unit in SI_UNITS:
        if size >= factor:
            return f"{size // factor}{unit}"
    return f"{size}B"


@register.filter
def type_label(item) -> str:
    """The item type with its sub-type in brackets: "Monograph (Report)"."""
    label = ItemType(item.type).label
    subtype = {
        ItemType.MONOGRAPH: (MonographType, item.monograph_type),
        ItemType.THESIS: (ThesisType, item.thesis_type),
        ItemType.CONFERENCE_ITEM: (PresentationType, item.pres_type),
    }.get(item.type)
    if subtype and subtype[1]:
        return f"{label} ({subtype[0](subtype[1]).label})"
    return label


@register.filter
def licence_url(code: str) -> str:
    return LICENCE_URLS.get(code, "")


@register.filter
def doi_url(identifier: str) -> str:
    """A link for an identification number that is a DOI; empty otherwise."""
    value = identifier.strip()
    for prefix in ("https://doi.org/", "http://dx.doi.org/", "doi:"):
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return f"https://doi.org/{value}" if value.startswith("10.") else ""
