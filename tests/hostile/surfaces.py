"""Every place a record is shown: pages, staff pages, exports, feeds and OAI-PMH, with what
kind of text each one is and how it must be checked."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from eprints_app.exports import REGISTRY
from eprints_app.models import Item
from eprints_app.services.search_index import reindex_items
from tests.hostile import support
from tests.oai_support import ENDPOINT, RESPONSE_SCHEMA

XSD = Path(__file__).resolve().parent.parent / "xsd"
# The response schema with MODS added, for the records of metadataPrefix=mods (its <metadata>
# wildcard is strict: every element in it must be declared).
RESPONSE_WITH_MODS_SCHEMA = etree.XMLSchema(
    etree.XML(
        f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:import namespace="http://www.openarchives.org/OAI/2.0/" schemaLocation="{XSD}/OAI-PMH.xsd"/>
          <xs:import namespace="http://www.loc.gov/mods/v3" schemaLocation="{XSD}/mods/mods-3-8.xsd"/>
        </xs:schema>"""
    )
)
MODS_SCHEMA = etree.XMLSchema(etree.parse(str(XSD / "mods" / "mods-3-8.xsd")))
MODS = "{http://www.loc.gov/mods/v3}mods"
# Lines a payload must never start in a line-based export: a field or a record of its own.
FORGED_LINES = ("TI  - injected", "%0 Injected", "@misc{x,")


@dataclass(frozen=True)
class Surface:
    #: html, jsonld, xml, oai, json or text: how the answer is parsed and checked.
    kind: str
    url: Callable[[Item], str]
    #: Seen by an editor (signed in) rather than an anonymous reader.
    staff: bool = False
    #: The title is expected in the answer's text (not in exports that rewrite it).
    shows_title: bool = True
    #: The schema an OAI-PMH answer must be valid against.
    schema: etree.XMLSchema = RESPONSE_SCHEMA
    #: A text format of one field a line, in which a line break could forge a field or a record.
    line_based: bool = False


def export(identifier: str, **options) -> Surface:
    fmt = REGISTRY[identifier]
    kind = {"xml": "xml", "json": "json", "js": "json"}.get(fmt.extension, "text")
    if fmt.content_type.startswith("text/html"):
        kind = "html"
    return Surface(kind, fmt.url, staff=not fmt.public, **options)


def oai_record(prefix: str, schema: etree.XMLSchema = RESPONSE_SCHEMA) -> Surface:
    return Surface(
        "oai",
        lambda item: f"{ENDPOINT}?verb=GetRecord&metadataPrefix={prefix}&identifier=oai:demo:{item.pk}",
        schema=schema,
    )


def searched(item: Item) -> str:
    """The simple search for the word every hostile title starts with, once the item is indexed."""
    reindex_items([item.pk])
    return "/cgi/search/simple?q=kestrel"


def first_revision(item: Item) -> str:
    return f"/id/eprint/{item.pk}/actions/history/{item.history.earliest().history_id}/"


