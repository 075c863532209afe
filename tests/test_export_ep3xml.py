"""The EP3 XML export (staff only): EPrints' own shape, as in the reference export_1_XML.xml."""

import datetime
from pathlib import Path

import pytest
from lxml import etree

from eprints_app.enums import CreatorRole
from eprints_app.models import Creator, Item
from tests.export_support import rendered
from tests.factories import make_item

pytestmark = pytest.mark.django_db

REFERENCE = Path("/work/shared/reference/eprints-output/export_1_XML.xml")
EP = "{http://eprints.org/ep2/data/2.0}"
NS = {"ep": "http://eprints.org/ep2/data/2.0"}


def export(*items: Item) -> etree._Element:
    text = rendered("XML", *items)
    assert text.startswith(
        '<?xml version="1.0" encoding="utf-8"?>\n<eprints xmlns="http://eprints.org/ep2/data/2.0">'
    )
    return etree.fromstring(text.encode())


def shape(element: etree._Element) -> list:
    """Element names, nested, as a comparable outline of a record."""
    return [(etree.QName(child).localname, shape(child)) for child in element]


def test_seed_record_has_the_fields_and_values_of_eprints_export(seed):
    eprint = export(seed).find("ep:eprint", NS)
    assert eprint.get("id") == "http://127.0.0.1:8000/id/eprint/114516"
    texts = {etree.QName(e).localname: e.text for e in eprint if len(e) == 0}
    assert {
        name: texts[name]
        for name in (
            "eprintid",
            "eprint_status",
            "type",
            "title",
            "ispublished",
            "note",
            "date",
            "date_type",
            "publisher",
            "official_url",
            "monograph_type",
            "series",
            "place_of_pub",
            "full_text_status",
            "refereed",
            "datestamp",
            "lastmod",
            "status_changed",
            "rev_number",
        )
    } == {
        "eprintid": "114516",
        "eprint_status": "archive",
        "type": "monograph",
        "title": "Changing dynamics of Pakistan-US relations and the challenge of soft power",
        "ispublished": "pub",
        "note": "© 2021 The Author",
        "date": "2021",
        "date_type": "published",
        "publisher": "LSE Ideas",
        "official_url": "https://www.lse.ac.uk/ideas/publications/reports",
        "monograph_type": "report",
        "series": "LSE IDEAS Reports",
        "place_of_pub": "London, UK",
        "full_text_status": "public",
        "refereed": "FALSE",
        "datestamp": "2022-03-29 12:48:00",
        "lastmod": "2024-09-14 03:55:00",
        "status_changed": "2022-03-29 12:48:00",
        "rev_number": str(seed.rev_number),
    }
    assert eprint.xpath("ep:creators/ep:item/ep:name/*/text()", namespaces=NS) == ["Ahmar", "Moonis"]
    assert eprint.xpath("ep:subjects/ep:item/text()", namespaces=NS) == ["JZ"]
    assert eprint.xpath("ep:divisions/ep:item/text()", namespaces=NS) == ["lse"]


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared EPrints reference output is not here")
def test_document_and_file_have_the_shape_eprints_gives_them(seed):
    ours = export(seed).find("ep:eprint/ep:documents/ep:document", NS)
    theirs = etree.parse(str(REFERENCE)).getroot().find("ep:eprint/ep:documents/ep:document", NS)
    assert ours.get("id").startswith("http://127.0.0.1:8000/id/document/")
    their_fields = [name for name, _ in shape(theirs)]
    our_fields = [name for name, _ in shape(ours)]
    assert set(their_fields) - {"rev_number"} <= set(our_fields)
    their_file = {name for name, _ in shape(theirs.find("ep:files/ep:file", NS))}
    our_file = ours.find("ep:files/ep:file", NS)
    assert their_file == {name for name, _ in shape(our_file)}
    assert our_file.findtext("ep:hash_type", namespaces=NS) == "SHA-256"
    assert our_file.findtext("ep:url", namespaces=NS) == (
        "http://127.0.0.1:8000/id/eprint/114516/1/Ahmar__changing-dynamics-of-pakistan-us--published.pdf"
    )


def test_people_carry_email_and_orcid_and_editors_have_their_own_field():
    item = make_item(creators=0, refereed=True, pages=12)
    Creator.objects.create(
        item=item, family="Carberry", given="Josiah", orcid="0000-0002-1825-0097", email="josiah@example.org"
    )
    Creator.objects.create(item=item, role=CreatorRole.EDITOR, family="Dubois")
    eprint = export(item).find("ep:eprint", NS)
    creator = eprint.find("ep:creators/ep:item", NS)
    assert shape(creator) == [("name", [("family", []), ("given", [])]), ("id", []), ("orcid", [])]
    assert [creator.findtext(f"ep:{n}", namespaces=NS) for n in ("id", "orcid")] == [
        "josiah@example.org",
        "0000-0002-1825-0097",
    ]
    assert eprint.xpath("ep:editors/ep:item/ep:name/ep:family/text()", namespaces=NS) == ["Dubois"]
    assert [eprint.findtext(f"ep:{n}", namespaces=NS) for n in ("refereed", "pages")] == ["TRUE", "12"]


def test_times_are_utc_with_seconds():
    item = make_item()
    Item.objects.filter(pk=item.pk).update(
        date_deposited=datetime.datetime(
            2022, 3, 29, 13, 48, 7, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
        )
    )
    assert export(item).findtext("ep:eprint/ep:datestamp", namespaces=NS) == "2022-03-29 12:48:07"


def test_empty_fields_are_left_out():
    eprint = export(make_item()).find("ep:eprint", NS)
    names = [etree.QName(e).localname for e in eprint]
    assert "abstract" not in names and "editors" not in names and "documents" not in names
