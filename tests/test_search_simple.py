"""/cgi/search/simple: what is found and how it ranks, orders, pages, snippets, facets, exports,
and that readers only ever see live items and open-access text."""

import re
from pathlib import Path

import lxml.html
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eprints_app.enums import DerivativeStatus, ItemStatus, ItemType, Security
from eprints_app.exports import REGISTRY
from eprints_app.models import Creator, Division, Document, Item, Subject
from eprints_app.search.classification import division_tree, subject_tree
from eprints_app.search.criteria import Criteria
from eprints_app.services import search as search_service
from eprints_app.services.search_index import reindex_all, reindex_item
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db

URL = "/cgi/search/simple"
ROW_TEMPLATE = Path(settings.BASE_DIR) / "templates" / "eprints_app" / "citation_row.html"
# Result rows are citation_row.html, which shows a snippet once it has the line for it.
ROW_SHOWS_SNIPPETS = "snippet" in ROW_TEMPLATE.read_text()


def get(client, url=URL, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status
    return lxml.html.fromstring(response.content)


def titles(tree) -> list[str]:
    rows = tree.xpath('//ol[contains(@class, "search-result-list")]/li//p[@class="citation"]/a')
    return [row.text_content().rstrip(".") for row in rows]


def text_of(tree, xpath: str) -> str:
    return " ".join(" ".join(node.text_content().split()) for node in tree.xpath(xpath))


def with_text(item: Item, text: str, **fields) -> Document:
    document = make_document(item, **fields)
    Document.objects.filter(pk=document.pk).update(text=text, thumbnail_status=DerivativeStatus.SKIPPED)
    return document


def search(**texts):
    """The search service itself, for what a page does not show whole."""
    return search_service.search(Criteria(texts=texts), "", None, subject_tree(), division_tree())


def test_without_a_query_the_page_shows_the_form_only(client):
    tree = get(client)
    assert tree.xpath('//main//form[@role="search"]//input[@name="q"]/@type') == ["search"]
    assert tree.xpath('//label[@for="id_q"]/text()') == ["Search for:"]
    assert not tree.xpath('//*[@id="results-heading"]')


def test_search_pages_ask_crawlers_not_to_index_them(client):
    assert get(client).xpath('//meta[@name="robots"]/@content') == ["noindex"]


@pytest.mark.parametrize(
    "query",
    ["kestrel", "Okafor", "falconry", "raptors", "10.5555/birds.17", "9780198526636", "Ornithology"],
)
def test_finds_items_by_title_creators_keywords_abstract_identifiers_and_subjects(client, query):
    target = make_item(
        title="Kestrel populations",
        keywords="falconry",
        abstract="Counting raptors.",
        id_number="10.5555/birds.17",
        isbn="978-0-19-852663-6",
        creators=0,
    )
    Creator.objects.create(item=target, family="Okafor", given="Ada")
    target.subjects.add(Subject.objects.create(code="QL", name="QL Ornithology"))
    make_item(title="Something else")
    reindex_all()
    assert titles(get(client, q=query)) == ["Kestrel populations"]


def test_finds_items_by_their_eprint_id(client):
    item = make_item(title="Numbered")
    reindex_all()
    assert titles(get(client, q=str(item.pk))) == ["Numbered"]


def test_full_text_is_searched_only_in_documents_anyone_may_download(client):
    with_text(make_item(title="Open paper"), "The quokka thrives on Rottnest.")
    with_text(make_item(title="Closed paper"), "The quokka and a wombatsecret.", security=Security.STAFFONLY)
    reindex_all()
    assert titles(get(client, q="quokka")) == ["Open paper"]
    assert titles(get(client, q="wombatsecret")) == []


def test_items_that_are_not_live_are_never_found_even_with_a_stale_entry(client):
    make_item(title="Draft kestrel", status=ItemStatus.INBOX)
    retired = make_item(title="Retired kestrel")
    reindex_all()
    Item.objects.filter(pk=retired.pk).update(status=ItemStatus.DELETION)  # the entry is now stale
    assert titles(get(client, q="kestrel")) == []


def test_title_ranks_above_creators_and_keywords_above_abstract_above_full_text(client):
    filler = "A study of the coast and its birds over many seasons. " * 3
    full_text = make_item(title="Fifth", abstract=filler)
    with_text(full_text, "zephyr " + filler)
    make_item(title="Fourth", abstract="zephyr " + filler)
    make_item(title="Third", keywords="zephyr", abstract=filler)
    by_creator = make_item(title="Second", abstract=filler, creators=0)
    Creator.objects.create(item=by_creator, family="Zephyr")
    make_item(title="First zephyr", abstract=filler)
    reindex_all()
    found = titles(get(client, q="zephyr"))
    assert found[0] == "First zephyr"
    assert set(found[1:3]) == {"Second", "Third"}
    assert found[3:] == ["Fourth", "Fifth"]


def test_words_match_their_other_forms(client):
    make_item(title="Migrating birds of the Atlantic")
    reindex_all()
    assert titles(get(client, q="migration Atlantic")) == ["Migrating birds of the Atlantic"]


def test_accents_do_not_matter(client):
    item = make_item(title="Essays", creators=0)
    Creator.objects.create(item=item, family="Müller", given="Jonas")
    reindex_all()
    assert titles(get(client, q="muller")) == ["Essays"]
    assert titles(get(client, q="Müller")) == ["Essays"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ('"climate change"', ["Climate change policy"]),
        ("climate -policy", ["Change in the climate"]),
        ("energy OR climate", ["Change in the climate", "Climate change policy", "Energy policy"]),
        ('"change policy" OR energy', ["Climate change policy", "Energy policy"]),
        ('"climate change policy"', ["Climate change policy"]),
        ('"change in the climate"', ["Change in the climate"]),
        ('"policy change"', []),
        ('climate -"change policy"', ["Change in the climate"]),
    ],
)
def test_the_web_search_syntax_is_understood(client, query, expected):
    make_item(title="Climate change policy")
    make_item(title="Change in the climate")
    make_item(title="Energy policy")
    reindex_all()
    assert sorted(titles(get(client, q=query))) == expected


