"""Browse by subject and by division: the trees with counts, and the list under each node."""

import lxml.html
import pytest

from eprints_app.enums import ItemStatus
from eprints_app.models import Division, Subject
from tests.factories import make_document, make_item
from tests.pages import html, titles, uncached_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def subjects() -> dict[str, Subject]:
    j = Subject.objects.create(code="J", name="J Political Science")
    h = Subject.objects.create(code="H", name="H Social Sciences")
    nodes = {
        "J": j,
        "JA": Subject.objects.create(code="JA", name="JA Political science (General)", parent=j),
        "JZ": Subject.objects.create(code="JZ", name="JZ International relations", parent=j),
        "H": h,
        "HB": Subject.objects.create(code="HB", name="HB Economic Theory", parent=h),
    }
    # JZ filed twice: an item in both J and JZ counts once under J.
    for title, codes, status in [
        ("In JZ", ["JZ"], ItemStatus.ARCHIVE),
        ("In J and JZ", ["J", "JZ"], ItemStatus.ARCHIVE),
        ("In JA", ["JA"], ItemStatus.ARCHIVE),
        ("Retired in JZ", ["JZ"], ItemStatus.DELETION),
        ("Workarea in HB", ["HB"], ItemStatus.INBOX),
    ]:
        make_item(title=title, status=status).subjects.set([nodes[code] for code in codes])
    return nodes


def tree_lines(root: lxml.html.HtmlElement) -> list[str]:
    """Each node of the tree as "<indent>name (count)", indented two spaces per level."""
    lines = []
    for li in root.xpath('.//ul[@class="browse-tree"]/li'):
        depth = len(li.xpath('ancestor::ul[@class="browse-tree"]')) - 1
        lines.append(
            "  " * depth
            + " ".join(li.xpath("string(a)").split())
            + " "
            + li.xpath("normalize-space(a/following-sibling::text()[1])")
        )
    return lines


def test_subject_tree_counts_each_item_once_in_its_node_and_every_node_above(client, subjects):
    main = html(client.get("/view/subjects/")).xpath("//main")[0]
    assert tree_lines(main) == [
        "J Political Science (3)",
        "  JA Political science (General) (1)",
        "  JZ International relations (2)",
    ]


def test_subject_tree_hides_branches_without_live_items(client, subjects):
    body = client.get("/view/subjects/").content.decode()
    assert "H Social Sciences" not in body
    assert "HB Economic Theory" not in body


def test_subject_page_lists_live_items_in_the_subject_and_below(client, subjects):
    assert sorted(titles(client.get("/view/subjects/J.html"))) == ["In J and JZ.", "In JA.", "In JZ."]
    assert sorted(titles(client.get("/view/subjects/JZ.html"))) == ["In J and JZ.", "In JZ."]


def test_subject_page_shows_its_place_in_the_tree_and_the_narrower_subjects(client, subjects):
    jz = html(client.get("/view/subjects/JZ.html"))
    assert jz.xpath("//h1/text()") == [
        'Items where Subject is "J Political Science > JZ International relations"'
    ]
    assert jz.xpath('//nav[@class="trail"]//a/@href') == [
        "/view/",
        "/view/subjects/",
        "/view/subjects/J.html",
    ]
    j = html(client.get("/view/subjects/J.html"))
    assert tree_lines(j.xpath('//nav[@aria-label="Narrower headings"]')[0]) == [
        "JA Political science (General) (1)",
        "JZ International relations (2)",
    ]


def test_subject_without_live_items_has_an_empty_page(client, subjects):
    page = html(client.get("/view/subjects/HB.html"))
    assert "Number of items: 0." in page.text_content()
    assert titles(client.get("/view/subjects/HB.html")) == []


@pytest.mark.parametrize(
    "path",
    [
        "/view/subjects/NOPE.html",
        "/view/subjects/jz.html",
        "/view/subjects/.html",
        "/view/subjects/J/Z.html",
        "/view/subjects/%00.html",
        "/view/subjects/JZ",
        "/view/divisions/JZ.html",
        "/view/themes/",
    ],
)
def test_unknown_subjects_and_divisions_are_not_found(client, subjects, path):
    assert client.get(path).status_code == 404


def test_division_tree_and_pages_count_and_list_the_same_way(client):
    faculty = Division.objects.create(code="fac-soc", name="Faculty of Social Sciences")
    economics = Division.objects.create(code="dept-econ", name="Department of Economics", parent=faculty)
    Division.objects.create(code="dept-maths", name="Department of Mathematics")
    make_item(title="Faculty report").divisions.set([faculty])
    make_item(title="Economics paper").divisions.set([economics])
    make_item(title="Draft", status=ItemStatus.BUFFER).divisions.set([economics])
    main = html(client.get("/view/divisions/")).xpath("//main")[0]
    assert tree_lines(main) == ["Faculty of Social Sciences (2)", "  Department of Economics (1)"]
    assert sorted(titles(client.get("/view/divisions/fac-soc.html"))) == [
        "Economics paper.",
        "Faculty report.",
    ]
    assert titles(client.get("/view/divisions/dept-econ.html")) == ["Economics paper."]


def test_subject_page_query_count_does_not_grow_with_the_items_shown(client, subjects):
    for code, count in (("JA", 1), ("HB", 25)):
        for _ in range(count):
            item = make_item(creators=3)
            item.subjects.set([subjects[code], subjects["JZ"]])
            make_document(item, content=b"text", filename="notes.txt")
    counts = uncached_queries(client, "/view/subjects/JA.html", "/view/subjects/HB.html")
    # The branch: nodes, filings, live items among them (3); the count and the page (2);
    # the items' creators, documents, subjects and divisions (4).
    assert counts == [9, 9]
