"""Records made through the ORM, as scripts and imports can make them: fields left empty that the
forms would require, values outside their vocabularies, parts missing. Every surface still
answers, parses and validates; none answers 500."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eprints_app.models import Creator, Division, Document, Item, Subject
from eprints_app.services.documents import add_document
from tests.factories import make_document, make_item
from tests.hostile.surfaces import failures_on_every_surface

pytestmark = pytest.mark.django_db

TITLE = "Kestrel counts"


def with_document(item: Item, **changes) -> Item:
    """The item with one open PDF, whose row then takes ``changes`` behind the services' back."""
    document = make_document(item)
    Document.objects.filter(pk=document.pk).update(**changes)
    return item


def with_creator(item: Item, **fields) -> Item:
    Creator.objects.create(item=item, **fields)
    return item


def classified(item: Item, code: str, name: str) -> Item:
    """The item under a subject and a division made with this code and name."""
    item.subjects.add(Subject.objects.create(code=code, name=name))
    item.divisions.add(Division.objects.create(code=code, name=name))
    return item


def without_stored_file(item: Item) -> Item:
    document = make_document(item)
    document.file.storage.delete(document.file.name)
    return item


RECORDS = {
    "no title": lambda: make_item(title=""),
    "title of spaces": lambda: make_item(title="   \n\t "),
    "no creators": lambda: make_item(title=TITLE, creators=0),
    "a creator without a name": lambda: with_creator(make_item(title=TITLE, creators=0), family=""),
    "a creator with a malformed ORCID iD": lambda: with_creator(
        make_item(title=TITLE, creators=0), family="Owl", orcid="<b>not-an-orcid</b>"
    ),
    "no type": lambda: make_item(title=TITLE, type="", monograph_type=""),
    "an unknown type and sub-type": lambda: make_item(title=TITLE, type="spaceship", monograph_type="warp"),
    "an unknown publication status": lambda: make_item(title=TITLE, ispublished="rumoured"),
    "no date": lambda: make_item(title=TITLE, date=""),
    "a malformed date": lambda: make_item(title=TITLE, date="20x1-99-9"),
    "a date of superscript digits": lambda: make_item(title=TITLE, date="\u00b2\u2070\u00b2\u00b9"),
    "an impossible date": lambda: make_item(title=TITLE, date="2021-02-31"),
    "live but never deposited": lambda: make_item(title=TITLE, date_deposited=None),
    "nothing but a title": lambda: Item.objects.create(title=TITLE, status="archive"),
    "odd numbers": lambda: make_item(title=TITLE, pages=0, pagerange="--", volume="-1", isbn="x", issn="y"),
    "an Official URL that is no URL": lambda: make_item(title=TITLE, official_url="not a url at all"),
    "an identifier that is almost a DOI": lambda: make_item(title=TITLE, id_number="doi:10."),
    "a document without type, size or checksum": lambda: with_document(
        make_item(title=TITLE), mime_type="", filesize=0, sha256=""
    ),
    "a document with unknown licence and format": lambda: with_document(
        make_item(title=TITLE), license="WTFPL-9", format="hologram", content="rumour", language="xx-\u00e9"
    ),
    "a document embargoed until 9999": lambda: with_document(
        make_item(title=TITLE), date_embargo=datetime.date(9999, 12, 31)
    ),
    "a document of unknown security": lambda: with_document(make_item(title=TITLE), security="secret"),
    "a document whose file is gone": lambda: without_stored_file(make_item(title=TITLE)),
    "an empty file": lambda: add_document(make_item(title=TITLE), SimpleUploadedFile("empty.txt", b"")).item,
    "a subject and division without names": lambda: classified(make_item(title=TITLE), "NONAME", ""),
    "a subject and division named in markup": lambda: classified(
        make_item(title=TITLE), "MARKUP", "<script>alert(1)</script>"
    ),
    "a subject and division coded with spaces": lambda: classified(make_item(title=TITLE), "A B", "Spaced"),
    "a subject and division coded with a colon": lambda: classified(make_item(title=TITLE), "A:B", "Colon"),
    "a subject and division coded with a slash": lambda: classified(make_item(title=TITLE), "A/B", "Slash"),
    "a subject and division coded in markup": lambda: classified(make_item(title=TITLE), "<b>", "Bold"),
}


# Surfaces that do not list a record: a code with a colon reads, in the lineage that joins codes
# with colons, as two codes, so its own page lists nothing (no error; the code is the fault).
NOT_LISTED = {"a subject and division coded with a colon": {"subject page", "division page"}}


@pytest.mark.parametrize("record", RECORDS)
def test_an_incomplete_or_odd_record_is_shown_everywhere_without_error(editor, record):
    item = RECORDS[record]()
    failures = failures_on_every_surface(
        item, editor, lambda surface: "" if surface in NOT_LISTED.get(record, ()) else item.title
    )
    assert not failures, "\n".join(failures)
