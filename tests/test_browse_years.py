"""Browse by year (/view/year/) and by item type (/view/types/): counts, lists, bad addresses."""

import pytest
from django.core.cache import cache

from eprints_app.enums import ItemStatus, ItemType
from tests.factories import make_document, make_item
from tests.pages import entries, html, links, queries_for, titles, uncached_queries

pytestmark = pytest.mark.django_db


def test_year_index_lists_years_with_live_items_newest_first_with_counts(client):
    for date in ("2021", "2021-03-29", "2019-07", "2023"):
        make_item(date=date)
    make_item(date="2022", status=ItemStatus.INBOX)
    make_item(date="2020", status=ItemStatus.BUFFER)
    make_item(date="2018", status=ItemStatus.DELETION)
    response = client.get("/view/year/")
    assert entries(response) == ["2023 (1)", "2021 (2)", "2019 (1)"]
    assert links(response) == [
        "/view/year/2023.html",
        "/view/year/2021.html",
        "/view/year/2019.html",
    ]


def test_items_without_a_date_are_listed_last_as_unspecified_at_eprints_null_page(client):
    make_item(date="2021", title="Dated")
    make_item(date="", title="Undated")
    make_item(date="", title="Undated draft", status=ItemStatus.INBOX)
    index = client.get("/view/year/")
    assert entries(index) == ["2021 (1)", "Unspecified (1)"]
    assert links(index)[-1] == "/view/year/NULL.html"
    page = html(client.get("/view/year/NULL.html"))
    assert page.xpath("//h1/text()") == ["Items where Year is Unspecified"]
    assert [a.text_content() for a in page.xpath('//p[@class="citation"]/a')] == ["Undated."]


def test_unspecified_year_is_not_found_when_every_item_has_a_date(client):
    make_item(date="2021")
    make_item(date="", status=ItemStatus.BUFFER)
    assert client.get("/view/year/NULL.html").status_code == 404
    assert entries(client.get("/view/year/")) == ["2021 (1)"]


def test_year_page_lists_the_live_items_of_that_year_only(client):
    for date in ("2021", "2021-03", "2021-12-31"):
        make_item(date=date, title=f"Dated {date}")
    make_item(date="2020-12-31", title="Year before")
    make_item(date="2022", title="Year after")
    make_item(date="2021", title="In the workarea", status=ItemStatus.INBOX)
    make_item(date="2021", title="Retired", status=ItemStatus.DELETION)
    response = client.get("/view/year/2021.html")
    assert titles(response) == ["Dated 2021-12-31.", "Dated 2021-03.", "Dated 2021."]
    page = html(response)
    assert page.xpath("//h1/text()") == ["Items where Year is 2021"]
    assert " ".join(page.xpath('string(//p[@class="lead"])').split()) == "Number of items: 3."


@pytest.mark.parametrize(
    "path",
    [
        "/view/year/1850.html",
        "/view/year/abcd.html",
        "/view/year/99999.html",
        "/view/year/202.html",
        "/view/year/-2021.html",
        "/view/year/2021",
        "/view/year/2021.htm",
        "/view/year/%00.html",
        "/view/year/null.html",
        "/view/year/.html",
    ],
)
def test_years_without_items_and_malformed_years_are_not_found(client, path):
    make_item(date="2021")
    assert client.get(path).status_code == 404


def test_type_index_lists_types_with_live_items_by_label_with_counts(client):
    make_item(type=ItemType.THESIS, thesis_type="doctoral")
    make_item(type=ItemType.ARTICLE, publication="Journal")
    make_item(type=ItemType.ARTICLE, publication="Journal")
    make_item(type=ItemType.BOOK)
    make_item(type=ItemType.DATASET, status=ItemStatus.BUFFER)
    response = client.get("/view/types/")
    assert entries(response) == ["Article (2)", "Book (1)", "Thesis (1)"]
    assert links(response)[0] == "/view/types/article.html"


def test_type_page_lists_the_live_items_of_that_type(client):
    make_item(type=ItemType.ARTICLE, title="An article", date="2020")
    make_item(type=ItemType.ARTICLE, title="A newer article", date="2022")
    make_item(type=ItemType.ARTICLE, title="A draft", status=ItemStatus.INBOX)
    make_item(type=ItemType.BOOK, title="A book")
    response = client.get("/view/types/article.html")
    assert html(response).xpath("//h1/text()") == ['Items where Type is "Article"']
    assert titles(response) == ["A newer article.", "An article."]


def test_type_without_items_shows_an_empty_list_and_unknown_types_are_not_found(client):
    assert "Number of items: 0." in html(client.get("/view/types/patent.html")).text_content()
    for path in ("/view/types/nope.html", "/view/types/Article.html", "/view/types/.html"):
        assert client.get(path).status_code == 404


def make_year(year: str, count: int) -> None:
    for n in range(count):
        item = make_item(date=f"{year}-01-{n % 28 + 1:02d}", creators=3)
        make_document(item, content=b"text", filename="notes.txt")


def test_year_page_query_count_does_not_grow_with_the_items_shown(client):
    make_year("2001", 1)
    make_year("2002", 25)
    counts = uncached_queries(client, "/view/year/2001.html", "/view/year/2002.html")
    # The years (1), the count and the page (2), creators, documents, subjects, divisions (4).
    assert counts == [7, 7]


def test_cached_year_page_is_answered_without_queries(client):
    make_year("2001", 2)
    cache.clear()
    client.get("/view/year/2001.html")
    assert queries_for(client, "/view/year/2001.html") == 0
