"""The CSV export (staff only): one row per item, read back with the csv module."""

import csv
import io

import pytest

from eprints_app.enums import CreatorRole
from eprints_app.exports.csv_export import COLUMNS
from eprints_app.models import Creator, Item
from tests.export_support import rendered
from tests.factories import make_item

pytestmark = pytest.mark.django_db


def export(*items: Item) -> list[dict[str, str]]:
    text = rendered("CSV", *items)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def test_seed_row(seed):
    (row,) = export(seed)
    expected = {
        "eprintid": "114516",
        "uri": "http://127.0.0.1:8000/id/eprint/114516",
        "type": "monograph",
        "title": "Changing dynamics of Pakistan-US relations and the challenge of soft power",
        "creators_name": "Ahmar, Moonis",
        "creators_id": "",
        "subjects": "JZ",
        "divisions": "lse",
        "refereed": "FALSE",
        "documents": "http://127.0.0.1:8000/id/eprint/114516/1/Ahmar__changing-dynamics-of-pakistan-us--published.pdf",
    }
    assert {key: row[key] for key in expected} == expected


def test_people_line_up_by_position_across_columns():
    item = make_item(creators=0)
    Creator.objects.create(item=item, position=0, family="A", given="One", email="one@example.org")
    Creator.objects.create(item=item, position=1, family="B", orcid="0000-0002-1825-0097")
    Creator.objects.create(item=item, role=CreatorRole.EDITOR, family="E", given="Ed")
    (row,) = export(item)
    assert [
        row[c] for c in ("creators_name", "creators_id", "creators_orcid", "editors_name", "editors_id")
    ] == [
        "A, One; B",
        "one@example.org;",
        "; 0000-0002-1825-0097",
        "E, Ed",
        "",
    ]


def test_cells_a_spreadsheet_would_run_as_formulas_are_defused():
    (row,) = export(
        make_item(title='=HYPERLINK("http://evil.example","click")', note="+1", keywords="@SUM(A1)")
    )
    assert (row["title"], row["note"], row["keywords"]) == (
        '\'=HYPERLINK("http://evil.example","click")',
        "'+1",
        "'@SUM(A1)",
    )


def test_line_breaks_stay_inside_a_cell_as_spaces():
    (row,) = export(make_item(abstract='One.\nTwo,\r\n"three".'))
    assert row["abstract"] == 'One. Two, "three".'
