"""The RIS export, read back with rispy and compared with what EPrints emits for the seed."""

from pathlib import Path

import pytest
import rispy

from eprints_app.enums import ItemType
from eprints_app.models import Item
from tests.export_support import rendered
from tests.factories import make_article, make_document, make_item

pytestmark = pytest.mark.django_db


REFERENCE = Path("/work/shared/reference/eprints-output/export_1_RIS.ris")


def export(*items: Item) -> str:
    return rendered("RIS", *items)


def test_seed_record_has_every_field_of_eprints_record(seed):
    text = export(seed)
    lines = text.split("\r\n")
    assert lines[:12] == [
        "TY  - RPRT",
        "ID  - demo114516",
        "AU  - Ahmar, Moonis",
        "TI  - Changing dynamics of Pakistan-US relations and the challenge of soft power",
        "T3  - LSE IDEAS Reports",
        "PY  - 2021",
        "DA  - 2021///",
        "PB  - LSE Ideas",
        "CY  - London, UK",
        "M3  - Report",
        "UR  - https://www.lse.ac.uk/ideas/publications/reports",
        "L1  - http://127.0.0.1:8000/id/eprint/114516/1/Ahmar__changing-dynamics-of-pakistan-us--published.pdf",
    ]
    assert lines[12].startswith("AB  - There is a history of ups and downs")
    assert lines[13:] == ["N1  - © 2021 The Author", "ER  - ", ""]


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared EPrints reference output is not here")
def test_seed_maps_the_same_values_as_eprints_but_keeps_curly_quotes(seed):
    ours = rispy.loads(export(seed))[0]
    theirs = rispy.loads(REFERENCE.read_text(encoding="utf-8"))[0]
    assert ours["type_of_reference"] == theirs["type_of_reference"] == "RPRT"
    assert ours["authors"] == theirs["first_authors"] == ["Ahmar, Moonis"]
    for key in ("title", "tertiary_title", "publisher", "place_published", "urls", "notes"):
        assert ours[key] == theirs[key], key
    assert ours["year"] == "2021" and theirs["publication_year"] == "2021///"
    # EPrints turns curly quotes into "?"; we keep them.
    assert "instead of being a ?patron-client? relationship" in theirs["notes_abstract"]
    assert "instead of being a ‘patron-client’ relationship" in ours["abstract"]
    assert ours["abstract"] == seed.abstract


@pytest.mark.parametrize(
    ("item_type", "ris_type"),
    [
        (ItemType.MONOGRAPH, "RPRT"),
        (ItemType.ARTICLE, "JOUR"),
        (ItemType.BOOK, "BOOK"),
        (ItemType.BOOK_SECTION, "CHAP"),
        (ItemType.CONFERENCE_ITEM, "CONF"),
        (ItemType.THESIS, "THES"),
        (ItemType.PATENT, "PAT"),
        (ItemType.DATASET, "GEN"),
        (ItemType.OTHER, "GEN"),
    ],
)
def test_record_type_follows_the_item_type(item_type, ris_type):
    assert rispy.loads(export(make_item(type=item_type)))[0]["type_of_reference"] == ris_type


def test_article_fields_read_back():
    item = make_article(keywords="finance; hedging", creators=2)
    record = rispy.loads(export(item))[0]
    expected = {
        "authors": ["Family0, Given0", "Family1, Given1"],
        "secondary_title": "Journal of Things",
        "volume": "14",
        "number": "3",
        "start_page": "211",
        "end_page": "239",
        "issn": "2046-1836",
        "doi": "10.5555/abc",
        "date": "2020/06//",
        "keywords": ["finance", "hedging"],
    }
    assert {key: record[key] for key in expected} == expected


def test_line_breaks_in_values_cannot_start_tags_of_their_own():
    item = make_item(abstract="First paragraph.\n\nER  - \nTY  - JOUR\r\nLast.")
    records = rispy.loads(export(item))
    assert len(records) == 1
    assert records[0]["abstract"] == "First paragraph. ER - TY - JOUR Last."


def test_several_items_are_several_records():
    items = [make_item(title=f"Item {n}") for n in range(3)]
    assert [r["title"] for r in rispy.loads(export(*items))] == ["Item 0", "Item 1", "Item 2"]


def test_only_open_documents_are_linked():
    item = make_item()
    open_document = make_document(item, filename="open.pdf")
    make_document(item, filename="closed.pdf", security="staffonly")
    record = rispy.loads(export(item))[0]
    assert record["file_attachments1"] == f"http://127.0.0.1:8000{open_document.get_absolute_url()}"
