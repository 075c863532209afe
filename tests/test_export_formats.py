"""What every export format shares: the registry, privacy, hostile metadata and query counts."""

import csv
import io
import json
from urllib.parse import parse_qs, unquote

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from eprints_app.enums import CreatorRole, Security
from eprints_app.exports import REGISTRY, oai_formats, public_formats
from eprints_app.models import Creator, Division, Item, Subject
from tests.factories import make_article, make_document, make_user

pytestmark = pytest.mark.django_db

MINE = {
    # identifier: (extension, content type, public, OAI prefix)
    "BibTeX": ("bib", "application/x-bibtex; charset=utf-8", True, None),
    "RIS": ("ris", "application/x-research-info-systems; charset=utf-8", True, None),
    "EndNote": ("enw", "application/x-endnote-refer; charset=utf-8", True, None),
    "Refer": ("refer", "text/plain; charset=utf-8", True, None),
    "MODS": ("xml", "application/mods+xml; charset=utf-8", True, "mods"),
    "METS": ("xml", "application/xml; charset=utf-8", True, "mets"),
    "ContextObject": ("xml", "application/xml; charset=utf-8", True, None),
    "COinS": ("txt", "text/plain; charset=utf-8", True, None),
    "HTML": ("html", "text/html; charset=utf-8", True, None),
    "CSL-JSON": ("json", "application/vnd.citationstyles.csl+json", True, None),
    "Atom": ("xml", "application/atom+xml; charset=utf-8", True, None),
    "RSS2": ("xml", "application/rss+xml; charset=utf-8", True, None),
    "JSON": ("js", "application/json", False, None),
    "XML": ("xml", "application/xml; charset=utf-8", False, None),
    "CSV": ("csv", "text/csv; charset=utf-8", False, None),
}
XML_FORMATS = {"MODS", "METS", "ContextObject", "Atom", "RSS2", "XML"}
HOSTILE = '<script>alert("x")</script> "quotes\' & {braces} 100% \x0b\x01 عنوان عربي 中文标题'


def rich_item(**fields) -> Item:
    """make_article's live article, in another journal, with every kind of value, personal data included."""
    values = {
        "title": "Corridors of influence",
        "abstract": "An abstract.",
        "date": "2020-06-15",
        "publication": "Journal of Asian Political Economy",
        "id_number": "10.5555/japes.2020.0143",
        "official_url": "https://doi.org/10.5555/japes.2020.0143",
        "keywords": "finance; hedging",
        "note": "A note.",
        "publisher": "Asia Press",
        "contact_email": "contact.secret@example.org",
        "depositor": make_user(email="depositor.secret@example.org"),
    }
    item = make_article(creators=0, **{**values, **fields})
    Creator.objects.create(
        item=item,
        position=0,
        family="Rahman",
        given="Farida",
        orcid="0000-0002-1825-0097",
        email="creator.secret@example.org",
    )
    Creator.objects.create(
        item=item,
        position=0,
        role=CreatorRole.EDITOR,
        family="Editor",
        given="Eve",
        email="editor.secret@example.org",
    )
    subject, _ = Subject.objects.get_or_create(code="JZ", defaults={"name": "JZ International relations"})
    division, _ = Division.objects.get_or_create(code="dept-ir", defaults={"name": "International Relations"})
    item.subjects.add(subject)
    item.divisions.add(division)
    make_document(item, filename="open.pdf")
    make_document(item, filename="staff.pdf", security=Security.STAFFONLY)
    return Item.objects.with_parts().get(pk=item.pk)


def parse(identifier: str, text: str):
    """Read an export back with a real reader of its format; fails on anything malformed."""
    if identifier in XML_FORMATS:
        return etree.fromstring(text.encode())
    if identifier == "HTML":
        return etree.fromstring(f"<div>{text}</div>".encode())
    if identifier in {"JSON", "CSL-JSON"}:
        return json.loads(text)
    if identifier == "CSV":
        return list(csv.DictReader(io.StringIO(text)))
    if identifier == "BibTeX":
        library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
        assert not library.failed_blocks
        return library
    if identifier == "RIS":
        return rispy.loads(text)
    if identifier == "COinS":
        return parse_qs(text.strip(), strict_parsing=True)
    return text


