"""The Atom (RFC 4287) and RSS 2.0 exports of a list of items."""

import datetime

import pytest
from django.utils import timezone
from lxml import etree

from eprints_app.enums import Security
from eprints_app.exports import REGISTRY
from eprints_app.models import Item, Subject
from tests.export_support import rendered
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db

ATOM = {"a": "http://www.w3.org/2005/Atom"}
DC = "{http://purl.org/dc/elements/1.1/}"


def atom(*items: Item) -> etree._Element:
    return etree.fromstring(rendered("Atom", *items).encode())


def rss(*items: Item) -> etree._Element:
    return etree.fromstring(rendered("RSS2", *items).encode())


def stamped(**fields) -> Item:
    item = make_item(**fields)
    Item.objects.filter(pk=item.pk).update(
        last_modified=datetime.datetime(2024, 9, 14, 3, 55, tzinfo=datetime.UTC),
        date_deposited=datetime.datetime(2022, 3, 29, 12, 48, tzinfo=datetime.UTC),
    )
    return item


def test_atom_feed_has_what_rfc_4287_requires():
    items = [stamped(title="First", abstract="About it."), make_item(title="Second", creators=0)]
    feed = atom(*items)
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"a:{name}", ATOM)) == 1, name
    assert feed.findtext("a:author/a:name", namespaces=ATOM) == "Demo Research Online"
    first, second = feed.findall("a:entry", ATOM)
    assert [
        first.findtext(f"a:{n}", namespaces=ATOM) for n in ("id", "title", "updated", "published", "summary")
    ] == [
        items[0].uri,
        "First",
        "2024-09-14T03:55:00Z",
        "2022-03-29T12:48:00Z",
        "About it.",
    ]
    assert first.xpath("a:author/a:name/text()", namespaces=ATOM) == ["Family0, Given0"]
    assert first.xpath("a:link[@rel='alternate']/@href", namespaces=ATOM) == [items[0].uri]
    assert second.find("a:author", ATOM) is None  # it takes the feed's author
    for entry in (first, second):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"a:{name}", ATOM)) == 1, name


def test_atom_feed_id_is_stable_for_the_same_items_and_differs_for_others():
    a, b = make_item(), make_item()
    assert atom(a, b).findtext("a:id", namespaces=ATOM) == atom(a, b).findtext("a:id", namespaces=ATOM)
    assert atom(a).findtext("a:id", namespaces=ATOM) != atom(a, b).findtext("a:id", namespaces=ATOM)
    assert atom(a).findtext("a:id", namespaces=ATOM).startswith("urn:uuid:")


def test_atom_feed_updated_is_the_latest_change():
    items = [stamped(), make_item()]
    latest = Item.objects.get(pk=items[1].pk).last_modified
    assert atom(*items).findtext("a:updated", namespaces=ATOM) == latest.astimezone(datetime.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


def test_atom_entry_links_open_files_as_enclosures_and_subjects_as_categories():
    item = make_item()
    document = make_document(item, filename="open.pdf")
    make_document(item, filename="staff.pdf", security=Security.STAFFONLY)
    item.subjects.add(Subject.objects.create(code="JZ", name="JZ International relations"))
    entry = atom(item).find("a:entry", ATOM)
    enclosures = entry.findall("a:link[@rel='enclosure']", ATOM)
    assert [(e.get("href"), e.get("type"), e.get("length")) for e in enclosures] == [
        (f"http://127.0.0.1:8000/id/eprint/{item.pk}/1/open.pdf", "application/pdf", str(document.filesize))
    ]
    category = entry.find("a:category", ATOM)
    assert (category.get("term"), category.get("label")) == ("JZ", "JZ International relations")


def test_empty_atom_feed_is_still_a_feed():
    feed = etree.fromstring(REGISTRY["Atom"].render([]).encode())
    assert feed.findall("a:entry", ATOM) == []
    assert feed.findtext("a:updated", namespaces=ATOM).endswith("Z")


def test_rss_channel_and_items():
    item = stamped(title="First", abstract="About it.")
    channel = rss(item).find("channel")
    assert [channel.findtext(n) for n in ("title", "link", "description")] == [
        "Demo Research Online",
        "http://127.0.0.1:8000/",
        "Items from Demo Research Online",
    ]
    assert channel.findtext("lastBuildDate") == "Sat, 14 Sep 2024 03:55:00 GMT"
    entry = channel.find("item")
    assert [entry.findtext(n) for n in ("title", "link", "guid", "description", "pubDate")] == [
        "First",
        item.uri,
        item.uri,
        "About it.",
        "Tue, 29 Mar 2022 12:48:00 GMT",
    ]
    assert entry.find("guid").get("isPermaLink") == "true"
    assert [c.text for c in entry.findall(f"{DC}creator")] == ["Family0, Given0"]
    assert entry.find("author") is None


def test_rss_item_not_yet_deposited_is_dated_by_its_last_change():
    item = make_item(status="archive", date_deposited=None)
    Item.objects.filter(pk=item.pk).update(date_deposited=None, last_modified=timezone.now())
    assert rss(item).find("channel/item/pubDate").text.endswith(" GMT")