SURFACES = {
    "item page": Surface("html", lambda item: f"/id/eprint/{item.pk}/"),
    "item JSON-LD": Surface("jsonld", lambda item: f"/id/eprint/{item.pk}/"),
    "home": Surface("html", lambda item: "/"),
    "latest additions": Surface("html", lambda item: "/cgi/latest"),
    "search results": Surface("html", searched),
    "browse by year": Surface("html", lambda item: f"/view/year/{item.year or 'NULL'}.html"),
    "browse by type": Surface("html", lambda item: f"/view/types/{item.type}.html"),
    "actions view": Surface("html", lambda item: f"/id/eprint/{item.pk}/actions/", staff=True),
    "revision": Surface("html", first_revision, staff=True),
    "admin change page": Surface(
        "html", lambda item: f"/admin/eprints_app/item/{item.pk}/change/", staff=True
    ),
    "admin list": Surface("html", lambda item: "/admin/eprints_app/item/?q=kestrel", staff=True),
    "admin history": Surface("html", lambda item: f"/admin/eprints_app/item/{item.pk}/history/", staff=True),
    "HTML export": export("HTML"),
    "Atom export": export("Atom"),
    "RSS2 export": export("RSS2"),
    "MODS export": export("MODS", shows_title=False),
    "METS export": export("METS", shows_title=False),
    "ContextObject export": export("ContextObject"),
    "EP3 XML export": export("XML"),
    "latest Atom feed": Surface("xml", lambda item: "/feeds/latest.atom"),
    "latest RSS feed": Surface("xml", lambda item: "/feeds/latest.rss"),
    "OAI-PMH oai_dc": oai_record("oai_dc"),
    "OAI-PMH mods": oai_record("mods", RESPONSE_WITH_MODS_SCHEMA),
    "OAI-PMH mets": Surface(
        "xml", lambda item: f"{ENDPOINT}?verb=GetRecord&metadataPrefix=mets&identifier=oai:demo:{item.pk}"
    ),
    "OAI-PMH ListRecords": Surface("oai", lambda item: f"{ENDPOINT}?verb=ListRecords&metadataPrefix=oai_dc"),
    "CSL-JSON export": export("CSL-JSON"),
    "JSON export": export("JSON"),
    "linkset": Surface("json", lambda item: f"/id/eprint/{item.pk}/linkset", shows_title=False),
    "BibTeX export": export("BibTeX", line_based=True),
    "RIS export": export("RIS", line_based=True),
    "EndNote export": export("EndNote", line_based=True),
    "Refer export": export("Refer", line_based=True),
    "Text export": export("Text"),
    "COinS export": export("COinS"),
    "DC export": export("DC", line_based=True),
    "CSV export": export("CSV"),
}


def fetch(client, surface: Surface, item: Item, staff_user):
    """The surface's answer for the item, to an editor or an anonymous reader as it asks."""
    if surface.staff:
        client.force_login(staff_user)
    response = client.get(surface.url(item))
    assert response.status_code == 200, (surface.url(item), response.status_code)
    return response


def assert_inert(response, surface: Surface, title: str) -> None:
    """The answer parses as its kind says, carries nothing a payload could have made live, and
    shows the title as plain text where the surface shows it."""
    check = CHECKS[surface.kind]
    text = check(response, surface)
    if surface.shows_title and text is not None:
        assert support.shown(title) in support.shown(text)


def checked_html(response, surface: Surface) -> str:
    return support.page_text(support.assert_inert_html(response))


def checked_json_ld(response, surface: Surface) -> str:
    tree = support.html_tree(response)
    (script,) = tree.xpath('//script[@type="application/ld+json"]')
    return json.loads(script.text)["name"]


def checked_xml(response, surface: Surface) -> str:
    root = support.xml_tree(response)
    support.assert_inert_xml(root)
    for mods in root.iter(MODS):
        MODS_SCHEMA.assertValid(etree.fromstring(etree.tostring(mods)))
    return support.xml_text_content(root)


def checked_oai(response, surface: Surface) -> str:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    surface.schema.assertValid(root)
    support.assert_inert_xml(root)
    return support.xml_text_content(root)


def checked_json(response, surface: Surface) -> str:
    return " ".join(strings_of(json.loads(response.content)))


def strings_of(data) -> list[str]:
    """Every string in parsed JSON, keys aside."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        return [text for value in data for text in strings_of(value)]
    return []


def checked_text(response, surface: Surface) -> None:
    assert response["Content-Type"].split(";")[0].strip() != "text/html"
    assert response["X-Content-Type-Options"] == "nosniff"
    if surface.line_based:
        lines = response.content.decode().splitlines()
        assert not [line for line in lines if line.startswith(FORGED_LINES)]
    return None


CHECKS = {
    "html": checked_html,
    "jsonld": checked_json_ld,
    "xml": checked_xml,
    "oai": checked_oai,
    "json": checked_json,
    "text": checked_text,
}
