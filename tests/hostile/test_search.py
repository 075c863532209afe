"""SQL and search-syntax strings, and text no keyboard types, in every search field, the search
export and the admin's search: a page that shows the query back as text, never a 500, and the
records unchanged."""

import pytest
from django.db import transaction

from eprints_app.models import Creator, Item
from eprints_app.services.search_index import reindex_all
from tests.factories import make_item
from tests.hostile.support import assert_inert_html

pytestmark = pytest.mark.django_db

QUERIES = [
    # SQL
    "'); DELETE FROM eprints_app_item; --",
    "%' AND 1=1 --",
    "kestrel' UNION SELECT password FROM auth_user --",
    "1; SELECT pg_sleep(5)",
    "/**/OR/**/1=1",
    "\\'; DROP TABLE x; --",
    # LIKE wildcards
    "%",
    "_",
    "%_%\\%",
    # PostgreSQL tsquery operators
    "!kestrel",
    "kestrel & !",
    "kestrel | ",
    "kestrel <-> counts",
    "kestrel <2> counts",
    "kestrel:*",
    "kestrel:AB",
    "''kestrel''",
    "& | ! <-> ( )",
    # SQLite FTS5 syntax
    "kestrel NOT",
    "AND OR NOT",
    "NEAR(kestrel counts, 2)",
    "{title abstract}: kestrel",
    "title : kestrel",
    "kestrel + counts",
    '"kestrel" * ^',
    # Web-search syntax at its edges
    "-kestrel",
    "-kestrel -counts -owls",
    '"-"',
    "OR -kestrel",
    '"kestrel counts',
    'kestrel"counts"owls',
    # Text no keyboard types
    "kes\u0301trel",
    "\uff4b\uff45\uff53\uff54\uff52\uff45\uff4c",
    "KESTREL \u0130stanbul \ufb01sh",
    "kestrel\u3000counts\u00a0owls",
    "\u202ekestrel\u200b",
    "k" * 300,
    "kestrel\x0bcounts\x1b",
    "\U0001f985 kestrel",
    "\ufffe\uffff",
]


@pytest.fixture(scope="module")
def indexed(django_db_setup, django_db_blocker):
    """Two records, indexed once for the module's tests: made in a transaction that is rolled
    back after them, inside which each test runs in a savepoint of its own (pytest-django's
    ``db``), so none sees what another did."""
    with django_db_blocker.unblock(), transaction.atomic():
        item = make_item(
            title="Kestrel counts", abstract="Owls & kestrels: <b>raptors</b>.", keywords="birds"
        )
        Creator.objects.create(item=item, position=1, family="O'Brien", given="Se\u00e1n")
        make_item(title="Osprey", abstract="Fish.")
        reindex_all()
        yield item
        transaction.set_rollback(True)


def assert_searched(response, query: str | None) -> None:
    """A page, inert, whose search boxes hold the query as typed (or as the search took it: cut
    to 500 characters, stripped)."""
    assert response.status_code == 200
    tree = assert_inert_html(response)
    if query is not None:
        shown = tree.xpath('//main//input[@name="q"]/@value')
        assert shown and set(shown) <= {query, query[:500].strip()}, shown


@pytest.mark.parametrize("query", QUERIES)
def test_a_hostile_simple_search_gives_a_page_showing_the_query(client, indexed, query):
    rows_before = Item.objects.count(), Creator.objects.count()
    assert_searched(client.get("/cgi/search/simple", {"q": query}), query)
    assert (Item.objects.count(), Creator.objects.count()) == rows_before


@pytest.mark.parametrize("query", QUERIES)
def test_a_hostile_advanced_search_in_every_field_gives_a_page(client, indexed, query):
    fields = ("q", "title", "creators", "abstract", "keywords", "full_text")
    response = client.get("/cgi/search/advanced", {field: query for field in fields})
    assert_searched(response, query)


@pytest.mark.parametrize("query", QUERIES[::4])
@pytest.mark.parametrize("order", ["relevance", "newest", "title", "author", "'; --"])
def test_a_hostile_search_in_any_order_and_on_a_later_page_gives_a_page(client, indexed, query, order):
    assert_searched(client.get("/cgi/search/simple", {"q": query, "order": order, "page": "2"}), None)


@pytest.mark.parametrize("query", QUERIES[::3])
def test_a_hostile_search_exports_or_says_why_not(client, indexed, query):
    """An export of the results, or (a query with no word to search for) the page saying so."""
    response = client.get("/cgi/search/simple", {"q": query, "export": "BibTeX"})
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/html"):
        assert_searched(response, query)
    else:
        assert response["Content-Type"].startswith("application/x-bibtex")
        response.content.decode()


@pytest.mark.parametrize("query", QUERIES[::2])
def test_a_hostile_admin_search_gives_the_list(client, editor, indexed, query):
    client.force_login(editor)
    response = client.get("/admin/eprints_app/item/", {"q": query})
    assert response.status_code == 200
    assert_inert_html(response)


# Operators of the engines below (tsquery, FTS5) are read as the words around them, on both;
# the web-search syntax works beside them.
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ('"kestrel counts"', True),
        ("kestrel -osprey", True),
        ("kestrel OR osprey", True),
        ("!kestrel", True),
        ("kestrel & !", True),
        ("kestrel | ", True),
        ("kestrel:*", True),
        ("kestrel <-> counts", True),
        ("kestrel + counts", True),
        ('"kestrel" * ^', True),
        ("NEAR(kestrel counts, 2)", False),
        ("-kestrel", False),
        ("OR -kestrel", False),
    ],
)
def test_search_engine_operators_are_read_as_words(client, indexed, query, found):
    response = client.get("/cgi/search/simple", {"q": query})
    rows = assert_inert_html(response).xpath('//ol[contains(@class, "search-result-list")]/li')
    assert any("Kestrel counts" in row.text_content() for row in rows) == found
