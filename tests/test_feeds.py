"""Atom and RSS 2.0 feeds of the latest additions, and EPrints' /cgi/latest_tool addresses."""

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from lxml import etree

from eprints_app.enums import ItemStatus
from eprints_app.feeds import FEED_SIZE
from eprints_app.models import Creator
from tests.factories import make_item

pytestmark = pytest.mark.django_db

BASE = "https://eprints.example.ac.uk"
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
SEED_CITATION = (
    "Ahmar, Moonis (2021) Changing dynamics of Pakistan-US relations and the challenge of soft power. "
    "LSE IDEAS Reports. LSE Ideas, London, UK."
)


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE


def deposited(days_ago: int, **fields):
    return make_item(date_deposited=datetime.now(UTC) - timedelta(days=days_ago), **fields)


def fetch(client, path: str, content_type: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    return response.content


def atom(client) -> bytes:
    return fetch(client, "/feeds/latest.atom", "application/atom+xml; charset=utf-8")


def rss(client) -> bytes:
    return fetch(client, "/feeds/latest.rss", "application/rss+xml; charset=utf-8")


def test_atom_feed_lists_live_items_newest_deposit_first(client):
    older, newer = deposited(3, title="Older"), deposited(1, title="Newer")
    for status in (ItemStatus.INBOX, ItemStatus.BUFFER, ItemStatus.DELETION):
        deposited(0, title=f"Not live {status}", status=status)
    feed = feedparser.parse(atom(client))
    assert not feed.bozo
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == ["Newer", "Older"]
    assert [entry.link for entry in feed.entries] == [
        f"{BASE}/id/eprint/{newer.pk}/",
        f"{BASE}/id/eprint/{older.pk}/",
    ]


def test_rss_feed_lists_live_items_newest_deposit_first(client):
    deposited(3, title="Older")
    deposited(1, title="Newer")
    deposited(0, title="Hidden", status=ItemStatus.BUFFER)
    feed = feedparser.parse(rss(client))
    assert not feed.bozo
    assert feed.version == "rss20"
    assert [entry.title for entry in feed.entries] == ["Newer", "Older"]


def test_feeds_hold_at_most_feed_size_entries(client):
    for n in range(FEED_SIZE + 2):
        deposited(n, title=f"Item {n}")
    assert len(feedparser.parse(atom(client)).entries) == FEED_SIZE
    assert len(feedparser.parse(rss(client)).entries) == FEED_SIZE


def test_seed_atom_entry_has_title_link_citation_creators_and_dates(client, seed):
    root = etree.fromstring(atom(client))
    assert root.findtext(f"{ATOM}title") == "Demo Research Online: latest additions"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}/feeds/latest.atom"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{BASE}/cgi/latest"
    entry = next(e for e in root.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id").endswith("/114516/"))
    assert (
        entry.findtext(f"{ATOM}title")
        == "Changing dynamics of Pakistan-US relations and the challenge of soft power"
    )
    assert entry.find(f"{ATOM}link").get("href") == f"{BASE}/id/eprint/114516/"
    assert entry.findtext(f"{ATOM}summary") == SEED_CITATION
    assert [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")] == ["Ahmar, Moonis"]
    assert entry.findtext(f"{ATOM}published") == "2022-03-29T12:48:00+00:00"
    assert entry.findtext(f"{ATOM}updated") == "2024-09-14T03:55:00+00:00"


def test_every_creator_is_an_author_with_orcid_in_atom_and_a_dc_creator_in_rss(client, seed):
    entry = next(e for e in feedparser.parse(atom(client)).entries if e.link.endswith("/114522/"))
    assert [a.name for a in entry.authors] == ["Okafor, Adaeze", "Carberry, Josiah", "Lindqvist, Erik"]
    assert [a.get("href") for a in entry.authors] == [None, "https://orcid.org/0000-0002-1825-0097", None]
    root = etree.fromstring(rss(client))
    item = next(i for i in root.iter("item") if i.findtext("link").endswith("/114522/"))
    assert [c.text for c in item.findall(f"{DC}creator")] == [
        "Okafor, Adaeze",
        "Carberry, Josiah",
        "Lindqvist, Erik",
    ]
    assert item.find("author") is None  # RSS <author> is an email address: never given


def test_rss_item_has_citation_pubdate_and_guid(client, seed):
    root = etree.fromstring(rss(client))
    item = next(i for i in root.iter("item") if i.findtext("link").endswith("/114516/"))
    assert item.findtext("description") == SEED_CITATION
    assert item.findtext("pubDate") == "Tue, 29 Mar 2022 12:48:00 +0000"
    assert item.findtext("guid") == f"{BASE}/id/eprint/114516/"


def test_markup_and_control_characters_in_metadata_cannot_break_the_feeds(client):
    item = deposited(0, title="<b>Bold</b> & \x01 \x0b 中文", creators=0)
    Creator.objects.create(item=item, family="Zhang\x02", given="<Wei>")
    for body in (atom(client), rss(client)):
        feed = feedparser.parse(body)
        assert not feed.bozo
        (entry,) = feed.entries
        assert entry.title == "<b>Bold</b> &   中文"
    # The description is HTML by convention: the citation goes in as escaped text, never markup.
    (summary,) = etree.fromstring(atom(client)).iter(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert (
        summary.text
        == "Zhang, &lt;Wei&gt; (2024) &lt;b&gt;Bold&lt;/b&gt; &amp;   中文. Technical Report. Test Press."
    )
    atom_authors = etree.fromstring(atom(client)).iter(f"{ATOM}author")
    assert [a.findtext(f"{ATOM}name") for a in atom_authors] == ["Zhang, <Wei>"]
    assert [c.text for c in etree.fromstring(rss(client)).iter(f"{DC}creator")] == ["Zhang, <Wei>"]


def test_feed_with_nothing_live_is_still_a_valid_feed(client):
    deposited(0, status=ItemStatus.INBOX)
    assert feedparser.parse(atom(client)).entries == []
    assert feedparser.parse(rss(client)).entries == []


@pytest.mark.parametrize(
    "query, target",
    [
        ("?output=Atom", "/feeds/latest.atom"),
        ("?output=RSS2", "/feeds/latest.rss"),
        ("?output=rss", "/feeds/latest.rss"),
        ("", "/cgi/latest"),
        ("?output=<script>", "/cgi/latest"),
    ],
)
def test_eprints_latest_tool_addresses_lead_to_the_feeds(client, query, target):
    response = client.get(f"/cgi/latest_tool{query}")
    assert (response.status_code, response["Location"]) == (301, target)


def test_every_page_advertises_the_feeds(client):
    body = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in body
    assert 'href="/feeds/latest.atom"' in body and 'href="/feeds/latest.rss"' in body
