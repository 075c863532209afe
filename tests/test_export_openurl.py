"""OpenURL exports: ContextObject XML and COinS (KEV), from one mapping."""

from urllib.parse import parse_qs

import pytest
from lxml import etree

from eprints_app.enums import ItemType
from eprints_app.models import Item
from tests.export_support import rendered
from tests.factories import make_article, make_item

pytestmark = pytest.mark.django_db

CTX = "info:ofi/fmt:xml:xsd:ctx"
NS = {
    "ctx": CTX,
    "jnl": "info:ofi/fmt:xml:xsd:journal",
    "bk": "info:ofi/fmt:xml:xsd:book",
    "dis": "info:ofi/fmt:xml:xsd:dissertation",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def context_objects(*items: Item) -> etree._Element:
    return etree.fromstring(rendered("ContextObject", *items).encode())


def coins(item: Item) -> dict[str, list[str]]:
    return parse_qs(rendered("COinS", item).strip(), strict_parsing=True)


def test_seed_report_is_a_book_referent(seed):
    root = context_objects(seed)
    ctx = root.find("ctx:context-object", NS)
    assert ctx.get("version") == "Z39.88-2004"
    assert ctx.xpath("ctx:referent/ctx:identifier/text()", namespaces=NS) == [
        "http://127.0.0.1:8000/id/eprint/114516"
    ]
    assert (
        ctx.findtext("ctx:referent/ctx:metadata-by-val/ctx:format", namespaces=NS)
        == "info:ofi/fmt:xml:xsd:book"
    )
    book = ctx.find("ctx:referent/ctx:metadata-by-val/ctx:metadata/bk:book", NS)
    assert [(etree.QName(e).localname, e.text) for e in book if etree.QName(e).localname != "authors"] == [
        ("btitle", seed.title),
        ("place", "London, UK"),
        ("pub", "LSE Ideas"),
        ("date", "2021"),
        ("series", "LSE IDEAS Reports"),
        ("genre", "report"),
    ]
    assert book.xpath("bk:authors/bk:author/*/text()", namespaces=NS) == ["Ahmar", "Moonis"]
    assert ctx.findtext("ctx:referrer/ctx:identifier", namespaces=NS) == "info:sid/127.0.0.1:demo"


def test_article_is_a_journal_referent_in_schema_order():
    item = make_article()
    ctx = context_objects(item).find("ctx:context-object", NS)
    journal = ctx.find(".//jnl:journal", NS)
    assert [etree.QName(e).localname for e in journal] == [
        "authors",
        "atitle",
        "jtitle",
        "date",
        "volume",
        "issue",
        "spage",
        "epage",
        "pages",
        "issn",
        "genre",
    ]
    assert ctx.xpath("ctx:referent/ctx:identifier/text()", namespaces=NS) == [
        item.uri,
        "info:doi/10.5555/abc",
    ]


def test_thesis_is_a_dissertation_and_other_types_are_dublin_core():
    thesis = make_item(type=ItemType.THESIS, thesis_type="doctoral", institution="LSE")
    other = make_item(type=ItemType.DATASET, title="Survey data")
    root = context_objects(thesis, other)
    first, second = root.findall("ctx:context-object", NS)
    assert first.xpath(".//dis:dissertation/dis:inst/text()", namespaces=NS) == ["LSE"]
    assert first.xpath(".//dis:dissertation/dis:degree/text()", namespaces=NS) == ["PhD"]
    assert second.xpath(".//oai_dc:dc/dc:title/text()", namespaces=NS) == ["Survey data"]
    assert second.xpath(".//oai_dc:dc/dc:type/text()", namespaces=NS) == ["Dataset"]


def test_coins_of_the_seed(seed):
    assert coins(seed) == {
        "ctx_ver": ["Z39.88-2004"],
        "ctx_enc": ["info:ofi/enc:UTF-8"],
        "rfr_id": ["info:sid/127.0.0.1:demo"],
        "rft_val_fmt": ["info:ofi/fmt:kev:mtx:book"],
        "rft_id": ["http://127.0.0.1:8000/id/eprint/114516"],
        "rft.aulast": ["Ahmar"],
        "rft.aufirst": ["Moonis"],
        "rft.au": ["Ahmar, Moonis"],
        "rft.btitle": [seed.title],
        "rft.place": ["London, UK"],
        "rft.pub": ["LSE Ideas"],
        "rft.date": ["2021"],
        "rft.series": ["LSE IDEAS Reports"],
        "rft.genre": ["report"],
    }


def test_coins_is_one_line_per_item_with_spaces_encoded():
    items = [make_item(title=f"Item {n} & more") for n in range(2)]
    lines = rendered("COinS", *items).splitlines()
    assert len(lines) == 2
    assert " " not in lines[0] and "rft.btitle=Item%200%20%26%20more" in lines[0]


def test_conference_paper_keeps_its_own_title_as_the_article_title():
    paper = make_item(
        type=ItemType.CONFERENCE_ITEM, title="A paper", event_title="The Conference", pres_type="paper"
    )
    values = coins(paper)
    assert values["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:journal"]
    assert values["rft.atitle"] == ["A paper"]
    assert values["rft.jtitle"] == ["The Conference"]
    assert values["rft.genre"] == ["proceeding"]