def test_my_formats_are_registered_with_their_extension_type_and_audience():
    for identifier, (extension, content_type, public, prefix) in MINE.items():
        fmt = REGISTRY[identifier]
        assert (fmt.extension, fmt.content_type, fmt.public, fmt.oai_prefix) == (
            extension,
            content_type,
            public,
            prefix,
        ), identifier


def test_staff_only_formats_are_neither_in_the_menu_nor_offered_to_harvesters():
    staff_only = {"JSON", "XML", "CSV"}
    assert staff_only.isdisjoint(f.identifier for f in public_formats())
    assert staff_only.isdisjoint(f.identifier for f in oai_formats().values())


def test_oai_formats_name_their_namespace_and_schema():
    mods, mets = oai_formats()["mods"], oai_formats()["mets"]
    assert (mods.oai_namespace, mods.oai_schema) == (
        "http://www.loc.gov/mods/v3",
        "http://www.loc.gov/standards/mods/v3/mods-3-8.xsd",
    )
    assert (mets.oai_namespace, mets.oai_schema) == (
        "http://www.loc.gov/METS/",
        "http://www.loc.gov/standards/mets/mets.xsd",
    )


@pytest.mark.parametrize("identifier", sorted(i for i, spec in MINE.items() if spec[2]))
def test_public_format_carries_no_email_address_nor_the_depositor(identifier):
    item = rich_item()
    text = REGISTRY[identifier].render([item])
    assert "secret" not in text
    assert "@example.org" not in text
    assert "depositor" not in text.lower()


@pytest.mark.parametrize("identifier", sorted(i for i, spec in MINE.items() if spec[2]))
def test_public_format_leaves_out_staff_only_documents(identifier):
    text = REGISTRY[identifier].render([rich_item()])
    assert "staff.pdf" not in text


@pytest.mark.parametrize("identifier", ["JSON", "XML", "CSV"])
def test_staff_only_format_carries_the_personal_data_staff_need(identifier):
    item = rich_item()
    text = REGISTRY[identifier].render([item])
    assert "creator.secret@example.org" in text
    assert "contact.secret@example.org" in text
    assert str(item.depositor_id) in text


@pytest.mark.parametrize("identifier", sorted(MINE))
def test_hostile_metadata_leaves_every_format_parseable(identifier):
    item = rich_item(title=HOSTILE, abstract=HOSTILE, note=HOSTILE, keywords=HOSTILE)
    Creator.objects.filter(item=item, role=CreatorRole.CREATOR).update(family=HOSTILE, given="{Ж}&")
    item = Item.objects.with_parts().get(pk=item.pk)
    text = REGISTRY[identifier].render([item])
    parsed = parse(identifier, text)
    readable = unquote(text) if identifier == "COinS" else text
    assert "\x0b" not in readable and "\x01" not in readable
    assert "عنوان عربي" in readable and "中文标题" in readable
    if identifier in XML_FORMATS or identifier == "HTML":
        assert "<script>" not in text
        assert "&lt;script&gt;" in text
        all_text = "".join(parsed.itertext())
        assert '<script>alert("x")</script> "quotes\' & {braces} 100%' in all_text


def test_hostile_title_reads_back_exactly_from_bibtex_and_ris():
    item = rich_item(title=HOSTILE)
    expected = HOSTILE.replace("\x0b\x01", "").replace("  ", " ")
    library = parse("BibTeX", REGISTRY["BibTeX"].render([item]))
    assert library.entries[0].fields_dict["title"].value == expected
    assert parse("RIS", REGISTRY["RIS"].render([item]))[0]["title"] == expected


@pytest.mark.parametrize("identifier", sorted(MINE))
def test_ten_items_take_as_many_queries_as_one(identifier):
    items = [rich_item(title=f"Item {n}") for n in range(10)]
    fmt = REGISTRY[identifier]

    def queries_for(ids: list[int]) -> int:
        with CaptureQueriesContext(connection) as captured:
            fmt.render(list(Item.objects.with_parts().filter(pk__in=ids)))
        return len(captured)

    one = queries_for([items[0].pk])
    assert one == 5  # the items, then creators, documents, subjects and divisions
    assert queries_for([item.pk for item in items]) == one
