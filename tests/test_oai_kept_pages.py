"""OAI-PMH list pages kept rendered in the cache (eprints_app.oai.pages): the same bytes as
fresh ones, and never kept past a change to anything they show."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from eprints_app.enums import ItemStatus, Security
from eprints_app.models import Document, Item, Subject
from eprints_app.oai.records import PAGE_SIZE
from eprints_app.services.documents import save_document
from eprints_app.services.status import change_status
from tests.factories import make_document, make_item
from tests.oai_support import ENDPOINT, NS, deleted_identifiers, oai, resumption_token, valid_response

pytestmark = pytest.mark.django_db

# What differs between two answers to the same request: the time of the response, and the
# tokens, which carry the time they were made.
MOMENTS = re.compile(
    rb"<responseDate>[^<]*</responseDate>|resumptionToken=\"[^\"]*\"|expirationDate=\"[^\"]*\""
    rb"|(?<=>)[^<]*(?=</resumptionToken>)"
)
RECORD = re.compile(rb"    <record>.*?</record>\n", re.DOTALL)


@pytest.fixture
def repository():
    """Items with everything a record shows, text that needs escaping, and a deleted record.

    In the list: the second (the first moved to the end by its extra document), the first,
    then the third, moved by its retirement."""
    law = Subject.objects.create(code="K", name="K Law & <Jurisprudence>")
    quoted = Subject.objects.create(code="K's", name="Its apostrophe", parent=law)
    items = [
        make_item(title=f"Item {n} & <friends>", abstract='Tom\'s "quoted" text', creators=2)
        for n in range(3)
    ]
    for item in items:
        item.subjects.add(law, quoted)
        make_document(item, content=b"plain text", filename="notes.txt")
    make_document(items[0], content=b"hidden", filename="hidden.txt", security=Security.STAFFONLY)
    change_status(items[2], ItemStatus.DELETION)
    return items


def fetch(client, **params: str) -> tuple[bytes, int]:
    """The response's bytes, and the queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ENDPOINT, params)
    valid_response(response)
    return response.content, len(queries)


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
def test_a_kept_page_is_the_same_bytes_as_a_fresh_one(client, repository, verb):
    fresh, _ = fetch(client, verb=verb, metadataPrefix="oai_dc")
    kept, queries = fetch(client, verb=verb, metadataPrefix="oai_dc")
    assert queries == 1  # the page's keys: the rest came from the cache
    assert MOMENTS.sub(b"", kept) == MOMENTS.sub(b"", fresh)
    assert kept.count(b"<header") == 3


def test_a_kept_record_is_the_same_bytes_as_get_record_makes_afresh(client, repository):
    fetch(client, verb="ListRecords", metadataPrefix="oai_dc")
    kept, _ = fetch(client, verb="ListRecords", metadataPrefix="oai_dc")
    root = etree.fromstring(kept)
    identifiers = [f"oai:demo:{item.pk}" for item in (repository[1], repository[0], repository[2])]
    assert [i.text for i in root.iterfind(".//oai:header/oai:identifier", NS)] == identifiers
    for identifier, record in zip(identifiers, RECORD.findall(kept), strict=True):
        fresh, _ = fetch(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=identifier)
        assert RECORD.findall(fresh) == [record]
    header = root.find(".//oai:header", NS)
    assert [s.text for s in header.iterfind("oai:setSpec", NS)] == [
        "types:monograph",
        "subjects:K",
        "subjects:K:K's",
        "driver",
    ]
    assert root.findtext(".//dc:title", namespaces=NS) == "Item 1 & <friends>"
    assert deleted_identifiers(root) == identifiers[2:]


def test_pages_are_kept_apart_by_format_and_verb(client, repository):
    oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    # Only oai_dc's schema is at hand for lxml (as in test_oai_get_record).
    mods = etree.fromstring(client.get(ENDPOINT, {"verb": "ListRecords", "metadataPrefix": "mods"}).content)
    assert {etree.QName(m[0]).localname for m in mods.iterfind(".//oai:metadata", NS)} == {"mods"}
    headers = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert headers.find(".//oai:record", NS) is None
    assert len(headers.findall(".//oai:header", NS)) == 3