def test_results_come_twenty_a_page_with_a_count(client):
    for n in range(25):
        make_item(title=f"Kestrel {n:02d}", date=str(2000 + n))
    reindex_all()
    tree = get(client, q="kestrel", order="newest")
    assert titles(tree) == [f"Kestrel {n:02d}" for n in range(24, 4, -1)]
    assert text_of(tree, '//p[@class="result-count"]') == "Displaying results 1 to 20 of 25."
    assert tree.xpath('//nav[@class="pagination"]/a[@rel="next"]/@href') == ["?q=kestrel&order=newest&page=2"]
    second = get(client, q="kestrel", order="newest", page="2")
    assert titles(second) == [f"Kestrel {n:02d}" for n in range(4, -1, -1)]
    assert second.xpath('//ol[contains(@class, "search-result-list")]/@start') == ["21"]


@pytest.mark.parametrize("page", ["1000000000", "99999999999999999999999"])
def test_a_page_past_the_last_shows_the_last_page(client, page):
    for n in range(25):
        make_item(title=f"Kestrel {n:02d}", date=str(2000 + n))
    reindex_all()
    tree = get(client, q="kestrel", order="oldest", page=page)
    assert titles(tree) == [f"Kestrel {n:02d}" for n in range(20, 25)]


def test_results_can_be_ordered_newest_oldest_by_author_and_by_title(client):
    for title, date, family in (
        ("Beta", "2019", "Young"),
        ("alpha", "2021-05", "Adams"),
        ("Gamma", "", "Mills"),
    ):
        item = make_item(title=f"{title} kestrel", date=date, creators=0)
        Creator.objects.create(item=item, family=family)
    reindex_all()
    orders = {
        "newest": ["alpha kestrel", "Beta kestrel", "Gamma kestrel"],
        "oldest": ["Beta kestrel", "alpha kestrel", "Gamma kestrel"],
        "author": ["alpha kestrel", "Gamma kestrel", "Beta kestrel"],
        "title": ["alpha kestrel", "Beta kestrel", "Gamma kestrel"],
    }
    for order, expected in orders.items():
        tree = get(client, q="kestrel", order=order)
        assert titles(tree) == expected, order
        assert text_of(tree, '//p[@class="search-orders"]/strong') == order.capitalize()


