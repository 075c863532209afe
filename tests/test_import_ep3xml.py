"""Reading EP3 XML into items: our own export back into equal records, and EPrints' real exports."""

import datetime
import io
from pathlib import Path

import pytest

from eprints_app.enums import CreatorRole, ItemStatus, ItemType
from eprints_app.exports.ep3 import BIBLIOGRAPHIC_FIELDS
from eprints_app.imports.ep3xml import EP3ImportError, MalformedXML
from eprints_app.imports.records import import_records
from eprints_app.models import Creator, Division, Item, Subject
from tests.export_support import rendered
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db

REFERENCE = Path("/work/shared/reference")
EPRINTS_EXPORT = REFERENCE / "eprints-output" / "export_1_XML.xml"
CALTECH = REFERENCE / "ep3-samples" / "caltechauthors-25792.xml"
ARTEXTE = REFERENCE / "ep3-samples" / "artexte-25612.xml"
needs_reference = pytest.mark.skipif(not REFERENCE.exists(), reason="the shared reference files are not here")
FIELDS = ("type", "title", "ispublished", *BIBLIOGRAPHIC_FIELDS, "refereed", "contact_email", "status")
WHEN = datetime.datetime(2022, 3, 29, 12, 48, 7, tzinfo=datetime.UTC)


def snapshot(item: Item) -> dict:
    """Everything bibliographic about an item, to compare an import with its original."""
    item = Item.objects.with_parts().get(pk=item.pk)
    return {
        **{name: getattr(item, name) for name in FIELDS},
        "people": [(p.role, p.position, p.family, p.given, p.orcid, p.email) for p in item.creators.all()],
        "subjects": sorted(s.code for s in item.subjects.all()),
        "divisions": sorted(d.code for d in item.divisions.all()),
        "date_deposited": item.date_deposited,
        "status_changed": item.status_changed,
    }


def full_item(**fields) -> Item:
    """An item with every field that EP3 XML carries, people in a deliberate order."""
    values = {name: f"{name} value" for name in BIBLIOGRAPHIC_FIELDS}
    values.update(
        type=ItemType.CONFERENCE_ITEM,
        title="Ünïcode “quotes” & <markup>",
        monograph_type="working_paper",
        thesis_type="doctoral",
        pres_type="poster",
        date="2021-03-29",
        date_type="published",
        ispublished="inpress",
        event_type="workshop",
        pages=312,
        refereed=True,
        official_url="https://example.org/paper?a=1&b=2",
        contact_email="contact@example.org",
        abstract="Line one.\n\nLine two, with عربي and 中文.",
        status=ItemStatus.ARCHIVE,
        date_deposited=WHEN,
    )
    values.update(fields)
    item = make_item(creators=0, **values)
    Item.objects.filter(pk=item.pk).update(status_changed=WHEN)
    for position, (family, given, orcid) in enumerate(
        [("Zed", "Zoë", "0000-0002-1825-0097"), ("Adams", "", ""), ("Müller", "Jörg", "0000-0001-5109-3700")]
    ):
        Creator.objects.create(
            item=item,
            position=position,
            family=family,
            given=given,
            orcid=orcid,
            email=f"{family.lower()}@example.org" if position == 0 else "",
        )
    Creator.objects.create(item=item, role=CreatorRole.EDITOR, position=0, family="Dubois", given="Claire")
    Subject.objects.get_or_create(code="JZ", defaults={"name": "JZ International relations"})
    Subject.objects.get_or_create(code="HG", defaults={"name": "HG Finance"})
    Division.objects.get_or_create(code="dept-ir", defaults={"name": "International Relations"})
    item.subjects.set(["JZ", "HG"])
    item.divisions.set(["dept-ir"])
    return item


def export_xml(*items: Item) -> bytes:
    return rendered("XML", *items).encode()


def import_ep3xml(source: bytes):
    return import_records(io.BytesIO(source))


def all_ids(report) -> list[int]:
    return report.created + report.updated + report.unchanged


