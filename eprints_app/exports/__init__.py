"""The one registry of export formats.

Adding a format is one class in a module of this package, decorated with ``@register``,
and its module named in ``FORMAT_MODULES``.
"""

from importlib import import_module

from eprints_app.exports.base import ExportFormat

REGISTRY: dict[str, ExportFormat] = {}

FORMAT_MODULES = [
    "atom",
    "bibtex",
    "citation_text",
    "coins",
    "contextobject",
    "csl_json",
    "csv_export",
    "dublin_core",
    "endnote",
    "ep3xml",
    "html_citation",
    "json_export",
    "mets",
    "mods",
    "refer",
    "ris",
    "rss2",
]


def register(cls: type[ExportFormat]) -> type[ExportFormat]:
    """Class decorator: add one instance of the format to the registry."""
    if cls.identifier in REGISTRY:
        raise ValueError(f"Export format {cls.identifier!r} is registered twice.")
    REGISTRY[cls.identifier] = cls()
    return cls


def get_format(identifier: str) -> ExportFormat | None:
    return REGISTRY.get(identifier)


def public_formats() -> list[ExportFormat]:
    """Formats anyone may use, in menu order (by name)."""
    return sorted((f for f in REGISTRY.values() if f.public), key=lambda f: f.name.lower())


def oai_formats() -> dict[str, ExportFormat]:
    """Formats offered over OAI-PMH, by metadataPrefix."""
    return {f.oai_prefix: f for f in REGISTRY.values() if f.oai_prefix and f.public}


for _module in FORMAT_MODULES:
    import_module(f"eprints_app.exports.{_module}")

__all__ = ["REGISTRY", "ExportFormat", "get_format", "oai_formats", "public_formats", "register"]
