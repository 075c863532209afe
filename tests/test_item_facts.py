"""The item's derived facts (eprints_app.item_facts), which exports, the page's metadata, the
citation, templates and feeds all read."""

import datetime

import pytest
from django.template import Context, Template

from eprints_app import item_facts
from eprints_app.enums import CreatorRole, ItemStatus, ItemType, Security
from eprints_app.models import Creator, Item
from tests.factories import make_article, make_document, make_item

pytestmark = pytest.mark.django_db

BASE = "https://eprints.example.ac.uk"
PAST = datetime.date(2000, 1, 1)
FUTURE = datetime.date(2999, 1, 1)


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE


def parts(item: Item) -> Item:
    return Item.objects.with_parts().get(pk=item.pk)


@pytest.mark.parametrize(
    "fields, subtype, label",
    [
        (
            {"type": ItemType.MONOGRAPH, "monograph_type": "working_paper"},
            "Working Paper",
            "Monograph (Working Paper)",
        ),
        ({"type": ItemType.MONOGRAPH, "monograph_type": ""}, "", "Monograph"),
        ({"type": ItemType.THESIS, "thesis_type": "doctoral"}, "Doctoral", "Thesis (Doctoral)"),
        ({"type": ItemType.THESIS, "thesis_type": ""}, "", "Thesis"),
        (
            {"type": ItemType.CONFERENCE_ITEM, "pres_type": "poster"},
            "Poster",
            "Conference or Workshop Item (Poster)",
        ),
        # A sub-type belongs to its own item type only.
        ({"type": ItemType.ARTICLE, "monograph_type": "working_paper"}, "", "Article"),
        ({"type": ItemType.BOOK, "thesis_type": "doctoral"}, "", "Book"),
        # A value outside the vocabulary (an old import, say) is left out rather than failing.
        ({"type": ItemType.MONOGRAPH, "monograph_type": "pamphlet"}, "", "Monograph"),
    ],
)
def test_subtype_label_and_type_label_for_each_type(fields, subtype, label):
    item = make_item(**fields)
    assert item_facts.subtype_label(item) == subtype
    assert item_facts.type_label(item) == label


def test_thesis_label_names_the_degree_when_there_is_one():
    assert item_facts.thesis_label(make_item(type=ItemType.THESIS, thesis_type="masters")) == "Masters thesis"
    assert item_facts.thesis_label(make_item(type=ItemType.THESIS, thesis_type="")) == "Thesis"


@pytest.mark.parametrize(
    "id_number, expected",
    [
        ("10.5555/abc", "10.5555/abc"),
        ("  10.5555/abc ", "10.5555/abc"),
        ("doi:10.5555/abc", "10.5555/abc"),
        ("DOI:10.5555/abc", "10.5555/abc"),
        ("https://doi.org/10.5555/abc", "10.5555/abc"),
        ("HTTPS://DOI.ORG/10.5555/abc", "10.5555/abc"),
        ("http://dx.doi.org/10.5555/abc", "10.5555/abc"),
        ("ISBN 978-3-16-148410-0", ""),
        ("https://example.org/10.5555/abc", ""),
        ("", ""),
    ],
)
def test_doi_is_read_from_each_way_of_writing_one(id_number, expected):
    item = make_article(id_number=id_number)
    assert item_facts.doi(item) == expected
    assert item_facts.doi_url(item) == (f"https://doi.org/{expected}" if expected else "")


@pytest.mark.parametrize(
    "pagerange, expected",
    [
        ("211-239", ("211", "239")),
        (" 211 – 239 ", ("211", "239")),
        ("iv--x", ("iv", "x")),
        ("12", ("", "")),
        ("12, 14-16", ("", "")),
        ("", ("", "")),
    ],
)
def test_page_range_is_a_first_and_last_page_or_nothing(pagerange, expected):
    assert item_facts.page_range(make_article(pagerange=pagerange)) == expected


@pytest.mark.parametrize(
    "date, expected", [("2021", [2021]), ("2020-06", [2020, 6]), ("2021-03-29", [2021, 3, 29]), ("", [])]
)
def test_date_parts(date, expected):
    assert item_facts.date_parts(make_item(date=date)) == expected


@pytest.mark.parametrize(
    "keywords, expected",
    [
        ("finance; hedging ;  risk", ["finance", "hedging", "risk"]),
        ("finance\nhedging, swaps\n", ["finance", "hedging, swaps"]),
        ("finance, hedging,risk", ["finance", "hedging", "risk"]),
        ("open   access;;\t; data\x0b", ["open access", "data"]),
        ("   ", []),
    ],
)
def test_keywords_split_on_semicolons_or_lines_else_commas(keywords, expected):
    assert item_facts.keyword_list(make_item(keywords=keywords)) == expected


