"""RIS (eprints.md §5): tagged lines "XX  - value", one record per item ending in "ER  -".

Unlike EPrints, text stays UTF-8: curly quotes are not turned into "?". Every value is
one line, so a line break in an abstract cannot start a tag of its own.
"""

from collections.abc import Sequence

from django.conf import settings

from eprints_app.enums import ItemType
from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.item_facts import (
    authors,
    date_parts,
    doi,
    download_url,
    editors,
    keyword_list,
    open_documents,
    page_range,
    subtype_label,
)
from eprints_app.models import Item
from eprints_app.text import one_line

RECORD_TYPES = {
    ItemType.MONOGRAPH: "RPRT",
    ItemType.ARTICLE: "JOUR",
    ItemType.BOOK: "BOOK",
    ItemType.BOOK_SECTION: "CHAP",
    ItemType.CONFERENCE_ITEM: "CONF",
    ItemType.THESIS: "THES",
    ItemType.PATENT: "PAT",
}
LINE_END = "\r\n"  # the RIS specification's line ending


def ris_date(item: Item) -> str:
    """RIS DA: "2021///", "2020/06//", "2021/03/29/"."""
    parts = [f"{part:02d}" for part in date_parts(item)]
    return "/".join(parts + [""] * (3 - len(parts))) + "/" if parts else ""


def secondary_title(item: Item) -> str:
    """The journal, book or proceedings the item appeared in."""
    if item.type == ItemType.ARTICLE:
        return item.publication
    if item.type == ItemType.CONFERENCE_ITEM:
        return item.book_title or item.publication or item.event_title
    return item.book_title


def record_tags(item: Item) -> list[tuple[str, str]]:
    """(tag, value) pairs in RIS order; empty values are left out."""
    first, last = page_range(item)
    tags = [("TY", RECORD_TYPES.get(item.type, "GEN")), ("ID", f"{settings.REPOSITORY_ID}{item.pk}")]
    tags += [("AU", person.name) for person in authors(item)]
    tags += [("A2", person.name) for person in editors(item)]
    tags += [
        ("TI", item.title),
        ("T2", secondary_title(item)),
        ("T3", item.series),
        ("PY", item.year),
        ("DA", ris_date(item)),
        ("VL", item.volume),
        ("IS", item.number),
        ("SP", first or item.pagerange),
        ("EP", last),
        ("PB", item.publisher or (item.institution if item.type == ItemType.THESIS else "")),
        ("CY", item.place_of_pub or item.event_location),
        ("ET", item.edition),
        ("M3", subtype_label(item)),
        ("SN", item.issn if item.type == ItemType.ARTICLE else item.isbn or item.issn),
        ("DO", doi(item)),
        ("UR", item.official_url or item.uri),
    ]
    tags += [("L1", download_url(document)) for document in open_documents(item)]
    tags += [("KW", keyword) for keyword in keyword_list(item)]
    tags += [("AB", item.abstract), ("N1", item.note)]
    return [(tag, one_line(value)) for tag, value in tags if one_line(value)]


@register
class RIS(ExportFormat):
    identifier = "RIS"
    name = "Reference Manager (RIS)"
    extension = "ris"
    content_type = "application/x-research-info-systems; charset=utf-8"

    def render(self, items: Sequence[Item]) -> str:
        records = []
        for item in items:
            lines = [f"{tag}  - {value}" for tag, value in record_tags(item)]
            records.append(LINE_END.join([*lines, "ER  - ", ""]))
        return LINE_END.join(records)
