"""Browse by author: the A–Z index, the people under a letter, and one page per person."""

import pytest

from eprints_app.enums import CreatorRole, ItemStatus
from eprints_app.models import Creator, Item
from tests.factories import make_document, make_item
from tests.pages import entries, html, links, titles, uncached_queries

pytestmark = pytest.mark.django_db

ORCID = "0000-0002-1825-0097"


def authored(title: str, *people: tuple, status: str = ItemStatus.ARCHIVE, **fields) -> Item:
    """An item by ``people``: (family, given) or (family, given, orcid) or with a role last."""
    item = make_item(title=title, status=status, creators=0, **fields)
    for position, (family, given, *rest) in enumerate(people):
        orcid = rest[0] if rest else ""
        role = rest[1] if len(rest) > 1 else CreatorRole.CREATOR
        Creator.objects.create(
            item=item, position=position, family=family, given=given, orcid=orcid, role=role
        )
    return item


def test_author_index_files_people_under_the_first_letter_of_their_family_name(client):
    authored("One", ("Ahmar", "Moonis"), ("Abbott", "Ann"))
    authored("Two", ("Éluard", "Paul"), ("'t Hooft", "Gerard"))
    authored("Three", ("Łoś", "Jan"), ("3M Lab", ""))
    authored("Draft", ("Zed", "Zoe"), status=ItemStatus.INBOX)
    authored("Edited", ("Yates", "Yan", "", CreatorRole.EDITOR))
    response = client.get("/view/creators/")
    assert entries(response) == ["A (2)", "E (1)", "T (1)", "Other (2)"]
    assert links(response) == [
        "/view/creators/A.html",
        "/view/creators/E.html",
        "/view/creators/T.html",
        "/view/creators/Other.html",
    ]


def test_letter_page_lists_its_people_by_family_name_with_their_item_counts(client):
    authored("One", ("Smith", "John"), ("Smith", "Ann"))
    authored("Two", ("Smith", "Ann"), ("Šimić", "Ana"))
    authored("Three", ("Shaw", "Sam"), ("Jones", "Jo"))
    authored("Retired", ("Smith", "John"), ("Stone", "Sue"), status=ItemStatus.DELETION)
    response = client.get("/view/creators/S.html")
    assert entries(response) == ["Shaw, Sam (1)", "Šimić, Ana (1)", "Smith, Ann (2)", "Smith, John (1)"]
    assert links(response) == [
        "/view/creators/shaw-sam.html",
        "/view/creators/%C5%A1imi%C4%87-ana.html",
        "/view/creators/smith-ann.html",
        "/view/creators/smith-john.html",
    ]
    assert html(response).xpath("//h1/text()") == ["Browse by Author: S"]


def test_letter_without_people_has_an_empty_page(client):
    assert entries(client.get("/view/creators/Q.html")) == []


def test_person_page_lists_the_live_items_naming_them_as_creator(client):
    authored("Ann alone", ("Smith", "Ann"), date="2020")
    authored("Ann and John", ("Smith", "John"), ("Smith", "Ann"), date="2022")
    authored("John alone", ("Smith", "John"))
    authored("Ann edited", ("Other", "Olga"), ("Smith", "Ann", "", CreatorRole.EDITOR))
    authored("Ann's draft", ("Smith", "Ann"), status=ItemStatus.BUFFER)
    response = client.get("/view/creators/smith-ann.html")
    assert html(response).xpath("//h1/text()") == ['Items where Author is "Smith, Ann"']
    assert titles(response) == ["Ann and John.", "Ann alone."]


def test_people_with_the_same_orcid_are_one_person_named_as_on_most_items(client):
    authored("First", ("Carberry", "Josiah", ORCID))
    authored("Second", ("Carberry", "Josiah", ORCID))
    authored("Third", ("Carberry", "J.", ORCID))
    authored("Namesake", ("Carberry", "Josiah"))
    assert entries(client.get("/view/creators/C.html")) == ["Carberry, Josiah (3)", "Carberry, Josiah (1)"]
    assert links(client.get("/view/creators/C.html")) == [
        f"/view/creators/{ORCID}.html",
        "/view/creators/carberry-josiah.html",
    ]
    by_orcid = client.get(f"/view/creators/{ORCID}.html")
    assert sorted(titles(by_orcid)) == ["First.", "Second.", "Third."]
    assert html(by_orcid).xpath('//a[starts-with(@href, "https://orcid.org/")]/@href') == [
        f"https://orcid.org/{ORCID}"
    ]
    assert titles(client.get("/view/creators/carberry-josiah.html")) == ["Namesake."]


def test_orcid_ending_in_x_has_a_lower_case_address(client):
    authored("Paper", ("Hawkins", "Hal", "0000-0002-1694-233X"))
    assert links(client.get("/view/creators/H.html")) == ["/view/creators/0000-0002-1694-233x.html"]
    assert titles(client.get("/view/creators/0000-0002-1694-233x.html")) == ["Paper."]


def test_spellings_that_make_the_same_address_are_one_person(client):
    authored("Upper", ("Müller", "Jonas"))
    authored("Lower", ("müller", "jonas"))
    assert entries(client.get("/view/creators/M.html")) == ["Müller, Jonas (2)"]
    assert sorted(titles(client.get("/view/creators/müller-jonas.html"))) == ["Lower.", "Upper."]


def test_person_whose_name_begins_with_punctuation_has_a_page(client):
    authored("Paper", ("'t Hooft", "Gerard"))
    assert links(client.get("/view/creators/T.html")) == ["/view/creators/t-hooft-gerard.html"]
    assert titles(client.get("/view/creators/t-hooft-gerard.html")) == ["Paper."]


@pytest.mark.parametrize(
    "path",
    [
        "/view/creators/nobody-at-all.html",
        "/view/creators/a.html",
        "/view/creators/AB.html",
        "/view/creators/OTHER.html",
        "/view/creators/.html",
        f"/view/creators/{ORCID.upper()}X.html",
        "/view/creators/smith-ann",
        "/view/creators/A.html?page=2",
        "/view/creators/A.html?page=x",
    ],
)
def test_unknown_people_letters_and_pages_are_not_found(client, path):
    authored("Paper", ("Abbott", "Ann"))
    assert client.get(path).status_code == 404


def test_author_page_query_count_does_not_grow_with_the_items_shown(client):
    for family, count in (("Single", 1), ("Prolific", 25)):
        for n in range(count):
            item = authored(f"Paper {n}", (family, "Pat"), ("Coauthor", f"C{n}"), ("Third", "T"))
            make_document(item, content=b"text", filename="notes.txt")
    counts = uncached_queries(client, "/view/creators/single-pat.html", "/view/creators/prolific-pat.html")
    # The people (1), the count and the page (2), creators, documents, subjects, divisions (4).
    assert counts == [7, 7]