def test_export_then_import_into_an_empty_repository_gives_equal_records_with_their_ids():
    items = [full_item(), full_item(title="Second", type=ItemType.BOOK_SECTION)]
    before = {item.pk: snapshot(item) for item in items}
    source = export_xml(*items)
    Item.objects.all().delete()

    report = import_ep3xml(source)

    assert report.created == list(before)
    assert {pk: snapshot(Item.objects.get(pk=pk)) for pk in report.created} == before


def test_importing_records_that_are_here_already_updates_them_and_duplicates_nothing():
    item = full_item()
    source = export_xml(item)
    Item.objects.filter(pk=item.pk).update(title="Changed here", publisher="Other Press")
    before = snapshot(item)

    report = import_ep3xml(source)

    assert (report.created, report.updated) == ([], [item.pk])
    assert Item.objects.count() == 1
    after = snapshot(item)
    assert (after["title"], after["publisher"]) == ("Ünïcode “quotes” & <markup>", "publisher value")
    assert {k: v for k, v in after.items() if k not in ("title", "publisher")} == {
        k: v for k, v in before.items() if k not in ("title", "publisher")
    }
    assert import_ep3xml(source).unchanged == [item.pk]


def test_later_version_link_is_kept_between_records_of_one_file():
    first = full_item(title="First")
    second = full_item(title="Second", succeeds=first)
    source = export_xml(first, second)
    Item.objects.all().delete()
    import_ep3xml(source)
    assert Item.objects.get(pk=second.pk).succeeds_id == first.pk


def test_documents_without_their_files_are_left_out_with_the_reason(settings):
    item = full_item()
    make_document(item, filename="paper.pdf")
    source = export_xml(item)
    Item.objects.all().delete()
    report = import_ep3xml(source)
    assert report.documents_left_out == [
        f"eprint {item.pk}: document 1 (paper.pdf): its file is not embedded "
        "(give --documents DIR or --fetch)"
    ]
    assert Item.objects.get(pk=item.pk).documents.count() == 0


@needs_reference
def test_eprints_export_of_the_seed_imports_with_its_id_and_times():
    Subject.objects.create(code="JZ", name="JZ International relations")
    report = import_ep3xml(EPRINTS_EXPORT.read_bytes())
    assert report.created == [1]
    item = Item.objects.with_parts().get(pk=1)
    assert {
        name: getattr(item, name)
        for name in (
            "type",
            "monograph_type",
            "title",
            "ispublished",
            "date",
            "date_type",
            "publisher",
            "place_of_pub",
            "series",
            "official_url",
            "note",
            "status",
            "date_deposited",
            "last_modified",
            "status_changed",
        )
    } == {
        "type": "monograph",
        "monograph_type": "report",
        "title": "Changing dynamics of Pakistan-US relations and the challenge of soft power",
        "ispublished": "pub",
        "date": "2021",
        "date_type": "published",
        "publisher": "LSE Ideas",
        "place_of_pub": "London, UK",
        "series": "LSE IDEAS Reports",
        "official_url": "https://www.lse.ac.uk/ideas/publications/reports",
        "note": "© 2021 The Author",
        "status": "archive",
        "date_deposited": datetime.datetime(2026, 11, 27, 22, 22, 21, tzinfo=datetime.UTC),
        "last_modified": datetime.datetime(2026, 11, 27, 22, 22, 21, tzinfo=datetime.UTC),
        "status_changed": datetime.datetime(2026, 11, 27, 22, 22, 21, tzinfo=datetime.UTC),
    }
    assert item.abstract.startswith("There is a history") and "‘patron-client’" in item.abstract
    assert [(c.family, c.given) for c in item.creators.all()] == [("Ahmar", "Moonis")]
    assert [s.code for s in item.subjects.all()] == ["JZ"]
    # A division the tree lacks is created under its code, and reported.
    assert [(d.code, d.name) for d in item.divisions.all()] == [("lse", "lse")]
    assert dict(report.created_divisions) == {"lse": ["eprint 1"]}
    assert dict(report.created_subjects) == {}
    assert [line.split(":")[0] for line in report.documents_left_out] == ["eprint 1"]
    assert report.extra_fields == {}
    assert item.extra == {}
    assert report.warnings == []


