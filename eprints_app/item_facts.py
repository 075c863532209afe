"""What an item's record says once it is read: its authors, its type with sub-type, its DOI,
its pages and keywords, the files anyone may download, and the addresses of all of these.

Exports, the page's metadata, the citation, templates (through ``templatetags.eprints``)
and feeds all read these, so that each is worked out in one place. Everything here reads
only what ``Item.objects.with_parts()`` prefetched: it makes no queries.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from eprints_app.access import is_open_access
from eprints_app.enums import LICENCE_URLS, CreatorRole, ItemType, MonographType, PresentationType, ThesisType
from eprints_app.models import Creator, Document, Item
from eprints_app.text import one_line

# Labels by value, looked up once: an OAI-PMH page asks for a hundred items' types.
TYPE_LABELS = dict(ItemType.choices)
# The item types that have a sub-type: the field that holds it and its labels.
SUBTYPES = {
    ItemType.MONOGRAPH: ("monograph_type", dict(MonographType.choices)),
    ItemType.THESIS: ("thesis_type", dict(ThesisType.choices)),
    ItemType.CONFERENCE_ITEM: ("pres_type", dict(PresentationType.choices)),
}
DOI_RESOLVER = "https://doi.org/"
# How a DOI may be written in the Identification Number; each is taken off in this order.
DOI_PREFIXES = ("https://doi.org/", "http://dx.doi.org/", "doi:")
ORCID_RESOLVER = "https://orcid.org/"
PAGE_RANGE = re.compile(r"^\s*(\w+)\s*[-\u2010-\u2015]+\s*(\w+)\s*$")
KEYWORD_SEPARATOR = re.compile(r"\s*[;\n]\s*")
# EPrints' file sizes: SI units, largest first.
SI_UNITS = [(10**9, "GB"), (10**6, "MB"), (10**3, "kB")]


def absolute_url(path: str) -> str:
    """A path on the public site, on BASE_URL whatever host a request came in on."""
    return f"{settings.BASE_URL}{path}"


def page_url(item: Item) -> str:
    """The item page's canonical address (the URI with its trailing slash)."""
    return absolute_url(item.get_absolute_url())


def download_url(document: Document) -> str:
    return absolute_url(document.get_absolute_url())


def people(item: Item, role: str) -> list[Creator]:
    """The item's creators or editors, in citation order."""
    return [person for person in item.creator_list if person.role == role]


def authors(item: Item) -> list[Creator]:
    return people(item, CreatorRole.CREATOR)


def editors(item: Item) -> list[Creator]:
    return people(item, CreatorRole.EDITOR)


def orcid_url(person: Creator) -> str:
    return f"{ORCID_RESOLVER}{person.orcid}" if person.orcid else ""


def subtype_label(item: Item) -> str:
    """ "Technical Report", "Doctoral", "Poster"...: the label of the item's sub-type, if it has one."""
    if item.type not in SUBTYPES:
        return ""
    field, labels = SUBTYPES[item.type]
    return labels.get(getattr(item, field), "")


def type_name(item: Item) -> str:
    """The item type's label ("Article"); a type outside the vocabulary (only a script could
    have stored it, or a type since withdrawn) as it is stored."""
    return TYPE_LABELS.get(item.type, item.type)


def type_label(item: Item) -> str:
    """The item type with its sub-type in brackets: "Monograph (Technical Report)"."""
    label = type_name(item)
    subtype = subtype_label(item)
    return f"{label} ({subtype})" if subtype else label


def thesis_label(item: Item) -> str:
    """What kind of thesis it is, as citations say: "Doctoral thesis", or "Thesis"."""
    subtype = subtype_label(item)
    return f"{subtype} thesis" if subtype else "Thesis"


def issuing_body(item: Item) -> str:
    """Who issued it: the publisher, else (for a report or thesis) the institution."""
    return item.publisher or item.institution


def doi(item: Item) -> str:
    """The bare DOI ("10.5555/x") when the Identification Number is one, else ""."""
    value = item.id_number.strip()
    for prefix in DOI_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return value if value.startswith("10.") else ""


def doi_url(item: Item) -> str:
    """The DOI as a link ("https://doi.org/10.5555/x"), else ""."""
    found = doi(item)
    return f"{DOI_RESOLVER}{found}" if found else ""


def official_url(item: Item) -> str:
    """The Official URL when it is a web address the deposit form would accept, else "".

    Only a script or the shell can store anything else (``javascript:``, text with spaces):
    such a value is shown as text, never made a link or a MODS URL (``xs:anyURI``).
    """
    try:
        URLValidator()(item.official_url)
    except ValidationError:
        return ""
    return item.official_url


def page_range(item: Item) -> tuple[str, str]:
    """First and last page of "211-239"; ("", "") when the range is not two pages."""
    match = PAGE_RANGE.match(item.pagerange)
    return (match[1], match[2]) if match else ("", "")


def date_parts(item: Item) -> list[int]:
    """[2021], [2020, 6] or [2021, 3, 29]; [] without a date."""
    # isascii(): str.isdigit() is true of "²" too, which int() refuses.
    return [int(part) for part in item.date.split("-") if part.isascii() and part.isdigit()]


def keyword_list(item: Item) -> list[str]:
    """Uncontrolled keywords, split on semicolons or lines (or commas when there are neither)."""
    text = item.keywords.strip()
    if not text:
        return []
    parts = KEYWORD_SEPARATOR.split(text) if re.search(r"[;\n]", text) else text.split(",")
    return [one_line(part) for part in parts if part.strip()]


def open_documents(item: Item) -> list[Document]:
    """Documents anyone may download now, in position order."""
    return [document for document in item.document_list if is_open_access(document)]


def document_licence_url(document: Document) -> str:
    return LICENCE_URLS.get(document.license, "")


def licence_url(item: Item) -> str:
    """The licence of the first open-access document that has one."""
    for document in open_documents(item):
        if document.license:
            return document_licence_url(document)
    return ""


def filesize(size: int) -> str:
    """EPrints' sizes: SI units, integer-divided, no space: 279,412 bytes -> "279kB"."""
    for factor, unit in SI_UNITS:
        if size >= factor:
            return f"{size // factor}{unit}"
    return f"{size}B"
