"""Highwire Press ``citation_*`` meta tags, as Google Scholar's inclusion guidelines read them
(eprints.md §7).

Dates are "YYYY/MM/DD", "YYYY/MM" or "YYYY"; authors are "Family, Given", one tag each;
``citation_pdf_url`` names only PDFs anyone may download, on BASE_URL.
"""

from django.utils import timezone

from eprints_app.enums import ItemType
from eprints_app.item_facts import (
    authors,
    doi,
    download_url,
    issuing_body,
    keyword_list,
    open_documents,
    page_range,
)
from eprints_app.metadata.fields import Tag, non_empty
from eprints_app.models import Item

PAGED_TYPES = {ItemType.ARTICLE, ItemType.BOOK_SECTION, ItemType.CONFERENCE_ITEM}


def publication_date(item: Item) -> str:
    """The partial date "2021-03-29" / "2021-03" / "2021" with slashes, as Scholar wants it."""
    return item.date.replace("-", "/")


def container_tags(item: Item) -> list[Tag]:
    """What the item appeared in or was issued by, by item type."""
    if item.type == ItemType.ARTICLE:
        return [
            ("citation_journal_title", item.publication),
            ("citation_volume", item.volume),
            ("citation_issue", item.number),
        ]
    if item.type == ItemType.CONFERENCE_ITEM:
        return [("citation_conference_title", item.event_title)]
    if item.type == ItemType.BOOK_SECTION:
        return [("citation_inbook_title", item.book_title)]
    if item.type == ItemType.MONOGRAPH:
        return [
            ("citation_technical_report_institution", issuing_body(item)),
            ("citation_technical_report_number", item.number),
        ]
    if item.type == ItemType.THESIS:
        return [("citation_dissertation_institution", issuing_body(item))]
    return []


def highwire_tags(item: Item) -> list[Tag]:
    """The item's ``citation_*`` tags as (name, content) pairs, empty values left out."""
    tags: list[Tag] = [("citation_title", item.title)]
    tags += [("citation_author", person.name) for person in authors(item)]
    tags.append(("citation_publication_date", publication_date(item)))
    if item.date_deposited:
        tags.append(("citation_online_date", timezone.localtime(item.date_deposited).strftime("%Y/%m/%d")))
    tags += container_tags(item)
    if item.type in PAGED_TYPES:
        first, last = page_range(item)
        tags += [("citation_firstpage", first), ("citation_lastpage", last)]
    tags += [
        ("citation_series_title", item.series),
        ("citation_issn", item.issn),
        ("citation_isbn", item.isbn),
        ("citation_publisher", item.publisher),
        ("citation_doi", doi(item)),
    ]
    tags += [("citation_keywords", word) for word in keyword_list(item)]
    tags.append(("citation_abstract", item.abstract))
    tags += [
        ("citation_pdf_url", download_url(document))
        for document in open_documents(item)
        if document.mime_type == "application/pdf"
    ]
    return non_empty(tags)
