"""The METS export: MODS inside, and a file section pointing at the public downloads."""

from pathlib import Path

import pytest
from lxml import etree

from eprints_app.enums import Security
from eprints_app.exports import REGISTRY
from eprints_app.models import Item
from tests.export_support import rendered
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db

MODS_SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "xsd" / "mods" / "mods-3-8.xsd")))
NS = {
    "mets": "http://www.loc.gov/METS/",
    "mods": "http://www.loc.gov/mods/v3",
    "xlink": "http://www.w3.org/1999/xlink",
}
HREF = "{http://www.w3.org/1999/xlink}href"


def export(*items: Item) -> etree._Element:
    return etree.fromstring(rendered("METS", *items).encode())


def test_item_mets_wraps_valid_mods_and_lists_only_open_files():
    item = make_item()
    open_document = make_document(item, filename="open.pdf")
    make_document(item, filename="staff.pdf", security=Security.STAFFONLY)
    root = export(item)
    assert root.tag == "{http://www.loc.gov/METS/}mets"
    assert root.get("OBJID") == item.uri
    assert root.xpath("mets:metsHdr/mets:agent/mets:name/text()", namespaces=NS) == ["Demo Research Online"]
    mods = root.xpath("mets:dmdSec/mets:mdWrap[@MDTYPE='MODS']/mets:xmlData/mods:mods", namespaces=NS)
    assert len(mods) == 1
    MODS_SCHEMA.assertValid(etree.fromstring(etree.tostring(mods[0])))
    files = root.xpath("mets:fileSec/mets:fileGrp/mets:file", namespaces=NS)
    assert [(f.get("MIMETYPE"), int(f.get("SIZE")), f.get("CHECKSUMTYPE")) for f in files] == [
        ("application/pdf", open_document.filesize, "SHA-256")
    ]
    assert files[0].get("CHECKSUM") == open_document.sha256
    location = files[0].find("mets:FLocat", NS)
    assert (location.get("LOCTYPE"), location.get(HREF)) == (
        "URL",
        f"http://127.0.0.1:8000/id/eprint/{item.pk}/1/open.pdf",
    )
    division = root.xpath("mets:structMap/mets:div", namespaces=NS)[0]
    assert division.get("DMDID") == root.find("mets:dmdSec", NS).get("ID")
    assert [p.get("FILEID") for p in division.findall("mets:fptr", NS)] == [files[0].get("ID")]


def test_item_without_open_files_has_no_file_section():
    root = export(make_item())
    assert root.find("mets:fileSec", NS) is None
    assert root.find("mets:structMap/mets:div", NS) is not None


def test_list_has_a_division_per_item_each_pointing_at_its_own_mods():
    items = [make_item(title=f"Item {n}") for n in range(3)]
    root = export(*items)
    ids = [d.get("ID") for d in root.findall("mets:dmdSec", NS)]
    assert len(set(ids)) == 3
    assert [d.get("DMDID") for d in root.xpath("mets:structMap/mets:div/mets:div", namespaces=NS)] == ids


def test_oai_form_has_no_declaration(seed):
    text = REGISTRY["METS"].render_oai(Item.objects.with_parts().get(pk=seed.pk))
    assert text.startswith("<mets:mets ")
    assert etree.fromstring(text.encode()).get("OBJID") == "http://127.0.0.1:8000/id/eprint/114516"
