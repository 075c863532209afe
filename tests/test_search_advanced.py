"""/cgi/search/advanced: words aimed at one field, the filters, and a form that keeps its values."""

import lxml.html
import pytest
from django.db import connection

from eprints_app.enums import ItemType, PublicationStatus
from eprints_app.models import Creator, Division, Document, Subject
from eprints_app.services.search_index import reindex_all
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db

URL = "/cgi/search/advanced"


def get(client, status=200, **params):
    response = client.get(URL, params)
    assert response.status_code == status
    return lxml.html.fromstring(response.content)


def titles(tree) -> list[str]:
    rows = tree.xpath('//ol[contains(@class, "search-result-list")]/li//p[@class="citation"]/a')
    return sorted(row.text_content().rstrip(".") for row in rows)


@pytest.fixture
def birds():
    """Four items, each with "kestrel" in a different field."""
    in_title = make_item(title="Kestrel counts", abstract="Numbers.", creators=0)
    Creator.objects.create(item=in_title, family="Adams")
    by_creator = make_item(title="Hawks", abstract="Numbers.", creators=0)
    Creator.objects.create(item=by_creator, family="Kestrel", given="Ann")
    make_item(title="Falcons", keywords="kestrel", abstract="Numbers.")
    make_item(title="Owls", abstract="A kestrel was seen.")
    in_text = make_item(title="Harriers", abstract="Numbers.")
    document = make_document(in_text)
    Document.objects.filter(pk=document.pk).update(text="Page 2: a kestrel.")
    reindex_all()


@pytest.mark.parametrize(
    "field, expected",
    [
        ("q", ["Falcons", "Harriers", "Hawks", "Kestrel counts", "Owls"]),
        ("title", ["Kestrel counts"]),
        ("creators", ["Hawks"]),
        ("keywords", ["Falcons"]),
        ("abstract", ["Owls"]),
        ("full_text", ["Harriers"]),
    ],
)
def test_words_can_be_aimed_at_one_field(client, birds, field, expected):
    assert titles(get(client, **{field: "kestrel"})) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's bm25 ranks within the column asked")
def test_postgresql_ranks_a_full_text_search_by_the_record_first(client):
    for title, date in (("Kestrel survey", "2001"), ("Field notes", "2020"), ("Older notes", "1999")):
        document = make_document(make_item(title=title, date=date))
        Document.objects.filter(pk=document.pk).update(text="Counts of kestrel nests.")
    make_item(title="Kestrel without text")
    reindex_all()
    rows = get(client, full_text="kestrel").xpath('//ol[contains(@class, "search-result-list")]/li//p/a')
    assert [row.text_content().rstrip(".") for row in rows] == [
        "Kestrel survey",
        "Field notes",
        "Older notes",
    ]
    assert titles(get(client, full_text="kestrel", title="kestrel")) == ["Kestrel survey"]


def test_words_in_several_fields_must_all_match(client, birds):
    assert titles(get(client, title="kestrel counts", creators="adams")) == ["Kestrel counts"]
    assert titles(get(client, title="harriers", full_text="kestrel")) == ["Harriers"]
    assert titles(get(client, title="kestrel", full_text="kestrel")) == []
    assert titles(get(client, title="kestrel", creators="kestrel")) == []


def test_field_queries_take_the_web_search_syntax(client, birds):
    assert titles(get(client, title="kestrel OR hawks")) == ["Hawks", "Kestrel counts"]
    assert titles(get(client, title="kestrel -counts")) == []
    assert titles(get(client, title="counts -hawks")) == ["Kestrel counts"]


def test_a_field_with_nothing_to_search_for_is_left_out_and_the_reader_told(client, birds):
    tree = get(client, creators="adams", title="-kestrel OR")
    assert titles(tree) == ["Kestrel counts"]
    assert tree.xpath('string(//p[@role="status"][@class="lead"])') == (
        "Nothing to search for in Title: left out. A search needs a word besides OR and exclusions (-word)."
    )


def test_the_year_range_includes_both_ends_and_leaves_out_undated_items(client):
    for date in ("1999-12-31", "2000", "2005-06", "2010", "2011-01", ""):
        make_item(title=f"Dated {date or 'never'}", date=date)
    reindex_all()
    tree = get(client, year_from="2000", year_to="2010")
    assert titles(tree) == ["Dated 2000", "Dated 2005-06", "Dated 2010"]
    assert titles(get(client, year_from="2010")) == ["Dated 2010", "Dated 2011-01"]