@needs_reference
def test_caltech_record_keeps_creators_in_order_with_orcid_and_its_local_fields_as_extra_data():
    report = import_ep3xml(CALTECH.read_bytes())
    item = Item.objects.with_parts().get(pk=25792)
    assert [(c.family, c.given, c.orcid, c.email) for c in item.creators.all()] == [
        ("Aivazis", "Michael", "", ""),
        ("Goddard", "Bill", "", ""),
        ("Meiron", "Dan", "", ""),
        ("Ortiz", "Michael", "", ""),
        ("Pool", "James C. T.", "", ""),
        ("Shepherd", "Joe", "0000-0003-3181-9310", ""),
    ]
    assert (item.type, item.monograph_type, item.ispublished, item.refereed) == (
        "monograph",
        "technical_report",
        "unpub",
        False,
    )
    assert (item.date, item.id_number, item.institution) == (
        "2000-01-01",
        "CaltechASCI:2000.076",
        "California Institute of Technology",
    )
    assert item.abstract.startswith("Introduction: \nThis annual report describes")
    assert item.date_deposited == datetime.datetime(2003, 4, 16, tzinfo=datetime.UTC)
    assert item.last_modified == datetime.datetime(2016, 9, 22, 22, 35, 45, tzinfo=datetime.UTC)
    assert report.extra_fields == {"rights": 1, "collection": 1, "local_group": 1, "related_url": 1}
    assert item.extra == {
        "related_url": [
            {"url": "http://www.cacr.caltech.edu/ASAP/onlineresources/publications/", "type": "pub"}
        ],
        "rights": (
            "You are granted permission for individual, educational, research and non-commercial "
            "reproduction, distribution, display and performance of this work in any format."
        ),
        "collection": "CaltechASCI",
        "local_group": ["Accelerated Strategic Computing Initiative", "GALCIT"],
    }
    assert len(report.documents_left_out) == 1


@needs_reference
def test_artexte_article_keeps_creators_and_editors_and_its_local_fields():
    report = import_ep3xml(ARTEXTE.read_bytes())
    item = Item.objects.with_parts().get(pk=25612)
    people = list(item.creators.all())
    creators = [p.family for p in people if p.role == CreatorRole.CREATOR]
    editors = [p.family for p in people if p.role == CreatorRole.EDITOR]
    assert creators[:3] == ["Hogan", "Tamaki", "Lenk"] and len(creators) == 12
    assert editors == ["Hogan", "MacPhee", "McLeod", "Tamaki"]
    assert (item.type, item.publication, item.number, item.issn, item.place_of_pub) == (
        "article",
        "nomorepotlucks",
        "10",
        "19184921",
        "Montréal, Qc",
    )
    assert item.keywords == "POLITICS, QUEER CULTURE, FEMINISM, CONFESSION"
    # The record has no title: it waits in the workarea for one.
    assert (item.title, item.status) == ("(untitled)", ItemStatus.INBOX)
    assert report.warnings == [
        "eprint 25612: it has no title: imported into the workarea as '(untitled)'.",
        "eprint 25612: document 1 (cover_10.pdf): content 'coverimage' is not one we know; kept as other.",
    ]
    assert [line.split(": its")[0] for line in report.documents_left_out] == [
        "eprint 25612: document 1 (cover_10.pdf)",
        "eprint 25612: document 2 (NMP_10.pdf)",
    ]
    local = {
        "contributors",
        "related_url",
        "copyright_holders",
        "physical_copy",
        "type_pri",
        "artists",
        "language",
        "publishers",
        "cat_level",
        "workflow_type",
        "designation",
        "kw",
        "issns",
        "browse_authors",
    }
    assert set(report.extra_fields) == local == set(item.extra)


def record(body: str, eprintid: str = "7") -> bytes:
    return (
        "<?xml version='1.0' encoding='utf-8'?>\n<eprints xmlns='http://eprints.org/ep2/data/2.0'>"
        f"<eprint><eprintid>{eprintid}</eprintid>{body}</eprint></eprints>"
    ).encode()