def test_relevance_is_the_default_order_and_an_unknown_order_is_ignored(client):
    make_item(title="Kestrel", abstract="A kestrel and another kestrel.", date="2001")
    make_item(title="Raptors", abstract="Once a kestrel.", date="2024")
    reindex_all()
    for params in ({"q": "kestrel"}, {"q": "kestrel", "order": "<bogus>"}):
        tree = get(client, **params)
        assert titles(tree) == ["Kestrel", "Raptors"]
        assert text_of(tree, '//p[@class="search-orders"]/strong') == "Relevance"


def test_an_empty_result_says_so_and_suggests_broader_terms(client):
    make_item(title="Kestrel")
    reindex_all()
    tree = get(client, q="albatross")
    assert titles(tree) == []
    assert text_of(tree, '//p[@class="result-count"]') == "No items match your search."
    assert "Try fewer or broader words" in text_of(tree, '//section[@class="search-results"]')


@pytest.mark.parametrize("order", ["relevance", "newest", "oldest", "author", "title"])
def test_a_page_is_the_same_whether_found_along_with_the_facets_or_alone(client, order):
    for n in range(45):
        item = make_item(title=f"Kestrel {n:02d}", abstract="kestrel " * (n % 3), date=f"{2000 + n % 7}")
        item.creators.update(family=f"Author{n % 5}")
    reindex_all()
    cache.clear()
    along = titles(get(client, q="kestrel", order=order, page="2"))  # one statement finds both
    cache.clear()
    first = titles(get(client, q="kestrel", order=order))
    alone = titles(get(client, q="kestrel", order=order, page="2"))  # the facets are cached
    last = titles(get(client, q="kestrel", order=order, page="3"))
    assert along == alone
    assert len(first) == len(alone) == 20 and len(last) == 5
    assert sorted(first + alone + last) == [f"Kestrel {n:02d}" for n in range(45)]


def test_results_are_cached_until_the_index_changes(
    client, uncached_pages, django_capture_on_commit_callbacks
):
    make_item(title="Kestrel report")
    reindex_all()
    with CaptureQueriesContext(connection) as first:
        assert titles(get(client, q="kestrel")) == ["Kestrel report"]
    with CaptureQueriesContext(connection) as again:
        assert titles(get(client, q="kestrel")) == ["Kestrel report"]
    # The facet counts and the page's IDs, found by one statement, come from the cache (and so
    # do the trees' levels that the facets show, and on PostgreSQL the query as parsed, whose
    # phrases get their biwords).
    assert sum("COUNT(" in query["sql"] for query in first.captured_queries) == 1
    assert not any("COUNT(" in query["sql"] for query in again.captured_queries)
    assert len(again) == len(first) - (4 if connection.vendor == "postgresql" else 3)
    with django_capture_on_commit_callbacks(execute=True):
        make_item(title="Kestrel sightings", date="2025")
    assert titles(get(client, q="kestrel")) == ["Kestrel sightings", "Kestrel report"]
    with django_capture_on_commit_callbacks(execute=True):
        Item.objects.get(title="Kestrel report").delete()
    assert titles(get(client, q="kestrel")) == ["Kestrel sightings"]
    # Extracted text arrives without any signal (an UPDATE, then the entry rewritten).
    sightings = Item.objects.get(title="Kestrel sightings")
    document = with_text(sightings, "")
    assert titles(get(client, q="plumage")) == []
    Document.objects.filter(pk=document.pk).update(text="Notes on plumage.")
    with django_capture_on_commit_callbacks(execute=True):
        reindex_item(sightings.pk)
    assert titles(get(client, q="plumage")) == ["Kestrel sightings"]


