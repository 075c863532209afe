"""The shape of an export format: one small declarative class per format.

The item page's "Export" menu, the export URLs (``/cgi/export/eprint/<id>/<Format>/...``),
list exports and OAI-PMH all read the one registry in ``eprints_app.exports``.
"""

from collections.abc import Sequence

from django.conf import settings
from django.urls import reverse

from eprints_app.models import Item


class ExportFormat:
    """A format in which items can be exported.

    Subclasses set the attributes and implement ``render``; items come with their parts
    prefetched (``Item.objects.with_parts()``), so rendering makes no queries.
    """

    #: The name in EPrints' export URLs, e.g. "BibTeX".
    identifier: str = ""
    #: What readers see in the "Export" menu.
    name: str = ""
    #: The file extension, without the dot.
    extension: str = "txt"
    content_type: str = "text/plain; charset=utf-8"
    #: Formats that could carry personal data are for staff only (EPrints 3.4.6 and later).
    public: bool = True
    #: OAI-PMH metadataPrefix, namespace and schema, for formats offered to harvesters.
    oai_prefix: str | None = None
    oai_namespace: str | None = None
    oai_schema: str | None = None

    def render(self, items: Sequence[Item]) -> str:
        """The export of a list of items (one item is a list of one)."""
        raise NotImplementedError

    def render_oai(self, item: Item) -> str:
        """The XML that goes inside an OAI-PMH <metadata> element: one item, no XML declaration."""
        raise NotImplementedError

    def filename(self, item: Item | None = None) -> str:
        """EPrints' file name: "<repoid>-eprint-<id>.<ext>", or "<repoid>-export.<ext>" for a list."""
        stem = f"eprint-{item.pk}" if item is not None else "export"
        return f"{settings.REPOSITORY_ID}-{stem}.{self.extension}"

    def url(self, item: Item) -> str:
        """/cgi/export/eprint/<id>/<Format>/<repoid>-eprint-<id>.<ext>"""
        return reverse("export", args=[item.pk, self.identifier, self.filename(item)])
