"""MODS 3.8 (Library of Congress), for library systems and OAI-PMH harvesters.

One item is a ``<mods:mods>`` document, as in EPrints; a list is a ``<mods:modsCollection>``.
METS (``mets.py``) wraps ``mods_element``.
"""

from collections.abc import Sequence
from datetime import UTC

from lxml import etree

from eprints_app.enums import LICENCE_URLS, ItemType, Licence
from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.exports.xmltext import sub, sub_if, to_xml
from eprints_app.item_facts import (
    authors,
    doi,
    download_url,
    editors,
    issuing_body,
    keyword_list,
    official_url,
    open_documents,
    orcid_url,
    page_range,
    subtype_label,
    type_name,
)
from eprints_app.models import Creator, Item

MODS_NS = "http://www.loc.gov/mods/v3"
MODS_SCHEMA = "http://www.loc.gov/standards/mods/v3/mods-3-8.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XLINK_NS = "http://www.w3.org/1999/xlink"
NSMAP = {"mods": MODS_NS, "xsi": XSI_NS, "xlink": XLINK_NS}
M = f"{{{MODS_NS}}}"

ROLES = {"creator": ("aut", "author"), "editor": ("edt", "editor")}
RESOURCE_TYPES = {
    ItemType.IMAGE: "still image",
    ItemType.VIDEO: "moving image",
    ItemType.AUDIO: "sound recording",
    ItemType.DATASET: "software, multimedia",
    ItemType.COMPOSITION: "notated music",
    ItemType.ARTEFACT: "three dimensional object",
}
# The work this item is part of: a journal, a book, or proceedings.
HOST_TYPES = {ItemType.ARTICLE, ItemType.BOOK_SECTION, ItemType.CONFERENCE_ITEM}


def add_name(parent: etree._Element, person: Creator) -> None:
    name = sub(parent, f"{M}name", type="personal")
    sub(name, f"{M}namePart", person.family, type="family")
    sub_if(name, f"{M}namePart", person.given, type="given")
    if person.orcid:
        sub(name, f"{M}nameIdentifier", orcid_url(person), type="orcid")
    role = sub(name, f"{M}role")
    code, text = ROLES[person.role]
    sub(role, f"{M}roleTerm", code, type="code", authority="marcrelator")
    sub(role, f"{M}roleTerm", text, type="text", authority="marcrelator")


def add_host(mods: etree._Element, item: Item) -> None:
    """relatedItem type="host": the journal (volume, issue, pages) or the book (editors, ISBN)."""
    title = item.publication if item.type == ItemType.ARTICLE else item.book_title or item.event_title
    host = sub(mods, f"{M}relatedItem", type="host")
    if title:
        sub(sub(host, f"{M}titleInfo"), f"{M}title", title)
    if item.type == ItemType.BOOK_SECTION:
        for person in editors(item):
            add_name(host, person)
    sub_if(host, f"{M}identifier", item.issn, type="issn")
    if item.type != ItemType.ARTICLE:
        sub_if(host, f"{M}identifier", item.isbn, type="isbn")
    part = etree.Element(f"{M}part")
    for detail_type, number in (("volume", item.volume), ("issue", item.number)):
        if number:
            sub(sub(part, f"{M}detail", type=detail_type), f"{M}number", number)
    if item.pagerange:
        extent = sub(part, f"{M}extent", unit="pages")
        first, last = page_range(item)
        if first:
            sub(extent, f"{M}start", first)
            sub(extent, f"{M}end", last)
        else:
            sub(extent, f"{M}list", item.pagerange)
    if len(part):
        host.append(part)
    if not len(host):
        mods.remove(host)


def add_origin(mods: etree._Element, item: Item) -> None:
    origin = sub(mods, f"{M}originInfo", eventType="publication")
    place = item.place_of_pub or (item.event_location if item.type == ItemType.CONFERENCE_ITEM else "")
    if place:
        sub(sub(origin, f"{M}place"), f"{M}placeTerm", place, type="text")
    sub_if(origin, f"{M}publisher", issuing_body(item))
    sub_if(origin, f"{M}dateIssued", item.date, encoding="w3cdtf", keyDate="yes")
    sub_if(origin, f"{M}edition", item.edition)
    if not len(origin):
        mods.remove(origin)