def test_authors_and_editors_come_in_citation_order():
    item = make_item(creators=0)
    Creator.objects.create(item=item, position=1, family="Second", given="B")
    Creator.objects.create(item=item, position=0, role=CreatorRole.EDITOR, family="Editor", given="E")
    Creator.objects.create(item=item, position=0, family="First", given="A", orcid="0000-0002-1825-0097")
    item = parts(item)
    assert [person.name for person in item_facts.authors(item)] == ["First, A", "Second, B"]
    assert [person.name for person in item_facts.editors(item)] == ["Editor, E"]
    assert [item_facts.orcid_url(p) for p in item_facts.authors(item)] == [
        "https://orcid.org/0000-0002-1825-0097",
        "",
    ]


def test_open_documents_leave_out_staff_only_registered_only_and_embargoed_ones():
    item = make_item()
    make_document(item, filename="open.pdf")
    make_document(item, filename="staff.pdf", security=Security.STAFFONLY)
    make_document(item, filename="users.pdf", security=Security.VALIDUSER)
    make_document(item, filename="embargoed.pdf", date_embargo=FUTURE)
    make_document(item, filename="lifted.pdf", security=Security.STAFFONLY, date_embargo=PAST)
    assert [d.filename for d in item_facts.open_documents(parts(item))] == ["open.pdf", "lifted.pdf"]


@pytest.mark.parametrize("status", [ItemStatus.INBOX, ItemStatus.BUFFER, ItemStatus.DELETION])
def test_documents_of_an_item_that_is_not_live_are_not_open(status):
    item = make_item(status=status)
    make_document(item, filename="open.pdf")
    assert item_facts.open_documents(parts(item)) == []


def test_licence_is_that_of_the_first_open_document_that_has_one():
    item = make_item()
    make_document(item, filename="staff.pdf", security=Security.STAFFONLY, license="cc_by_nc_4")
    make_document(item, filename="unlicensed.pdf")
    make_document(item, filename="open.pdf", license="cc_by_4")
    make_document(item, filename="later.pdf", license="cc_public_domain")
    item = parts(item)
    assert item_facts.licence_url(item) == "https://creativecommons.org/licenses/by/4.0/"
    staff = item.documents.all()[0]
    assert item_facts.document_licence_url(staff) == "https://creativecommons.org/licenses/by-nc/4.0/"
    assert item_facts.licence_url(make_item()) == ""


def test_addresses_are_on_base_url():
    item = make_item()
    document = make_document(item, filename="paper.pdf")
    assert item_facts.page_url(item) == f"{BASE}/id/eprint/{item.pk}/"
    assert item_facts.download_url(document) == f"{BASE}/id/eprint/{item.pk}/1/paper.pdf"


@pytest.mark.parametrize(
    "size, shown",
    [(0, "0B"), (999, "999B"), (1000, "1kB"), (279_412, "279kB"), (5_300_000, "5MB"), (2 * 10**9, "2GB")],
)
def test_filesize_in_eprints_si_units_integer_divided(size, shown):
    assert item_facts.filesize(size) == shown


def test_issuing_body_is_the_publisher_else_the_institution():
    assert item_facts.issuing_body(make_item(publisher="Press", institution="Uni")) == "Press"
    assert item_facts.issuing_body(make_item(publisher="", institution="Uni")) == "Uni"


def test_facts_of_a_prefetched_item_make_no_queries(django_assert_num_queries):
    item = make_article(keywords="a; b", creators=2)
    Creator.objects.create(item=item, position=0, role=CreatorRole.EDITOR, family="Editor")
    make_document(item, license="cc_by_4")
    item = parts(item)
    with django_assert_num_queries(0):
        item_facts.authors(item)
        item_facts.editors(item)
        item_facts.type_label(item)
        item_facts.doi_url(item)
        item_facts.page_range(item)
        item_facts.keyword_list(item)
        item_facts.licence_url(item)
        [item_facts.download_url(document) for document in item_facts.open_documents(item)]


def test_template_filters_show_the_same_facts():
    item = make_article(type=ItemType.MONOGRAPH, monograph_type="report", id_number="doi:10.5555/x")
    document = make_document(item, license="cc_by_4")
    template = Template(
        "{% load eprints %}"
        "{{ item|type_label }}|{{ item|doi_url }}|{{ size|filesize }}|{{ document|licence_url }}"
    )
    shown = template.render(Context({"item": item, "document": document, "size": 279_412}))
    assert shown == (
        "Monograph (Report)|https://doi.org/10.5555/x|279kB|https://creativecommons.org/licenses/by/4.0/"
    )