def test_facets_count_the_results_and_narrow_them_when_followed(client):
    make_item(title="Kestrel report", date="2020")
    make_item(title="Kestrel article", type=ItemType.ARTICLE, date="2020-04")
    make_item(title="Kestrel thesis", type=ItemType.THESIS, thesis_type="doctoral", date="2018")
    make_item(title="Osprey article", type=ItemType.ARTICLE, date="2020")
    reindex_all()
    tree = get(client, q="kestrel")
    item_types = tree.xpath('//aside[@class="facets"]/h3[.="Item Type"]/following-sibling::ul[1]/li')
    assert [" ".join(li.text_content().split()) for li in item_types] == [
        "Article (1)",
        "Monograph (1)",
        "Thesis (1)",
    ]
    years = tree.xpath('//aside[@class="facets"]/h3[.="Year"]/following-sibling::ul[1]/li')
    assert [" ".join(li.text_content().split()) for li in years] == ["2020 (2)", "2018 (1)"]
    link = tree.xpath('//aside[@class="facets"]//a[.="2020"]/@href')[0]
    assert link == "?q=kestrel&year=2020"
    narrowed = client.get(URL + link)
    assert sorted(titles(lxml.html.fromstring(narrowed.content))) == ["Kestrel article", "Kestrel report"]


def test_the_subject_facet_goes_down_the_tree_and_counts_whole_subtrees(client):
    politics = Subject.objects.create(code="J", name="J Political Science")
    relations = Subject.objects.create(code="JZ", name="JZ International relations", parent=politics)
    theory = Subject.objects.create(code="JA", name="JA Political science (General)", parent=politics)
    both = make_item(title="Kestrel diplomacy")
    both.subjects.add(relations, theory)
    make_item(title="Kestrel theory").subjects.add(theory)
    reindex_all()

    def facet(tree) -> list[tuple[str, str]]:
        links = tree.xpath('//aside[@class="facets"]/h3[.="Subject"]/following-sibling::ul[1]/li')
        return [(" ".join(li.text_content().split()), li.xpath("a/@href")[0]) for li in links]

    assert facet(get(client, q="kestrel")) == [("J Political Science (2)", "?q=kestrel&subject=J")]
    below = get(client, q="kestrel", subject="J")
    assert facet(below) == [
        ("JA Political science (General) (2)", "?q=kestrel&subject=JA"),
        ("JZ International relations (1)", "?q=kestrel&subject=JZ"),
    ]
    assert titles(get(client, q="kestrel", subject="JZ")) == ["Kestrel diplomacy"]


def test_subject_facets_and_filters_follow_a_heading_moved_to_another_branch(
    client, django_capture_on_commit_callbacks
):
    politics = Subject.objects.create(code="J", name="J Political Science")
    law = Subject.objects.create(code="K", name="K Law")
    relations = Subject.objects.create(code="JZ", name="JZ International relations", parent=politics)
    treaties = Subject.objects.create(code="JZ6", name="Treaties", parent=relations)
    make_item(title="Kestrel treaty").subjects.add(treaties)
    reindex_all()
    assert titles(get(client, q="kestrel", subject="J")) == ["Kestrel treaty"]
    relations.parent = law
    with django_capture_on_commit_callbacks(execute=True):
        relations.save()  # its sub-headings follow, and their items are indexed again
    assert titles(get(client, q="kestrel", subject="J")) == []
    assert titles(get(client, q="kestrel", subject="K")) == ["Kestrel treaty"]
    subjects = get(client, q="kestrel").xpath(
        '//aside[@class="facets"]/h3[.="Subject"]/following-sibling::ul[1]/li'
    )
    assert [" ".join(li.text_content().split()) for li in subjects] == ["K Law (1)"]