def test_unknown_vocabulary_values_and_bad_identifiers_are_dropped_with_a_warning():
    body = (
        "<type>report_lse</type><title>T</title><monograph_type>odd</monograph_type><pages>xii</pages>"
        "<date>21 March</date><official_url>not a url</official_url>"
        "<creators><item><name><family>A</family><given>B</given></name><id>a-local-id</id>"
        "<orcid>0000-0000-0000-0000</orcid></item></creators>"
    )
    report = import_ep3xml(record(body))
    item = Item.objects.get(pk=7)
    assert (item.type, item.monograph_type, item.pages, item.date, item.official_url) == (
        "other",
        "",
        None,
        "",
        "",
    )
    assert [(c.family, c.email, c.orcid) for c in item.creators.all()] == [("A", "", "")]
    assert report.warnings == [
        "eprint 7: type 'report_lse' is not one we know; left empty.",
        "eprint 7: monograph_type 'odd' is not one we know; left empty.",
        "eprint 7: pages 'xii' is not a number; left empty.",
        "eprint 7: date '21 March' is not a date; left empty.",
        "eprint 7: official_url 'not a url' is not valid; left empty.",
        "eprint 7: A's ORCID iD '0000-0000-0000-0000' is not valid; left out.",
    ]


def test_numbers_must_be_ascii_digits():
    """str.isdigit() is true of "²", which is no eprint ID or page count."""
    report = import_ep3xml(record("<type>article</type><title>T</title><pages>²</pages>", eprintid="²"))
    (item,) = Item.objects.all()
    assert item.pages is None
    assert report.created == [item.pk]
    assert report.warnings == [
        "record 1 (line 2): pages '²' is not a number; left empty.",
        f"record 1 (line 2): it has no eprintid: imported as eprint {item.pk}.",
    ]


def test_an_invalid_record_is_reported_and_the_others_are_imported():
    source = (
        "<eprints xmlns='http://eprints.org/ep2/data/2.0'>\n"
        "<eprint><eprintid>1</eprintid><type>article</type><title>Fine</title></eprint>\n"
        "<eprint><eprintid>2</eprintid><type>article</type><title>T</title>"
        f"<publisher>{'x' * 300}</publisher></eprint>\n"
        "<eprint><eprintid>3</eprintid><type>article</type><title>Fine too</title></eprint>\n"
        "</eprints>"
    ).encode()
    report = import_ep3xml(source)
    assert report.created == [1, 3]
    (failure,) = report.failed
    assert failure.startswith("eprint 2 (line 3): publisher: Ensure this value has at most 255 characters")
    assert sorted(Item.objects.values_list("pk", flat=True)) == [1, 3]


@pytest.mark.parametrize(
    ("source", "error", "message"),
    [
        (b"<eprints><eprint>", EP3ImportError, "the file is not EP3 XML: its root is <eprints>"),
        (
            b"<records xmlns='http://example.org/'/>",
            EP3ImportError,
            "the file is not EP3 XML: its root is <records>",
        ),
        (b"", MalformedXML, "the file is not well-formed XML at line 1"),
        (
            b"<eprints xmlns='http://eprints.org/ep2/data/2.0'>\n<eprint>\n<title>x</eprint>",
            MalformedXML,
            "the file is not well-formed XML at line 3",
        ),
    ],
)
def test_what_is_not_ep3_xml_is_refused(source, error, message):
    with pytest.raises(error, match=message):
        import_ep3xml(source)
    assert Item.objects.count() == 0


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    source = (
        f'<!DOCTYPE eprints [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<eprints xmlns='http://eprints.org/ep2/data/2.0'><eprint><type>article</type>"
        "<title>A &x; B</title></eprint></eprints>"
    ).encode()
    import_ep3xml(source)
    assert "SECRET" not in Item.objects.get().title


def test_an_entity_expansion_bomb_is_refused_not_expanded():
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    source = (
        f'<!DOCTYPE eprints [<!ENTITY e0 "aaaaaaaaaa">{entities}]>'
        "<eprints xmlns='http://eprints.org/ep2/data/2.0'><eprint><type>article</type>"
        "<title>&e9;</title></eprint></eprints>"
    ).encode()
    with pytest.raises(MalformedXML, match="the file is not well-formed XML at line 1"):
        import_ep3xml(source)
    assert not Item.objects.exists()
