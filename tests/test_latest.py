"""/cgi/latest: the latest additions as a page, with the feeds advertised."""

import re
from datetime import UTC, datetime, timedelta

import lxml.html
import pytest

from eprints_app.enums import ItemStatus
from eprints_app.views.latest import FALLBACK_COUNT
from tests.factories import make_item
from tests.pages import queries_for

pytestmark = pytest.mark.django_db


def deposited(days_ago: float, **fields):
    return make_item(date_deposited=datetime.now(UTC) - timedelta(days=days_ago), **fields)


def listed_titles(response) -> list[str]:
    tree = lxml.html.fromstring(response.content)
    return [a.text_content() for a in tree.xpath('//ul[@class="citation-list"]/li//p[@class="citation"]/a')]


def test_latest_lists_the_last_seven_days_of_live_items_newest_first(client):
    deposited(8, title="Last month")
    deposited(2, title="Tuesday")
    deposited(0.1, title="Today")
    deposited(0, title="Not live", status=ItemStatus.BUFFER)
    response = client.get("/cgi/latest")
    assert response.status_code == 200
    assert listed_titles(response) == ["Today.", "Tuesday."]
    text = re.sub(r"\s+", " ", lxml.html.fromstring(response.content).text_content())
    assert "Items added in the last 7 days." in text


def test_latest_falls_back_to_the_newest_additions_when_the_week_was_quiet(client):
    for n in range(FALLBACK_COUNT + 3):
        deposited(10 + n, title=f"Item {n}")
    response = client.get("/cgi/latest")
    assert listed_titles(response) == [f"Item {n}." for n in range(FALLBACK_COUNT)]
    assert "Nothing was added in the last 7 days" in response.content.decode()


def test_latest_with_nothing_deposited_says_so(client):
    deposited(0, status=ItemStatus.INBOX)
    response = client.get("/cgi/latest")
    assert listed_titles(response) == []
    assert "Nothing has been deposited yet." in response.content.decode()


def test_latest_shows_type_and_year_under_each_citation(client, seed):
    deposited(1, title="Fresh", date="2024-05")
    tree = lxml.html.fromstring(client.get("/cgi/latest").content)
    assert tree.xpath('//li[@class="citation-row"]//p[@class="quiet"]/text()') == ["Monograph · 2024"]


def test_latest_page_links_to_its_feeds(client):
    tree = lxml.html.fromstring(client.get("/cgi/latest").content)
    assert tree.xpath('//head/link[@rel="alternate"][@type="application/atom+xml"]/@href') == [
        "/feeds/latest.atom"
    ]
    assert tree.xpath('//head/link[@rel="alternate"][@type="application/rss+xml"]/@href') == [
        "/feeds/latest.rss"
    ]
    assert tree.xpath('//p[@class="feed-links"]/a/@href') == ["/feeds/latest.atom", "/feeds/latest.rss"]


def test_latest_query_count_does_not_grow_with_the_list(client):
    deposited(1, creators=1)
    one = queries_for(client, "/cgi/latest")
    for _ in range(5):
        deposited(1, creators=3)
    assert queries_for(client, "/cgi/latest") == one == 5


def test_a_very_busy_week_is_cut_to_the_page_limit(client, monkeypatch):
    monkeypatch.setattr("eprints_app.views.latest.MAX_ON_PAGE", 3)
    for n in range(5):
        deposited(n / 10, title=f"Busy {n}")
    response = client.get("/cgi/latest")
    assert listed_titles(response) == ["Busy 0.", "Busy 1.", "Busy 2."]
    assert "(the 3 most recent)" in response.content.decode()


def test_latest_refuses_unsafe_methods(client):
    assert client.post("/cgi/latest").status_code == 405
