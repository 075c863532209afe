"""Refer (eprints.md §5): the "%X value" tagged lines of refer(1), one blank line between records.

EndNote's import format extends these tags (``endnote.py``); both read the core here.
"""

from collections.abc import Sequence

from eprints_app.enums import ItemType
from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.item_facts import authors, editors, issuing_body, keyword_list, subtype_label
from eprints_app.models import Item
from eprints_app.text import one_line

Tags = list[tuple[str, str]]


def host_title(item: Item) -> str:
    """The book or proceedings a part appeared in."""
    if item.type == ItemType.CONFERENCE_ITEM:
        return item.book_title or item.publication or item.event_title
    return item.book_title if item.type == ItemType.BOOK_SECTION else ""


def core_tags(item: Item) -> Tags:
    """The bibliographic tags refer(1) and EndNote share, in refer's order."""
    tags = [("%A", person.name) for person in authors(item)]
    tags += [("%E", person.name) for person in editors(item)]
    tags += [
        ("%T", item.title),
        ("%J", item.publication if item.type == ItemType.ARTICLE else ""),
        ("%B", host_title(item)),
        ("%S", item.series),
        ("%V", item.volume),
        ("%N", item.number),
        ("%P", item.pagerange),
        ("%I", issuing_body(item)),
        ("%C", item.place_of_pub or item.event_location),
        ("%D", item.year),
    ]
    tags += [("%K", keyword) for keyword in keyword_list(item)]
    tags.append(("%X", item.abstract))
    return tags


def write_records(records: list[Tags]) -> str:
    """Records as tagged lines: values on one line each, empty ones left out."""
    blocks = []
    for tags in records:
        lines = [f"{tag} {one_line(value)}" for tag, value in tags if one_line(value)]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


@register
class Refer(ExportFormat):
    identifier = "Refer"
    name = "Refer"
    extension = "refer"
    content_type = "text/plain; charset=utf-8"

    def render(self, items: Sequence[Item]) -> str:
        return write_records(
            [[*core_tags(item), ("%R", subtype_label(item)), ("%O", item.note)] for item in items]
        )
