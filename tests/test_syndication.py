"""The latest-additions feeds and the Atom and RSS 2.0 exports are one implementation
(exports.syndication): an item's entry says the same in both; only the links and the
summary differ."""

import pytest
from lxml import etree

from eprints_app.enums import Security
from eprints_app.exports import REGISTRY
from eprints_app.models import Creator, Item, Subject
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db

BASE = "https://eprints.example.ac.uk"
A = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE


@pytest.fixture
def item() -> Item:
    item = make_item(title="Shared", abstract="About it.", creators=0)
    Creator.objects.create(
        item=item, position=0, family="Carberry", given="Josiah", orcid="0000-0002-1825-0097"
    )
    Creator.objects.create(item=item, position=1, family="Okafor", given="Adaeze")
    make_document(item, filename="open.pdf")
    make_document(item, filename="staff.pdf", security=Security.STAFFONLY)
    item.subjects.add(Subject.objects.create(code="HG", name="HG Finance"))
    return Item.objects.with_parts().get(pk=item.pk)


def described(entry: etree._Element) -> dict:
    """What an Atom entry says about its item, links to the item page and summary aside."""
    return {
        "title": entry.findtext(f"{A}title"),
        "authors": [(a.findtext(f"{A}name"), a.findtext(f"{A}uri")) for a in entry.iter(f"{A}author")],
        "enclosures": [
            (link.get("href"), link.get("type")) for link in entry.iterfind(f"{A}link[@rel='enclosure']")
        ],
        "categories": [(c.get("term"), c.get("label")) for c in entry.iter(f"{A}category")],
    }


def test_an_atom_feed_entry_describes_its_item_as_the_atom_export_does(client, item):
    (feed_entry,) = etree.fromstring(client.get("/feeds/latest.atom").content).iter(f"{A}entry")
    (export_entry,) = etree.fromstring(REGISTRY["Atom"].render([item]).encode()).iter(f"{A}entry")
    assert (
        described(feed_entry)
        == described(export_entry)
        == {
            "title": "Shared",
            "authors": [
                ("Carberry, Josiah", "https://orcid.org/0000-0002-1825-0097"),
                ("Okafor, Adaeze", None),
            ],
            "enclosures": [(f"{BASE}/id/eprint/{item.pk}/1/open.pdf", "application/pdf")],
            "categories": [("HG", "HG Finance")],
        }
    )
    # The feed links to the item page and sums the item up by its citation; the export by its abstract.
    assert feed_entry.findtext(f"{A}id") == f"{BASE}/id/eprint/{item.pk}/"
    assert export_entry.findtext(f"{A}id") == item.uri
    assert feed_entry.findtext(f"{A}summary").startswith("Carberry, Josiah and Okafor, Adaeze (2024) Shared.")
    assert export_entry.findtext(f"{A}summary") == "About it."


def test_an_rss_feed_item_describes_its_item_as_the_rss_export_does(client, item):
    (feed_item,) = etree.fromstring(client.get("/feeds/latest.rss").content).iter("item")
    (export_item,) = etree.fromstring(REGISTRY["RSS2"].render([item]).encode()).iter("item")
    for element in (feed_item, export_item):
        assert element.findtext("title") == "Shared"
        assert [c.text for c in element.iter(f"{DC}creator")] == ["Carberry, Josiah", "Okafor, Adaeze"]
        assert [c.text for c in element.iter("category")] == ["HG Finance"]
        assert element.findtext("guid") == element.findtext("link")
        assert element.find("enclosure") is None  # RSS allows one per item: the files are Atom's
