"""Values the page's vocabularies share, read from a prefetched item without queries.

The ones the export formats also need (DOI, page range, keywords, open documents...) are
defined once in ``eprints_app.exports.fields`` and used from there.
"""

from eprints_app.enums import LICENCE_URLS
from eprints_app.exports.fields import absolute_url, open_documents
from eprints_app.exports.xmltext import xml_text
from eprints_app.models import Creator, Document, Item

DOI_RESOLVER = "https://doi.org/"
ORCID_RESOLVER = "https://orcid.org/"

Tag = tuple[str, str]


def non_empty(tags: list[Tag]) -> list[Tag]:
    """(name, content) pairs without the characters XML and HTML cannot carry, empty ones dropped."""
    cleaned = ((name, xml_text(value).strip()) for name, value in tags)
    return [(name, value) for name, value in cleaned if value]


def page_url(item: Item) -> str:
    """The item page's canonical address (the URI with its trailing slash)."""
    return absolute_url(item.get_absolute_url())


def download_url(document: Document) -> str:
    return absolute_url(document.get_absolute_url())


def orcid_url(person: Creator) -> str:
    return f"{ORCID_RESOLVER}{person.orcid}" if person.orcid else ""


def licence_url(item: Item) -> str:
    """The licence of the first open-access document that has one."""
    for document in open_documents(item):
        if document.license:
            return LICENCE_URLS.get(document.license, "")
    return ""


def issuing_body(item: Item) -> str:
    """Who issued a report or thesis: the publisher, else the institution."""
    return item.publisher or item.institution
