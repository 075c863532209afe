"""The item as an OpenURL (Z39.88-2004) referent, shared by ContextObject XML and COinS.

Articles and conference papers are described in the journal format (a paper's own title as
atitle, so that Zotero files it under its title, not the conference's), books, parts of books
and reports in the book format, theses in the dissertation format and
everything else in Dublin Core. Fields are listed in the order the XML schemas want them.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings

from eprints_app.enums import ItemType, ThesisType
from eprints_app.item_facts import authors, doi, issuing_body, page_range, type_name
from eprints_app.models import Creator, Item
from eprints_app.text import one_line

BOOK_GENRES = {
    ItemType.BOOK: "book",
    ItemType.BOOK_SECTION: "bookitem",
    ItemType.MONOGRAPH: "report",
}
DEGREES = {ThesisType.DOCTORAL: "PhD", ThesisType.MASTERS: "Masters", ThesisType.DIPLOMA: "Diploma"}


@dataclass
class Referent:
    #: "journal", "book", "dissertation" or "dc": the metadata format's name.
    format: str
    authors: list[Creator]
    #: (key, value) in schema order; keys are those of the KEV and XML formats alike.
    fields: list[tuple[str, str]]
    identifiers: list[str] = field(default_factory=list)


def identifiers(item: Item) -> list[str]:
    return [item.uri] + ([f"info:doi/{doi(item)}"] if doi(item) else [])


def referrer_id() -> str:
    """info:sid/<host>:<repository id>, naming this repository as the source."""
    return f"info:sid/{urlsplit(settings.BASE_URL).hostname}:{settings.REPOSITORY_ID}"


def journal_fields(item: Item) -> list[tuple[str, str]]:
    first, last = page_range(item)
    paper = item.type == ItemType.CONFERENCE_ITEM
    return [
        ("atitle", item.title),
        ("jtitle", (item.book_title or item.event_title) if paper else item.publication),
        ("date", item.date),
        ("volume", item.volume),
        ("issue", item.number),
        ("spage", first),
        ("epage", last),
        ("pages", item.pagerange),
        ("issn", item.issn),
        ("genre", "proceeding" if paper else "article"),
    ]


def book_fields(item: Item) -> list[tuple[str, str]]:
    first, last = page_range(item)
    whole = item.type in {ItemType.BOOK, ItemType.MONOGRAPH}
    book_title = item.title if whole else item.book_title
    return [
        ("btitle", book_title),
        ("atitle", "" if whole else item.title),
        ("place", item.place_of_pub),
        ("pub", issuing_body(item)),
        ("date", item.date),
        ("edition", item.edition),
        ("tpages", str(item.pages or "")),
        ("series", item.series),
        ("spage", first),
        ("epage", last),
        ("pages", item.pagerange),
        ("issn", item.issn),
        ("isbn", item.isbn),
        ("genre", BOOK_GENRES[item.type]),
    ]


def dissertation_fields(item: Item) -> list[tuple[str, str]]:
    return [
        ("title", item.title),
        ("inst", item.institution),
        ("date", item.date),
        ("tpages", str(item.pages or "")),
        ("isbn", item.isbn),
        ("degree", DEGREES.get(item.thesis_type, "")),
    ]


def dc_fields(item: Item) -> list[tuple[str, str]]:
    return [
        ("title", item.title),
        *[("creator", person.name) for person in authors(item)],
        ("description", item.abstract),
        ("publisher", item.publisher),
        ("date", item.date),
        ("type", type_name(item)),
        ("identifier", item.uri),
    ]


def referent(item: Item) -> Referent:
    if item.type in {ItemType.ARTICLE, ItemType.CONFERENCE_ITEM}:
        kind, fields, people = "journal", journal_fields(item), authors(item)
    elif item.type in BOOK_GENRES:
        kind, fields, people = "book", book_fields(item), authors(item)
    elif item.type == ItemType.THESIS:
        kind, fields, people = "dissertation", dissertation_fields(item), authors(item)
    else:
        kind, fields, people = "dc", dc_fields(item), []
    kept = [(key, one_line(value)) for key, value in fields if one_line(value)]
    return Referent(kind, people, kept, identifiers(item))