def test_the_division_facet_narrows_the_results(client):
    faculty = Division.objects.create(code="soc", name="Faculty of Social Sciences")
    make_item(title="Kestrel one").divisions.add(faculty)
    make_item(title="Kestrel two")
    reindex_all()
    tree = get(client, q="kestrel")
    link = tree.xpath('//aside[@class="facets"]//a[.="Faculty of Social Sciences"]/@href')
    assert link == ["?q=kestrel&division=soc"]
    assert titles(get(client, q="kestrel", division="soc")) == ["Kestrel one"]


def test_filters_in_use_are_listed_with_a_link_that_removes_them(client):
    make_item(title="Kestrel", type=ItemType.ARTICLE, date="2020")
    reindex_all()
    tree = get(client, q="kestrel", type="article", year="2020")
    chosen = tree.xpath('//ul[@class="chosen-filters"]/li/a')
    assert [(a.text.strip(), a.get("href")) for a in chosen] == [
        ("Article", "?q=kestrel&year=2020"),
        ("2020", "?q=kestrel&type=article"),
    ]


@pytest.mark.skipif(not ROW_SHOWS_SNIPPETS, reason="citation_row.html does not show snippets yet")
def test_each_result_shows_a_snippet_with_the_match_marked_and_everything_else_escaped(client):
    item = make_item(title="<i>Kestrel</i>", abstract='Nesting <script>alert("x")</script> & kestrel habits.')
    with_text(item, "Not this.")
    reindex_all()
    response = client.get(URL, {"q": "kestrel"})
    html = response.content.decode()
    assert "<script>alert" not in html and "<i>Kestrel" not in html
    snippet = lxml.html.fromstring(response.content).xpath(
        '//li[@class="citation-row"]//p[@class="snippet"]'
    )[0]
    # The only markup is the highlight (PostgreSQL's headline also drops the tags themselves).
    assert [(child.tag, child.text) for child in snippet] == [("mark", "kestrel")]
    assert snippet.text.startswith("Nesting ")
    assert "&amp; <mark>kestrel</mark> habits" in lxml.html.tostring(snippet, encoding="unicode")


def test_the_snippet_comes_from_the_full_text_when_the_match_is_there():
    item = make_item(title="Birds", abstract="About birds.")
    with_text(item, "Early pages. The kestrel hovers & <b>stoops</b>.")
    reindex_all()
    snippet = search(q="kestrel").results[0].snippet
    assert "The <mark>kestrel</mark> hovers &amp;" in snippet
    assert "<b>" not in snippet


def test_snippets_ask_each_column_only_for_the_items_not_yet_matched(monkeypatch):
    in_abstract = make_item(title="Birds", abstract="The kestrel hovers.")
    with_text(in_abstract, "A long book about the kestrel.")
    in_text = make_item(title="Birds", abstract="About birds.")
    with_text(in_text, "Early pages. The kestrel stoops.")
    in_title = make_item(title="Kestrel", abstract="Field notes.")
    reindex_all()
    backend = search_service.backend()
    asked = []

    def headlines(ids, texts, column):
        asked.append((column, sorted(ids)))
        return real(ids, texts, column)

    real = backend.headlines
    monkeypatch.setattr(backend, "headlines", headlines)
    found = {result.item.pk: result.snippet for result in search(q="kestrel").results}
    assert asked == [
        ("abstract", sorted([in_abstract.pk, in_text.pk, in_title.pk])),
        ("full_text", sorted([in_text.pk, in_title.pk])),
        ("keywords", [in_title.pk]),
        ("classification", [in_title.pk]),
    ]
    assert "<mark>kestrel</mark> hovers" in found[in_abstract.pk]
    assert "<mark>kestrel</mark> stoops" in found[in_text.pk]
    assert found[in_title.pk] == "Field notes."  # no match but in the title: the abstract's start


