"""EndNote's tagged import format (.enw): refer's tags plus %0 (the reference type) and others."""

from collections.abc import Sequence

from django.conf import settings

from eprints_app.enums import ItemType
from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.exports.refer import Tags, core_tags, write_records
from eprints_app.item_facts import doi, subtype_label
from eprints_app.models import Item

REFERENCE_TYPES = {
    ItemType.MONOGRAPH: "Report",
    ItemType.ARTICLE: "Journal Article",
    ItemType.BOOK: "Book",
    ItemType.BOOK_SECTION: "Book Section",
    ItemType.CONFERENCE_ITEM: "Conference Paper",
    ItemType.THESIS: "Thesis",
    ItemType.PATENT: "Patent",
    ItemType.DATASET: "Dataset",
}
# In these reference types EndNote keeps the series in the secondary title (%B).
SERIES_AS_SECONDARY = {ItemType.MONOGRAPH, ItemType.BOOK}


def endnote_tags(item: Item) -> Tags:
    tags = [("%0", REFERENCE_TYPES.get(item.type, "Generic")), ("%9", subtype_label(item))]
    for tag, value in core_tags(item):
        tags.append(("%B" if tag == "%S" and item.type in SERIES_AS_SECONDARY else tag, value))
    tags += [
        ("%8", item.date if len(item.date) > 4 else ""),
        ("%7", item.edition),
        ("%@", item.isbn or item.issn),
        ("%R", doi(item)),
        ("%U", item.uri),
        ("%F", f"{settings.REPOSITORY_ID}:{item.pk}"),
        ("%Z", item.note),
    ]
    return tags


@register
class EndNote(ExportFormat):
    identifier = "EndNote"
    name = "EndNote"
    extension = "enw"
    content_type = "application/x-endnote-refer; charset=utf-8"

    def render(self, items: Sequence[Item]) -> str:
        return write_records([endnote_tags(item) for item in items])
