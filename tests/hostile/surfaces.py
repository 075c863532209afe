"""Every place a record is shown: pages, staff pages, exports, feeds and OAI-PMH, with what
kind of text each one is and how it must be checked."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.test import Client
from django.urls import reverse
from lxml import etree

from eprints_app.enums import ItemType
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
    #: The address showing the item; None when it can be on no such page (a year page for an
    #: item whose date has no year).
    url: Callable[[Item], str | None]
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


def year_page(item: Item) -> str | None:
    year = item.year or "NULL"
    return f"/view/year/{year}.html" if re.fullmatch("[0-9]{4}|NULL", year) else None


def type_page(item: Item) -> str | None:
    return f"/view/types/{item.type}.html" if item.type in ItemType.values else None


def node_page(tree: str) -> Callable[[Item], str | None]:
    """The page of the item's first subject or division, if it has one."""

    def url(item: Item) -> str | None:
        node = getattr(item, tree).order_by("code").first()
        return reverse("browse_node", args=[tree, node.code]) if node else None

    return url


def first_revision(item: Item) -> str:
    return f"/id/eprint/{item.pk}/actions/history/{item.history.earliest().history_id}/"


SURFACES = {
    "item page": Surface("html", lambda item: f"/id/eprint/{item.pk}/"),
    "item JSON-LD": Surface("jsonld", lambda item: f"/id/eprint/{item.pk}/"),
    "home": Surface("html", lambda item: "/"),
    "latest additions": Surface("html", lambda item: "/cgi/latest"),
    "search results": Surface("html", searched),
    "browse by year": Surface("html", year_page),
    "browse by type": Surface("html", type_page),
    "years": Surface("html", lambda item: "/view/year/", shows_title=False),
    "item types": Surface("html", lambda item: "/view/types/", shows_title=False),
    "subjects": Surface("html", lambda item: "/view/subjects/", shows_title=False),
    "divisions": Surface("html", lambda item: "/view/divisions/", shows_title=False),
    "authors": Surface("html", lambda item: "/view/creators/", shows_title=False),
    "subject page": Surface("html", node_page("subjects")),
    "division page": Surface("html", node_page("divisions")),
    "search facets": Surface("html", lambda item: searched(item) + "&year=2024", shows_title=False),
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
    "OAI-PMH ListSets": Surface("oai", lambda item: f"{ENDPOINT}?verb=ListSets", shows_title=False),
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


def fetch(client, surface: Surface, item: Item):
    """The surface's answer for the item; None when the item is on no such page."""
    url = surface.url(item)
    if url is None:
        return None
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def failures_on_every_surface(item: Item, editor, title: Callable[[str], str]) -> list[str]:
    """Every surface's answer for the item, to an anonymous reader or to the editor as it asks,
    checked by ``assert_inert`` with the title ``title(surface name)``; what fails, named.

    Each surface is fetched once, by one reader's client or by one editor's, signed in once.
    """
    reader, staff = Client(), Client()
    staff.force_login(editor)
    failures = []
    for name, surface in SURFACES.items():
        try:
            assert_inert(fetch(staff if surface.staff else reader, surface, item), surface, title(name))
        except Exception as error:  # every surface is checked; all that fail are named together
            failures.append(f"{name}: {type(error).__name__}: {str(error)[:300]}")
    return failures


def assert_inert(response, surface: Surface, title: str) -> None:
    """The answer parses as its kind says, carries nothing a payload could have made live, and
    shows the title as plain text where the surface shows it."""
    if response is None:
        return
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
