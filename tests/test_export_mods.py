"""The MODS export, validated against the official MODS 3.8 schema (tests/xsd/mods)."""

from pathlib import Path

import pytest
from lxml import etree

from eprints_app.enums import CreatorRole, ItemType, Licence
from eprints_app.exports import REGISTRY
from eprints_app.models import Creator, Item
from tests.export_support import rendered
from tests.factories import make_article, make_document, make_item

pytestmark = pytest.mark.django_db

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "xsd" / "mods" / "mods-3-8.xsd")))
REFERENCE = Path("/work/shared/reference/eprints-output/export_1_MODS.xml")
NS = {"mods": "http://www.loc.gov/mods/v3", "xlink": "http://www.w3.org/1999/xlink"}
MODS = REGISTRY["MODS"]


def export(*items: Item) -> etree._Element:
    text = rendered("MODS", *items)
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    root = etree.fromstring(text.encode())
    SCHEMA.assertValid(root)
    return root


def values(root: etree._Element, path: str) -> list[str]:
    return [node if isinstance(node, str) else node.text for node in root.xpath(path, namespaces=NS)]


def test_seed_is_a_valid_mods_record_with_its_fields(seed):
    root = export(seed)
    assert root.tag == "{http://www.loc.gov/mods/v3}mods"
    assert root.get("version") == "3.8"
    assert values(root, "mods:titleInfo/mods:title") == [seed.title]
    assert values(root, "mods:name/mods:namePart") == ["Ahmar", "Moonis"]
    assert values(root, "mods:name/mods:namePart/@type") == ["family", "given"]
    assert values(root, "mods:name/mods:role/mods:roleTerm") == ["aut", "author"]
    assert values(root, "mods:typeOfResource") == ["text"]
    assert values(root, "mods:genre") == ["Monograph", "Report"]
    assert values(root, "mods:originInfo/mods:place/mods:placeTerm") == ["London, UK"]
    assert values(root, "mods:originInfo/mods:publisher") == ["LSE Ideas"]
    assert values(root, "mods:originInfo/mods:dateIssued") == ["2021"]
    assert values(root, "mods:abstract") == [seed.abstract]
    assert values(root, "mods:note") == ["© 2021 The Author"]
    assert values(root, "mods:classification[@authority='lcc']") == ["JZ International relations"]
    assert values(root, "mods:relatedItem[@type='series']/mods:titleInfo/mods:title") == ["LSE IDEAS Reports"]
    assert values(root, "mods:identifier[@type='uri']") == ["http://127.0.0.1:8000/id/eprint/114516"]
    assert values(root, "mods:location/mods:url") == [
        "http://127.0.0.1:8000/id/eprint/114516",
        "http://127.0.0.1:8000/id/eprint/114516/1/Ahmar__changing-dynamics-of-pakistan-us--published.pdf",
        "https://www.lse.ac.uk/ideas/publications/reports",
    ]
    assert values(root, "mods:recordInfo/mods:recordIdentifier") == ["114516"]


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared EPrints reference output is not here")
def test_seed_carries_every_value_eprints_puts_in_its_mods(seed):
    ours, theirs = export(seed), etree.parse(str(REFERENCE)).getroot()
    for path in (
        "mods:titleInfo/mods:title",
        "mods:abstract",
        "mods:classification",
        "mods:originInfo/mods:dateIssued",
        "mods:originInfo/mods:publisher",
        "mods:genre",
    ):
        assert set(values(theirs, path)) <= set(values(ours, path)), path
    their_names = {(p.get("type"), p.text) for p in theirs.xpath("mods:name/mods:namePart", namespaces=NS)}
    our_names = {(p.get("type"), p.text) for p in ours.xpath("mods:name/mods:namePart", namespaces=NS)}
    assert their_names == our_names


def test_every_demo_item_is_valid_and_a_list_is_a_collection(seed):
    root = export(*Item.objects.all())
    assert root.tag == "{http://www.loc.gov/mods/v3}modsCollection"
    assert len(root) == 7


def test_article_has_its_journal_as_host_with_volume_issue_and_pages():
    item = make_article()
    host = export(item).xpath("mods:relatedItem[@type='host']", namespaces=NS)[0]
    assert values(host, "mods:titleInfo/mods:title") == ["Journal of Things"]
    assert values(host, "mods:identifier[@type='issn']") == ["2046-1836"]
    assert values(host, "mods:part/mods:detail/@type") == ["volume", "issue"]
    assert values(host, "mods:part/mods:detail/mods:number") == ["14", "3"]
    assert values(host, "mods:part/mods:extent/mods:start") == ["211"]
    assert values(host, "mods:part/mods:extent/mods:end") == ["239"]
    assert values(export(item), "mods:identifier[@type='doi']") == ["10.5555/abc"]


def test_book_section_editors_belong_to_the_book():
    item = make_item(
        type=ItemType.BOOK_SECTION, book_title="Essays", isbn="978-1-9999-0438-8", pagerange="ix-xx"
    )
    Creator.objects.create(item=item, role=CreatorRole.EDITOR, family="Dubois", given="Claire")
    root = export(item)
    assert values(root, "mods:name/mods:namePart[@type='family']") == ["Family0"]
    host = root.xpath("mods:relatedItem[@type='host']", namespaces=NS)[0]
    assert values(host, "mods:name/mods:namePart[@type='family']") == ["Dubois"]
    assert values(host, "mods:name/mods:role/mods:roleTerm") == ["edt", "editor"]
    assert values(host, "mods:identifier[@type='isbn']") == ["978-1-9999-0438-8"]
    assert values(host, "mods:part/mods:extent/mods:start") == ["ix"]


def test_orcid_is_a_name_identifier():
    item = make_item(creators=0)
    Creator.objects.create(item=item, family="Carberry", given="Josiah", orcid="0000-0002-1825-0097")
    assert values(export(item), "mods:name/mods:nameIdentifier[@type='orcid']") == [
        "https://orcid.org/0000-0002-1825-0097"
    ]


def test_licence_of_an_open_document_is_an_access_condition():
    item = make_item()
    make_document(item, license=Licence.CC_BY)
    condition = export(item).xpath("mods:accessCondition", namespaces=NS)[0]
    assert condition.get("type") == "use and reproduction"
    assert (
        condition.get("{http://www.w3.org/1999/xlink}href") == "https://creativecommons.org/licenses/by/4.0/"
    )
    assert condition.text == "Creative Commons: Attribution 4.0"


def test_oai_form_is_one_valid_record_without_declaration(seed):
    text = MODS.render_oai(Item.objects.with_parts().get(pk=seed.pk))
    assert text.startswith("<mods:mods ")
    root = etree.fromstring(text.encode())
    SCHEMA.assertValid(root)
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") == (
        "http://www.loc.gov/mods/v3 http://www.loc.gov/standards/mods/v3/mods-3-8.xsd"
    )