def titles(client) -> list[str]:
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    return [title.text for title in root.iterfind(".//dc:title", NS)]


def set_specs(client, verb: str = "ListRecords") -> list[list[str]]:
    root = oai(client, verb=verb, metadataPrefix="oai_dc")
    return [
        [s.text for s in header.iterfind("oai:setSpec", NS)] for header in root.iterfind(".//oai:header", NS)
    ]


def test_a_saved_title_shows_in_the_next_harvest(client):
    item = make_item(title="First title")
    make_item(title="Other")
    assert titles(client) == ["First title", "Other"]
    item.title = "Second title"
    item.save()
    # Changed, it moves to the end of the list.
    assert titles(client) == ["Other", "Second title"]


def test_a_change_made_without_signals_shows_in_the_next_harvest(client):
    item = make_item(title="First title")
    assert titles(client) == ["First title"]
    Item.objects.filter(pk=item.pk).update(title="Quietly changed", last_modified=timezone.now())
    assert titles(client) == ["Quietly changed"]


def test_a_renamed_or_moved_subject_shows_in_the_next_harvest(client):
    j = Subject.objects.create(code="J", name="J Political Science")
    h = Subject.objects.create(code="H", name="H Social Sciences")
    jz = Subject.objects.create(code="JZ", name="JZ International relations", parent=j)
    item = make_item()
    item.subjects.add(jz)
    last_modified = Item.objects.get(pk=item.pk).last_modified

    def subjects() -> list[str]:
        root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
        return [subject.text for subject in root.iterfind(".//dc:subject", NS)]

    assert subjects() == ["JZ International relations"]
    assert set_specs(client) == set_specs(client, "ListIdentifiers") == [["types:monograph", "subjects:J:JZ"]]
    jz.name = "JZ Global politics"
    jz.save()
    assert subjects() == ["JZ Global politics"]
    jz.parent = h
    jz.save()
    assert set_specs(client) == set_specs(client, "ListIdentifiers") == [["types:monograph", "subjects:H:JZ"]]
    # Only the heading was saved: the record's datestamp did not move.
    assert Item.objects.get(pk=item.pk).last_modified == last_modified


def test_a_document_made_staff_only_leaves_the_next_harvest(client):
    item = make_item()
    document = make_document(item)
    url = document.get_absolute_url()

    def identifiers() -> list[str]:
        root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
        return [identifier.text for identifier in root.iterfind(".//dc:identifier", NS)]

    assert any(identifier.endswith(url) for identifier in identifiers())
    assert set_specs(client) == set_specs(client, "ListIdentifiers") == [["types:monograph", "driver"]]
    document = Document.objects.get(pk=document.pk)
    document.security = Security.STAFFONLY
    save_document(document)
    assert not any(identifier.endswith(url) for identifier in identifiers())
    assert set_specs(client) == set_specs(client, "ListIdentifiers") == [["types:monograph"]]


def test_an_embargo_ending_overnight_shows_with_nothing_saved(client, monkeypatch):
    today = timezone.localdate()
    item = make_item()
    make_document(item, date_embargo=today + datetime.timedelta(days=1))
    assert set_specs(client) == set_specs(client, "ListIdentifiers") == [["types:monograph"]]
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + datetime.timedelta(days=1))
    assert set_specs(client) == set_specs(client, "ListIdentifiers") == [["types:monograph", "driver"]]


def test_a_record_deleted_since_its_page_was_kept_is_a_deleted_header(client):
    items = [make_item() for _ in range(2)]
    oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    change_status(items[0], ItemStatus.DELETION)
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert deleted_identifiers(root) == [f"oai:demo:{items[0].pk}"]
    assert len(root.findall(".//oai:metadata", NS)) == 1


def test_every_page_of_a_long_list_is_kept(client):
    Item.objects.bulk_create(
        Item(type="article", title=f"Item {n}", status=ItemStatus.ARCHIVE, date_deposited=timezone.now())
        for n in range(PAGE_SIZE + 10)
    )
    first = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    token = resumption_token(first).text
    oai(client, verb="ListRecords", resumptionToken=token)
    again, queries = fetch(client, verb="ListRecords", resumptionToken=token)
    assert queries == 1
    assert again.count(b"<record>") == 10