def add_location(mods: etree._Element, item: Item) -> None:
    location = sub(mods, f"{M}location")
    sub(location, f"{M}url", item.uri, usage="primary", access="object in context")
    for document in open_documents(item):
        sub(location, f"{M}url", download_url(document), access="raw object")
    sub_if(location, f"{M}url", official_url(item), displayLabel="Official URL")


def add_licences(mods: etree._Element, item: Item) -> None:
    for code in dict.fromkeys(d.license for d in open_documents(item) if d.license in LICENCE_URLS):
        condition = sub(mods, f"{M}accessCondition", Licence(code).label, type="use and reproduction")
        condition.set(f"{{{XLINK_NS}}}href", LICENCE_URLS[code])


def mods_element(item: Item, *, root: bool = True) -> etree._Element:
    """The item's <mods:mods>; ``root=False`` leaves out the schema location (inside a collection)."""
    mods = etree.Element(f"{M}mods", nsmap=NSMAP, version="3.8")
    if root:
        mods.set(f"{{{XSI_NS}}}schemaLocation", f"{MODS_NS} {MODS_SCHEMA}")
    sub(sub(mods, f"{M}titleInfo"), f"{M}title", item.title)
    for person in authors(item) + ([] if item.type == ItemType.BOOK_SECTION else editors(item)):
        add_name(mods, person)
    sub(mods, f"{M}typeOfResource", RESOURCE_TYPES.get(item.type, "text"))
    sub(mods, f"{M}genre", type_name(item))
    sub_if(mods, f"{M}genre", subtype_label(item))
    add_origin(mods, item)
    if item.pages:
        sub(sub(mods, f"{M}physicalDescription"), f"{M}extent", f"{item.pages} pages")
    sub_if(mods, f"{M}abstract", item.abstract)
    sub_if(mods, f"{M}note", item.note)
    keywords = keyword_list(item)
    if keywords:
        subject = sub(mods, f"{M}subject")
        for keyword in keywords:
            sub(subject, f"{M}topic", keyword)
    for subject_node in item.subject_list:
        sub(mods, f"{M}classification", subject_node.name, authority="lcc")
    if item.type in HOST_TYPES:
        add_host(mods, item)
    if item.series:
        sub(sub(sub(mods, f"{M}relatedItem", type="series"), f"{M}titleInfo"), f"{M}title", item.series)
    sub(mods, f"{M}identifier", item.uri, type="uri")
    sub_if(mods, f"{M}identifier", doi(item), type="doi")
    if item.type not in HOST_TYPES:
        sub_if(mods, f"{M}identifier", item.isbn, type="isbn")
    add_location(mods, item)
    add_licences(mods, item)
    record = sub(mods, f"{M}recordInfo")
    sub(record, f"{M}recordIdentifier", item.pk)
    sub(
        record,
        f"{M}recordChangeDate",
        item.last_modified.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        encoding="w3cdtf",
    )
    return mods


@register
class MODS(ExportFormat):
    identifier = "MODS"
    name = "MODS"
    extension = "xml"
    content_type = "application/mods+xml; charset=utf-8"
    oai_prefix = "mods"
    oai_namespace = MODS_NS
    oai_schema = MODS_SCHEMA

    def render(self, items: Sequence[Item]) -> str:
        if len(items) == 1:
            return to_xml(mods_element(items[0]))
        collection = etree.Element(f"{M}modsCollection", nsmap=NSMAP)
        collection.set(f"{{{XSI_NS}}}schemaLocation", f"{MODS_NS} {MODS_SCHEMA}")
        collection.extend(mods_element(item, root=False) for item in items)
        return to_xml(collection)

    def render_oai(self, item: Item) -> str:
        return to_xml(mods_element(item), declaration=False)