def test_restricted_full_text_never_reaches_a_snippet():
    item = make_item(title="Kestrel", abstract="Public abstract.")
    with_text(item, "kestrel secretword", security=Security.STAFFONLY)
    reindex_all()
    found = search(q="kestrel")
    assert "secretword" not in found.results[0].snippet


def test_results_export_in_a_public_format_with_the_whole_result_set(client):
    for n in range(25):
        make_item(title=f"Kestrel {n}")
    make_item(title="Osprey")
    reindex_all()
    response = client.get(URL, {"q": "kestrel", "export": "BibTeX", "page": "2"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="demo-export.bib"'
    body = response.content.decode()
    assert len(re.findall(r"^@techreport\{", body, re.MULTILINE)) == 25
    assert "Osprey" not in body


def test_the_export_is_capped(client, monkeypatch):
    monkeypatch.setattr(search_service, "EXPORT_LIMIT", 3)
    for n in range(5):
        make_item(title=f"Kestrel {n}")
    reindex_all()
    body = client.get(URL, {"q": "kestrel", "export": "RIS"}).content.decode()
    assert body.count("TY  - ") == 3


@pytest.mark.parametrize("identifier", ["EP3XML", "NoSuchFormat", ""])
def test_unknown_export_formats_are_not_found(client, identifier):
    make_item(title="Kestrel")
    reindex_all()
    assert client.get(URL, {"q": "kestrel", "export": identifier}).status_code == 404


@pytest.mark.parametrize("identifier", ["XML", "JSON", "CSV"])
def test_staff_only_export_formats_are_refused_to_readers_and_served_to_editors(client, editor, identifier):
    """The same rule as the item's export URL (access.may_export)."""
    make_item(title="Kestrel")
    reindex_all()
    assert client.get(URL, {"q": "kestrel", "export": identifier}).status_code == 403
    client.force_login(editor)
    response = client.get(URL, {"q": "kestrel", "export": identifier})
    assert response.status_code == 200
    assert response["Content-Type"] == REGISTRY[identifier].content_type


def test_the_page_offers_every_public_export_format(client):
    from eprints_app.exports import public_formats

    make_item(title="Kestrel")
    reindex_all()
    tree = get(client, q="kestrel", page="1")
    assert tree.xpath('//form[@class="export-form"]//option/@value') == [
        f.identifier for f in public_formats()
    ]
    assert tree.xpath('//form[@class="export-form"]/input[@type="hidden"]') != []
    assert tree.xpath('//form[@class="export-form"]/input[@name="page"]') == []


def make_results(count: int) -> None:
    subject = Subject.objects.create(code="Q", name="Q Science")
    division = Division.objects.create(code="sci", name="Science")
    for n in range(count):
        item = make_item(title=f"Kestrel {n}", creators=2)
        item.subjects.add(subject)
        item.divisions.add(division)
        with_text(item, "kestrel text")
    reindex_all()


@pytest.mark.parametrize(
    "params", [{"q": "kestrel"}, {"q": "kestrel", "order": "author"}, {"type": "monograph"}]
)
def test_the_number_of_queries_does_not_grow_with_the_results_shown(client, params):
    counts = []
    for size in (1, 20):
        Item.objects.all().delete()
        Subject.objects.all().delete()
        Division.objects.all().delete()
        make_results(size)
        with CaptureQueriesContext(connection) as queries:
            tree = get(client, **params)
        assert len(titles(tree)) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_every_page_has_a_search_box_in_its_header(client):
    body = client.get("/about/").content.decode()
    assert '<form class="site-search" role="search" method="get" action="/cgi/search/simple">' in body
