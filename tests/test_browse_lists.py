"""What every browse list does: group, page, export, stay current, and refuse bad input."""

import bibtexparser
import pytest
from lxml import etree

from eprints_app.enums import CreatorRole, ItemStatus, ItemType
from eprints_app.exports import REGISTRY, public_formats
from eprints_app.models import Creator, Subject
from eprints_app.services.status import change_status
from tests.factories import make_item
from tests.pages import html, queries_for, titles

pytestmark = pytest.mark.django_db

YEAR = "/view/year/2021.html"


def sections(response) -> list[tuple[str, list[str]]]:
    """Each group heading with the titles listed under it."""
    page = html(response)
    return [
        (
            h2.text_content(),
            [a.text_content() for a in h2.xpath('following-sibling::ul[1]//p[@class="citation"]/a')],
        )
        for h2 in page.xpath("//main//h2")
    ]


def by(family: str, title: str, role: str = CreatorRole.CREATOR, **fields):
    item = make_item(title=title, date=fields.pop("date", "2021"), creators=0, **fields)
    if family:
        Creator.objects.create(item=item, family=family, given="G", role=role)
    return item


@pytest.fixture
def mixed_year():
    by("Young", "Article by Young", type=ItemType.ARTICLE, date="2021-05")
    by("Adams", "Article by Adams", type=ItemType.ARTICLE, date="2021-09")
    by("Brown", "Thesis by Brown", type=ItemType.THESIS, thesis_type="doctoral")
    by("Abbot", "Book edited by Abbot", type=ItemType.BOOK, role=CreatorRole.EDITOR)
    by("", "Anonymous report", type=ItemType.MONOGRAPH, date="2021-01")


def test_lists_are_grouped_by_item_type_by_default_newest_first_within_a_type(client, mixed_year):
    assert sections(client.get(YEAR)) == [
        ("Article", ["Article by Adams.", "Article by Young."]),
        ("Book", ["Book edited by Abbot."]),
        ("Monograph", ["Anonymous report."]),
        ("Thesis", ["Thesis by Brown."]),
    ]


def test_lists_grouped_by_initial_follow_the_first_name_of_the_citation(client, mixed_year):
    assert sections(client.get(f"{YEAR}?group=initial")) == [
        ("A", ["Book edited by Abbot.", "Article by Adams."]),
        ("B", ["Thesis by Brown."]),
        ("Y", ["Article by Young."]),
        ("No author", ["Anonymous report."]),
    ]


def test_ungrouped_lists_have_no_group_headings_and_put_the_newest_first(client, mixed_year):
    response = client.get(f"{YEAR}?group=none")
    assert sections(response) == []
    assert titles(response) == [
        "Article by Adams.",
        "Article by Young.",
        "Anonymous report.",
        "Book edited by Abbot.",
        "Thesis by Brown.",
    ]


def test_group_by_menu_marks_the_current_grouping_and_links_the_others(client, mixed_year):
    page = html(client.get(f"{YEAR}?group=initial"))
    menu = page.xpath('//p[@class="group-by"]')[0]
    assert menu.xpath("strong[@aria-current]/text()") == ["Author's initial"]
    assert menu.xpath("a/@href") == [YEAR, f"{YEAR}?group=none"]


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("eprints_app.browse.listing.PAGE_SIZE", 2)
    for n in range(5):
        make_item(title=f"Item {n}", date=f"2021-0{n + 1}")


def test_long_lists_are_cut_into_pages_with_previous_and_next_links(client, small_pages):
    first = client.get(f"{YEAR}?group=none")
    assert titles(first) == ["Item 4.", "Item 3."]
    assert html(first).xpath('//nav[@class="pagination"]//a/@href') == [f"{YEAR}?group=none&page=2"]
    assert "Number of items: 5. Showing 1–2." in " ".join(html(first).text_content().split())
    last = client.get(f"{YEAR}?group=none&page=3")
    assert titles(last) == ["Item 0."]
    assert html(last).xpath('//nav[@class="pagination"]//a/@href') == [f"{YEAR}?group=none&page=2"]
    assert " ".join(html(last).xpath('string(//nav[@class="pagination"])').split()) == (
        "Previous page Page 3 of 3"
    )


@pytest.mark.parametrize("page", ["4", "0", "-1", "x", "1.5", "", str(10**9), "9" * 40, "١"])
def test_pages_out_of_range_or_malformed_are_not_found(client, small_pages, page):
    assert client.get(YEAR, {"page": page}).status_code == 404


def read_bibtex(text: str) -> bibtexparser.Library:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    return library


def test_export_returns_the_whole_list_in_list_order_through_the_registry(client, settings, small_pages):
    settings.REPOSITORY_ID = "lseresearch"
    make_item(title="Retired", date="2021", status=ItemStatus.DELETION)
    response = client.get(YEAR, {"export": "BibTeX", "group": "none"})
    assert response.status_code == 200
    assert response["Content-Type"] == REGISTRY["BibTeX"].content_type
    assert response["Content-Disposition"] == 'inline; filename="lseresearch-year-2021.bib"'
    library = read_bibtex(response.content.decode())
    assert [entry["title"] for entry in library.entries] == [f"Item {n}" for n in (4, 3, 2, 1, 0)]


def test_export_file_is_named_after_the_list(client, settings):
    settings.REPOSITORY_ID = "demo"
    jz = Subject.objects.create(code="JZ", name="JZ International relations")
    make_item(title="Paper").subjects.set([jz])
    response = client.get("/view/subjects/JZ.html", {"export": "RIS"})
    assert response["Content-Disposition"] == 'inline; filename="demo-subjects-JZ.ris"'