def test_item_types_publication_status_and_refereed_filter_the_results(client):
    make_item(title="Refereed article", type=ItemType.ARTICLE, refereed=True, ispublished="pub")
    make_item(title="Article in press", type=ItemType.ARTICLE, ispublished="inpress")
    make_item(title="Book", type=ItemType.BOOK, ispublished="pub")
    reindex_all()
    assert titles(get(client, type=["article", "book"], ispublished="pub")) == ["Book", "Refereed article"]
    assert titles(get(client, type="article", refereed="yes")) == ["Refereed article"]
    assert titles(get(client, type="article", refereed="no")) == ["Article in press"]


def test_a_subject_includes_its_sub_headings_and_several_subjects_must_all_match(client):
    politics = Subject.objects.create(code="J", name="J Political Science")
    relations = Subject.objects.create(code="JZ", name="JZ International relations", parent=politics)
    economics = Subject.objects.create(code="HB", name="HB Economic Theory")
    make_item(title="Relations").subjects.add(relations)
    make_item(title="Both").subjects.add(relations, economics)
    make_item(title="Economics").subjects.add(economics)
    reindex_all()
    assert titles(get(client, subject="J")) == ["Both", "Relations"]
    assert titles(get(client, subject=["J", "HB"])) == ["Both"]


def test_a_division_includes_its_parts(client):
    faculty = Division.objects.create(code="soc", name="Faculty of Social Sciences")
    department = Division.objects.create(code="gov", name="Government", parent=faculty)
    make_item(title="In the department").divisions.add(department)
    make_item(title="Elsewhere")
    reindex_all()
    assert titles(get(client, division="soc")) == ["In the department"]


def test_filters_without_words_list_the_newest_first(client):
    make_item(title="Older", date="2001", type=ItemType.ARTICLE)
    make_item(title="Newer", date="2020", type=ItemType.ARTICLE)
    reindex_all()
    tree = get(client, type="article")
    rows = tree.xpath('//ol[contains(@class, "search-result-list")]/li//p[@class="citation"]/a')
    assert [row.text_content() for row in rows] == ["Newer.", "Older."]
    orders = tree.xpath('//p[@class="search-orders"]//text()[normalize-space()]')
    assert "Relevance" not in " ".join(orders)


def test_the_form_shows_every_field_and_keeps_the_values_searched_for(client):
    subject = Subject.objects.create(code="JZ", name="JZ International relations")
    Division.objects.create(code="soc", name="Social Sciences")
    make_item(title="Kestrel").subjects.add(subject)
    reindex_all()
    params = {
        "q": "kestrel",
        "title": '"kestrel" OR <b>',
        "creators": "adams",
        "abstract": "a",
        "keywords": "k",
        "full_text": "t",
        "year_from": "1990",
        "year_to": "2030",
        "type": ["article", "monograph"],
        "subject": "JZ",
        "division": "soc",
        "ispublished": [PublicationStatus.PUBLISHED, PublicationStatus.IN_PRESS],
        "refereed": "no",
    }
    form = get(client, **params).xpath('//main//form[@role="search"]')[0]
    for name in ("q", "title", "creators", "abstract", "keywords", "full_text", "year_from", "year_to"):
        assert form.xpath(f'.//input[@name="{name}"]/@value') == [params[name]], name
    assert form.xpath('.//input[@name="type"][@checked]/@value') == ["article", "monograph"]
    assert form.xpath('.//select[@name="subject"]/option[@selected]/@value') == ["JZ"]
    assert form.xpath('.//select[@name="division"]/option[@selected]/@value') == ["soc"]
    assert form.xpath('.//input[@name="ispublished"][@checked]/@value') == ["pub", "inpress"]
    assert form.xpath('.//select[@name="refereed"]/option[@selected]/@value') == ["no"]
    labels = form.xpath(".//label/text()")
    for label in ("Title:", "Creators:", "Abstract:", "Keywords:", "Full text:", "From year:", "Subjects:"):
        assert label in labels


def test_a_year_range_the_wrong_way_round_is_explained(client):
    tree = get(client, status=400, year_from="2020", year_to="2010")
    assert "The first year of the range is after the last." in tree.xpath(
        'string(//div[@class="form-errors"])'
    )
    assert tree.xpath('//input[@name="year_from"]/@value') == ["2020"]
