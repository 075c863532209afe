"""schema.org JSON-LD for the item page: ``<script type="application/ld+json">``.

It is data, not script, so the Content Security Policy lets it through; it is escaped so
that no value ("</script>" in a title) can end the element early.
"""

import json
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from eprints_app.enums import ItemType
from eprints_app.item_facts import (
    authors,
    doi,
    doi_url,
    download_url,
    editors,
    filesize,
    issuing_body,
    keyword_list,
    licence_url,
    open_documents,
    orcid_url,
    page_range,
)
from eprints_app.models import Creator, Document, Item
from eprints_app.text import xml_text

SCHEMA_TYPES = {
    ItemType.ARTICLE: "ScholarlyArticle",
    ItemType.CONFERENCE_ITEM: "ScholarlyArticle",
    ItemType.MONOGRAPH: "Report",
    ItemType.THESIS: "Thesis",
    ItemType.BOOK: "Book",
    ItemType.BOOK_SECTION: "Chapter",
    ItemType.DATASET: "Dataset",
    ItemType.TEACHING_RESOURCE: "LearningResource",
}
DEFAULT_TYPE = "CreativeWork"

# Inside <script>, only "<" (and, for old parsers, ">" and "&") could end or confuse the
# element; JSON allows \u escapes for any character, so these keep the data identical.
SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def schema_type(item: Item) -> str:
    return SCHEMA_TYPES.get(item.type, DEFAULT_TYPE)


def person(creator: Creator) -> dict:
    data = {"@type": "Person", "name": f"{creator.given} {creator.family}".strip()}
    if creator.orcid:
        data["@id"] = orcid_url(creator)
    data["familyName"] = creator.family
    if creator.given:
        data["givenName"] = creator.given
    return data


def media_object(document: Document, kind: str = "MediaObject") -> dict:
    data = {
        "@type": kind,
        "name": document.filename,
        "contentUrl": download_url(document),
        "encodingFormat": document.mime_type,
        "contentSize": filesize(document.filesize),
    }
    if document.language:
        data["inLanguage"] = document.language
    return data


def part_of(item: Item) -> dict | None:
    """The journal issue, book or series the item belongs to."""
    if item.type == ItemType.ARTICLE and item.publication:
        container: dict = {"@type": "Periodical", "name": item.publication}
        if item.issn:
            container["issn"] = item.issn
        if item.volume:
            container = {"@type": "PublicationVolume", "volumeNumber": item.volume, "isPartOf": container}
        if item.number:
            container = {"@type": "PublicationIssue", "issueNumber": item.number, "isPartOf": container}
        return container
    if item.type == ItemType.BOOK_SECTION and item.book_title:
        book = {"@type": "Book", "name": item.book_title}
        return book | ({"isbn": item.isbn} if item.isbn else {})
    if item.series:
        return {"@type": "CreativeWorkSeries", "name": item.series}
    return None


def identifiers(item: Item) -> dict:
    found = doi(item)
    if not found:
        return {}
    return {
        "identifier": {
            "@type": "PropertyValue",
            "propertyID": "DOI",
            "value": found,
            "url": doi_url(item),
        },
        "sameAs": doi_url(item),
    }


def json_ld(item: Item) -> dict:
    """The item as a schema.org object; only open-access files are listed."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": schema_type(item),
        "@id": item.uri,
        "url": item.uri,
        "name": item.title,
    }
    data["author"] = [person(creator) for creator in authors(item)]
    if editors(item):
        data["editor"] = [person(editor) for editor in editors(item)]
    if item.date:
        data["datePublished"] = item.date
    if item.date_deposited:
        data["dateCreated"] = item.date_deposited.isoformat()
    data["dateModified"] = item.last_modified.isoformat()
    if issuing_body(item):
        data["publisher"] = {"@type": "Organization", "name": issuing_body(item)}
    if licence_url(item):
        data["license"] = licence_url(item)
    data |= identifiers(item)
    if item.isbn and item.type == ItemType.BOOK:
        data["isbn"] = item.isbn
    if item.abstract:
        data["abstract"] = item.abstract
        if item.type == ItemType.DATASET:
            data["description"] = item.abstract  # Dataset search requires a description
    if keyword_list(item):
        data["keywords"] = keyword_list(item)
    container = part_of(item)
    if container:
        data["isPartOf"] = container
    first, last = page_range(item)
    if item.type in (ItemType.ARTICLE, ItemType.BOOK_SECTION, ItemType.CONFERENCE_ITEM) and first:
        data["pageStart"] = first
        if last:
            data["pageEnd"] = last
    if item.pages:
        data["numberOfPages"] = item.pages
    documents = open_documents(item)
    data["isAccessibleForFree"] = bool(documents)
    if documents:
        data["encoding"] = [media_object(document) for document in documents]
        if item.type == ItemType.DATASET:
            data["distribution"] = [media_object(document, "DataDownload") for document in documents]
    return data


def cleaned(value: Any) -> Any:
    """The data with unsafe characters taken out of every string."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, dict):
        return {key: cleaned(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [cleaned(inner) for inner in value]
    return value


def json_ld_script(item: Item) -> SafeString:
    """The JSON-LD text, safe to place between <script type="application/ld+json"> tags."""
    text = json.dumps(cleaned(json_ld(item)), ensure_ascii=False)
    return mark_safe(text.translate(SCRIPT_ESCAPES))
