"""CSL-JSON: the items as Citation Style Language data, for reference managers and citeproc.

``csl_item`` is the one mapping from an item to CSL; "Cite as" (``eprints_app.cite_as``)
formats the same data.
"""

import json
from collections.abc import Sequence
from typing import Any

from eprints_app.enums import ItemType, ThesisType
from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.item_facts import (
    authors,
    date_parts,
    doi,
    editors,
    issuing_body,
    keyword_list,
    subtype_label,
    thesis_label,
)
from eprints_app.models import Creator, Item
from eprints_app.text import one_line

CSL_TYPES = {
    ItemType.ARTICLE: "article-journal",
    ItemType.BOOK_SECTION: "chapter",
    ItemType.MONOGRAPH: "report",
    ItemType.CONFERENCE_ITEM: "paper-conference",
    ItemType.BOOK: "book",
    ItemType.THESIS: "thesis",
    ItemType.PATENT: "patent",
    ItemType.IMAGE: "graphic",
    ItemType.VIDEO: "motion_picture",
    ItemType.AUDIO: "song",
    ItemType.DATASET: "dataset",
    ItemType.COMPOSITION: "musical_score",
}
THESIS_GENRES = {ThesisType.DOCTORAL: "PhD thesis", ThesisType.MASTERS: "Master's thesis"}


def csl_type(item: Item) -> str:
    """CSL's type; a conference item not published in proceedings is a "speech" (a presentation)."""
    if item.type == ItemType.CONFERENCE_ITEM and not container_title(item):
        return "speech"
    return CSL_TYPES.get(item.type, "article")


def csl_names(people: list[Creator]) -> list[dict[str, str]]:
    names = [{"family": one_line(p.family), "given": one_line(p.given)} for p in people]
    return [{key: value for key, value in name.items() if value} for name in names]


def genre(item: Item) -> str:
    if item.type == ItemType.THESIS:
        return THESIS_GENRES.get(item.thesis_type, thesis_label(item))
    return subtype_label(item)


def container_title(item: Item) -> str:
    if item.type == ItemType.ARTICLE:
        return item.publication
    if item.type == ItemType.CONFERENCE_ITEM:
        return item.book_title or item.publication
    return item.book_title if item.type == ItemType.BOOK_SECTION else ""


def csl_item(item: Item) -> dict[str, Any]:
    """One CSL-JSON item; fields without a value are left out."""
    parts = date_parts(item)
    data: dict[str, Any] = {
        "id": item.uri,
        "type": csl_type(item),
        "title": item.title,
        "author": csl_names(authors(item)),
        "editor": csl_names(editors(item)),
        "issued": {"date-parts": [parts]} if parts else None,
        "container-title": container_title(item),
        "collection-title": item.series,
        "publisher": issuing_body(item),
        "publisher-place": item.place_of_pub,
        "event": item.event_title,
        "event-place": item.event_location,
        "genre": genre(item),
        "volume": item.volume,
        "issue": item.number if item.type == ItemType.ARTICLE else "",
        "number": item.number if item.type != ItemType.ARTICLE else "",
        "page": item.pagerange,
        "number-of-pages": str(item.pages) if item.pages else "",
        "edition": item.edition,
        "ISBN": item.isbn,
        "ISSN": item.issn,
        "DOI": doi(item),
        "URL": item.uri,
        "abstract": item.abstract,
        "keyword": ", ".join(keyword_list(item)),
    }
    return {
        key: one_line(value) if isinstance(value, str) else value
        for key, value in data.items()
        if value and (not isinstance(value, str) or one_line(value))
    }


@register
class CSLJSON(ExportFormat):
    identifier = "CSL-JSON"
    name = "CSL-JSON"
    extension = "json"
    content_type = "application/vnd.citationstyles.csl+json"

    def render(self, items: Sequence[Item]) -> str:
        return json.dumps([csl_item(item) for item in items], ensure_ascii=False, indent=2) + "\n"
