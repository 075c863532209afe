"""The EndNote (.enw) and Refer exports: tagged lines, compared with what EPrints emits for the seed."""

from pathlib import Path

import pytest

from eprints_app.enums import CreatorRole, ItemType
from eprints_app.models import Creator
from tests.export_support import rendered
from tests.factories import make_article, make_item

pytestmark = pytest.mark.django_db

REFERENCE = Path("/work/shared/reference/eprints-output/export_1_EndNote.enw")


def records(text: str) -> list[list[tuple[str, str]]]:
    """Tagged records as (tag, value) lists; every line must be a tag and a value."""
    parsed = []
    for block in text.strip("\n").split("\n\n"):
        lines = block.split("\n")
        assert all(line[0] == "%" and line[2] == " " for line in lines), lines
        parsed.append([(line[:2], line[3:]) for line in lines])
    return parsed


def test_seed_endnote_record(seed):
    tags = records(rendered("EndNote", seed))[0]
    assert [t for t in tags if t[0] != "%X"] == [
        ("%0", "Report"),
        ("%9", "Report"),
        ("%A", "Ahmar, Moonis"),
        ("%T", "Changing dynamics of Pakistan-US relations and the challenge of soft power"),
        ("%B", "LSE IDEAS Reports"),
        ("%I", "LSE Ideas"),
        ("%C", "London, UK"),
        ("%D", "2021"),
        ("%U", "http://127.0.0.1:8000/id/eprint/114516"),
        ("%F", "demo:114516"),
        ("%Z", "© 2021 The Author"),
    ]
    assert dict(tags)["%X"] == seed.abstract


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared EPrints reference output is not here")
def test_seed_endnote_agrees_with_eprints_on_every_shared_tag(seed):
    ours = dict(records(rendered("EndNote", seed))[0])
    theirs = dict(records(REFERENCE.read_text(encoding="utf-8"))[0])
    for tag in ("%0", "%9", "%A", "%B", "%C", "%D", "%T", "%X", "%Z"):
        assert ours[tag] == theirs[tag], tag


@pytest.mark.parametrize(
    ("item_type", "reference_type"),
    [
        (ItemType.MONOGRAPH, "Report"),
        (ItemType.ARTICLE, "Journal Article"),
        (ItemType.BOOK, "Book"),
        (ItemType.BOOK_SECTION, "Book Section"),
        (ItemType.CONFERENCE_ITEM, "Conference Paper"),
        (ItemType.THESIS, "Thesis"),
        (ItemType.PATENT, "Patent"),
        (ItemType.DATASET, "Dataset"),
        (ItemType.OTHER, "Generic"),
    ],
)
def test_endnote_reference_type_follows_the_item_type(item_type, reference_type):
    assert records(rendered("EndNote", make_item(type=item_type)))[0][0] == ("%0", reference_type)


def test_endnote_article_has_journal_issue_pages_issn_and_doi():
    item = make_article()
    tags = dict(records(rendered("EndNote", item))[0])
    expected = {
        "%J": "Journal of Things",
        "%V": "14",
        "%N": "3",
        "%P": "211-239",
        "%@": "2046-1836",
        "%R": "10.5555/abc",
        "%8": "2020-06",
        "%D": "2020",
    }
    assert {tag: tags[tag] for tag in expected} == expected


def test_book_section_keeps_book_title_and_series_apart():
    item = make_item(type=ItemType.BOOK_SECTION, book_title="Essays", series="Studies", creators=1)
    Creator.objects.create(item=item, role=CreatorRole.EDITOR, family="Dubois", given="Claire")
    tags = records(rendered("EndNote", item))[0]
    assert ("%B", "Essays") in tags and ("%S", "Studies") in tags and ("%E", "Dubois, Claire") in tags


def test_refer_record_of_the_seed(seed):
    tags = records(rendered("Refer", seed))[0]
    assert [t for t in tags if t[0] != "%X"] == [
        ("%A", "Ahmar, Moonis"),
        ("%T", "Changing dynamics of Pakistan-US relations and the challenge of soft power"),
        ("%S", "LSE IDEAS Reports"),
        ("%I", "LSE Ideas"),
        ("%C", "London, UK"),
        ("%D", "2021"),
        ("%R", "Report"),
        ("%O", "© 2021 The Author"),
    ]


@pytest.mark.parametrize("identifier", ["EndNote", "Refer"])
def test_line_breaks_in_values_cannot_start_tags_of_their_own(identifier):
    item = make_item(abstract="One.\n%A Injected, Name\n\nTwo.")
    tags = records(rendered(identifier, item))[0]
    assert ("%X", "One. %A Injected, Name Two.") in tags
    assert [t for t in tags if t[0] == "%A"] == [("%A", "Family0, Given0")]


@pytest.mark.parametrize("identifier", ["EndNote", "Refer"])
def test_several_items_are_records_separated_by_a_blank_line(identifier):
    items = [make_item(title=f"Item {n}") for n in range(3)]
    assert [dict(r)["%T"] for r in records(rendered(identifier, *items))] == ["Item 0", "Item 1", "Item 2"]
