"""Bad input to search, of every kind: a normal page or a 4xx, never a 500; markup always escaped."""

import lxml.html
import pytest
from django.db import connection

from eprints_app.models import Document
from eprints_app.search import sqlite as sqlite_search
from eprints_app.services.search_index import reindex_all
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db

URLS = ["/cgi/search/simple", "/cgi/search/advanced"]


@pytest.fixture
def indexed():
    item = make_item(title="Kestrel counts", abstract="About kestrels and <b>falcons</b>.")
    document = make_document(item)
    Document.objects.filter(pk=document.pk).update(text="The kestrel & the <script>hawk</script>.")
    make_item(title="Osprey")
    reindex_all()
    return item


HOSTILE_QUERIES = [
    "OR -",
    "OR",
    "-",
    '"',
    '"unbalanced quote',
    '""""""',
    "kestrel OR OR -",
    "- - - kestrel",
    "(kestrel",
    "kestrel)",
    "NEAR(kestrel counts)",
    "kestrel*",
    "^kestrel",
    "title:kestrel",
    "{title}: kestrel",
    "kestrel AND NOT",
    "'; DROP TABLE eprints_app_item; --",
    "1=1' OR '1'='1",
    '<script>alert("x")</script>',
    "&amp; &lt; %00 %s %(x)s ?",
    "\\ \\\\ \\'",
    "ü ß 東京 🙂",
    "\u202e\u200b\ufeff",
    "kestrel " * 2000,
    "x" * 10_000,
    "a:b:c::d",
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_give_a_normal_page(client, indexed, url, query):
    for field in ("q", "title", "full_text"):
        response = client.get(url, {field: query})
        assert response.status_code == 200, (field, query[:40])
        assert b"<script>alert" not in response.content


@pytest.mark.parametrize("url", URLS)
def test_a_null_character_is_refused_with_a_400(client, url):
    assert client.get(url, {"q": "kestrel\x00"}).status_code == 400


def test_a_very_long_query_is_cut_rather_than_refused(client, indexed):
    response = client.get("/cgi/search/simple", {"q": "kestrel " + "x" * 10_000})
    assert response.status_code == 200
    assert b"No items match your search." in response.content


def test_the_query_is_shown_back_escaped(client, indexed):
    response = client.get("/cgi/search/simple", {"q": '"><script>alert(1)</script>'})
    tree = lxml.html.fromstring(response.content)
    assert tree.xpath('//main//input[@name="q"]/@value') == ['"><script>alert(1)</script>']
    assert b"<script>alert(1)" not in response.content


def test_markup_in_metadata_is_escaped_in_results(client):
    make_item(title='<img src=x onerror="alert(1)"> Kestrel', abstract="<b>bold</b> kestrel")
    reindex_all()
    response = client.get("/cgi/search/simple", {"q": "kestrel"})
    html = response.content.decode()
    assert "<img src=x" not in html and "<b>bold</b>" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Kestrel" in html


@pytest.mark.parametrize(
    "page", ["abc", "-1", "0", "1e3", "", "1000000000", "2.5", "%00", "99999999999999999999"]
)
def test_any_page_number_gives_a_page(client, indexed, page):
    assert client.get("/cgi/search/simple", {"q": "kestrel", "page": page}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"type": "bogus"},
        {"type": "<script>"},
        {"year": "20x1"},
        {"year": "99999"},
        {"year": "-2020"},
        {"subject": "NOPE"},
        {"division": "nope"},
        {"ispublished": "maybe"},
        {"refereed": "perhaps"},
        {"year_from": "abc"},
        {"year_to": "1e9"},
        {"year_from": "-5"},
    ],
)
def test_unknown_facet_or_filter_values_are_explained_with_a_400(client, indexed, params):
    response = client.get("/cgi/search/simple", {"q": "kestrel", **params})
    assert response.status_code == 400
    tree = lxml.html.fromstring(response.content)
    assert tree.xpath('//div[@class="form-errors"]/p/text()') == ["The search could not be run as asked:"]
    assert not tree.xpath('//ol[contains(@class, "search-result-list")]')


@pytest.mark.parametrize("order", ["bogus", "", "relevance", "-title", "<b>"])
def test_an_unknown_order_gives_a_normal_page(client, indexed, order):
    assert client.get("/cgi/search/simple", {"q": "kestrel", "order": order}).status_code == 200


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_search_refuses_unsafe_methods(client, url, method):
    assert getattr(client, method)(url).status_code == 405


def test_head_requests_are_answered(client, indexed):
    assert client.head("/cgi/search/simple", {"q": "kestrel"}).status_code == 200


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 MATCH syntax")
def test_a_query_fts5_refuses_is_run_again_as_plain_words(client, indexed, monkeypatch):
    translate = sqlite_search.match_expression

    def fragile(texts):
        """An FTS5 expression that breaks on any quote in the query, as a translator bug might."""
        return "NEAR(" if any('"' in text for text in texts.values()) else translate(texts)

    monkeypatch.setattr(sqlite_search, "match_expression", fragile)
    response = client.get("/cgi/search/simple", {"q": '"kestrel counts"'})
    assert response.status_code == 200
    rows = lxml.html.fromstring(response.content).xpath('//ol[contains(@class, "search-result-list")]/li')
    assert len(rows) == 1
