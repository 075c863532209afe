"""The JSON export (staff only): EPrints-shaped records, personal data included."""

import json

import pytest

from eprints_app.models import Creator, Item
from tests.export_support import rendered
from tests.factories import make_item

pytestmark = pytest.mark.django_db


def export(*items: Item) -> list[dict]:
    return json.loads(rendered("JSON", *items))


def test_seed_record(seed):
    (record,) = export(seed)
    expected = {
        "uri": "http://127.0.0.1:8000/id/eprint/114516",
        "eprintid": 114516,
        "eprint_status": "archive",
        "type": "monograph",
        "title": "Changing dynamics of Pakistan-US relations and the challenge of soft power",
        "creators": [{"name": {"family": "Ahmar", "given": "Moonis"}}],
        "subjects": ["JZ"],
        "divisions": ["lse"],
        "refereed": False,
        "date": "2021",
    }
    assert {key: record[key] for key in expected} == expected
    assert (
        record["documents"][0]["files"][0]["filename"]
        == "Ahmar__changing-dynamics-of-pakistan-us--published.pdf"
    )


def test_staff_see_emails_and_the_depositor(depositor):
    item = make_item(creators=0, contact_email="contact@example.org", depositor=depositor)
    Creator.objects.create(item=item, family="Rahman", given="Farida", email="f.rahman@example.ac.uk")
    (record,) = export(item)
    assert record["creators"] == [
        {"name": {"family": "Rahman", "given": "Farida"}, "id": "f.rahman@example.ac.uk"}
    ]
    assert (record["contact_email"], record["userid"]) == ("contact@example.org", depositor.pk)


def test_a_list_is_a_json_array_in_order():
    items = [make_item(title=f"Item {n}") for n in range(3)]
    assert [record["title"] for record in export(*items)] == ["Item 0", "Item 1", "Item 2"]