def test_export_menu_offers_the_public_formats_of_the_registry(client):
    make_item(date="2021")
    options = html(client.get(YEAR)).xpath('//select[@name="export"]/option/@value')
    assert options == [fmt.identifier for fmt in public_formats()]
    assert "BibTeX" in options and "EP3XML" not in options


@pytest.mark.parametrize("fmt", ["Nope", "", "bibtex", "EP3XML"])
def test_unknown_export_formats_are_not_found(client, fmt):
    make_item(date="2021")
    assert client.get(YEAR, {"export": fmt}).status_code == 404


@pytest.mark.parametrize("fmt", ["XML", "JSON", "CSV"])
def test_staff_only_export_formats_are_refused_to_readers_and_served_to_editors(client, editor, fmt):
    """The same rule as the item's export URL (access.may_export)."""
    make_item(date="2021")
    assert client.get(YEAR, {"export": fmt}).status_code == 403
    client.force_login(editor)
    response = client.get(YEAR, {"export": fmt})
    assert response.status_code == 200
    assert response["Content-Type"] == REGISTRY[fmt].content_type


def test_a_changed_title_shows_in_the_cached_list_at_once(client):
    item = make_item(title="Old title", date="2021")
    assert titles(client.get(YEAR)) == ["Old title."]
    item.title = "New title"
    item.save()
    assert titles(client.get(YEAR)) == ["New title."]


def test_retired_items_leave_every_cached_list_at_once(client, editor):
    item = by("Smith", "Going", date="2021")
    make_item(title="Staying", date="2021")
    pages = [YEAR, "/view/types/monograph.html", "/view/creators/smith-g.html"]
    assert [len(titles(client.get(path))) for path in pages] == [2, 2, 1]
    change_status(item, ItemStatus.DELETION, editor)
    assert titles(client.get(YEAR)) == ["Staying."]
    assert titles(client.get("/view/types/monograph.html")) == ["Staying."]
    assert client.get("/view/creators/smith-g.html").status_code == 404


def test_renamed_creator_and_new_subjects_show_in_cached_lists_at_once(client):
    item = by("Smith", "Paper", date="2021")
    jz = Subject.objects.create(code="JZ", name="JZ International relations")
    assert client.get("/view/creators/jones-g.html").status_code == 404
    assert client.get("/view/subjects/").content.count(b"JZ International relations") == 0
    Creator.objects.get(item=item).delete()
    Creator.objects.create(item=item, family="Jones", given="G")
    item.subjects.add(jz)
    assert titles(client.get("/view/creators/jones-g.html")) == ["Paper."]
    assert client.get("/view/subjects/").content.count(b"JZ International relations") == 1


def test_browse_menu_links_every_way_to_browse(client):
    page = html(client.get("/view/"))
    assert page.xpath("//main//a/@href") == [
        "/view/year/",
        "/view/subjects/",
        "/view/divisions/",
        "/view/creators/",
        "/view/types/",
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/view/",
        "/view/year/",
        YEAR,
        "/view/subjects/",
        "/view/creators/",
        "/view/types/",
        "/view/types/monograph.html",
    ],
)
def test_browse_pages_have_one_h1_and_headings_in_order(client, mixed_year, path):
    levels = [int(h.tag[1]) for h in html(client.get(path)).xpath("//h1|//h2|//h3|//h4")]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


@pytest.mark.parametrize(
    "query",
    [{"group": "author"}, {"group": ""}, {"group": "TYPE"}, {"page": "2"}, {"export": "../../etc"}],
)
def test_bad_list_parameters_are_not_found(client, query):
    make_item(date="2021")
    assert client.get(YEAR, query).status_code == 404


def test_browse_pages_answer_only_get_and_head(client):
    make_item(date="2021")
    assert client.post(YEAR).status_code == 405
    assert client.head(YEAR).status_code == 200


def test_sitemap_lists_the_browse_pages_that_have_items(client, settings):
    settings.BASE_URL = "https://repo.example.ac.uk"
    j = Subject.objects.create(code="J", name="J Political Science")
    Subject.objects.create(code="JZ", name="JZ International relations", parent=j)
    Subject.objects.create(code="H", name="H Social Sciences")
    make_item(date="2021-03", type=ItemType.ARTICLE).subjects.set(["JZ"])
    make_item(date="2019", type=ItemType.BOOK, status=ItemStatus.INBOX)
    root = etree.fromstring(client.get("/sitemap-browse.xml").content)
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {loc.removeprefix(settings.BASE_URL) for loc in root.xpath("//sm:loc/text()", namespaces=ns)}
    browse = {url for url in urls if url.startswith("/view/")}
    assert browse == {
        "/view/",
        "/view/year/",
        "/view/subjects/",
        "/view/divisions/",
        "/view/creators/",
        "/view/types/",
        "/view/year/2021.html",
        "/view/subjects/J.html",
        "/view/subjects/JZ.html",
        "/view/types/article.html",
    }


def test_every_browse_list_leaves_out_items_not_in_the_live_archive(client):
    jz = Subject.objects.create(code="JZ", name="JZ International relations")
    for status in (ItemStatus.INBOX, ItemStatus.BUFFER, ItemStatus.DELETION):
        by("Hidden", f"Hidden {status}", date="2021", status=status).subjects.set([jz])
    by("Shown", "Shown", date="2021").subjects.set([jz])
    for path in (YEAR, "/view/subjects/JZ.html", "/view/types/monograph.html", "/view/creators/shown-g.html"):
        assert titles(client.get(path)) == ["Shown."]
    assert client.get("/view/creators/hidden-g.html").status_code == 404


def test_cached_list_pages_are_answered_without_queries(client):
    make_item(date="2021")
    client.get(YEAR)
    assert queries_for(client, YEAR) == 0
