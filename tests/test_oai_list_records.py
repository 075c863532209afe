"""OAI-PMH ListRecords and ListIdentifiers (protocol §4.3, §4.5): paging, dates, deletions, queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eprints_app.enums import ItemStatus
from eprints_app.models import Creator, Division, Item, Subject
from eprints_app.oai.records import PAGE_SIZE
from eprints_app.services.status import change_status
from tests.factories import make_document, make_item
from tests.oai_support import (
    NS,
    deleted_identifiers,
    echoed,
    error_codes,
    header_identifiers,
    oai,
    resumption_token,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
START = datetime.datetime(2024, 1, 1, tzinfo=UTC)


def make_items(count: int, step: datetime.timedelta = datetime.timedelta(seconds=1), **fields) -> list[Item]:
    """Live items changed one ``step`` apart from START, made in one query."""
    values = {"type": "article", "publication": "Journal", "status": ItemStatus.ARCHIVE, **fields}
    items = Item.objects.bulk_create(
        Item(title=f"Item {n}", date_deposited=START, last_modified=START + n * step, **values)
        for n in range(count)
    )
    return sorted(items, key=lambda item: (item.last_modified, item.pk))


def oai_ids(items) -> list[str]:
    return [f"oai:demo:{item.pk}" for item in items]


def harvest(client, verb: str = "ListRecords", **args) -> tuple[list[str], list]:
    """Every identifier of a list, following tokens; and each page's resumptionToken element."""
    root = oai(client, verb=verb, metadataPrefix="oai_dc", **args)
    identifiers, tokens = header_identifiers(root), [resumption_token(root)]
    while tokens[-1] is not None and tokens[-1].text:
        root = oai(client, verb=verb, resumptionToken=tokens[-1].text)
        identifiers += header_identifiers(root)
        tokens.append(resumption_token(root))
    return identifiers, tokens


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
def test_a_long_list_comes_100_a_page_with_cursor_and_complete_list_size(client, verb):
    items = make_items(250)
    identifiers, tokens = harvest(client, verb)
    assert identifiers == oai_ids(items)
    assert [(t.get("cursor"), t.get("completeListSize")) for t in tokens] == [
        ("0", "250"),
        ("100", "250"),
        ("200", "250"),
    ]
    assert all(t.text and t.get("expirationDate") for t in tokens[:2])
    assert tokens[-1].text is None and tokens[-1].get("expirationDate") is None


def test_token_expiration_date_is_a_day_after_the_response(client):
    make_items(PAGE_SIZE + 1)
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    response_date = datetime.datetime.fromisoformat(root.findtext("oai:responseDate", namespaces=NS))
    expires = datetime.datetime.fromisoformat(resumption_token(root).get("expirationDate"))
    assert expires - response_date == datetime.timedelta(hours=24)


def test_a_list_that_fits_one_response_has_no_token(client):
    items = make_items(PAGE_SIZE)
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert header_identifiers(root) == oai_ids(items)
    assert resumption_token(root) is None


def test_records_sharing_a_datestamp_are_neither_lost_nor_repeated_across_pages(client):
    items = make_items(250, step=datetime.timedelta(0))
    identifiers, _ = harvest(client)
    assert identifiers == oai_ids(sorted(items, key=lambda item: item.pk))


def test_an_item_changed_during_a_harvest_is_sent_again_at_the_end(client):
    items = make_items(150)
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    items[0].title = "Corrected"
    items[0].save()
    rest = oai(client, verb="ListIdentifiers", resumptionToken=resumption_token(root).text)
    assert header_identifiers(root) + header_identifiers(rest) == oai_ids(items) + oai_ids(items[:1])


def test_deleted_records_are_listed_and_never_live_items_are_not(client):
    live, retired, back_to_review, back_to_workarea = (make_item() for _ in range(4))
    change_status(retired, ItemStatus.DELETION)
    change_status(back_to_review, ItemStatus.BUFFER)
    change_status(back_to_workarea, ItemStatus.INBOX)
    make_item(status=ItemStatus.INBOX)
    make_item(status=ItemStatus.BUFFER)
    gone = oai_ids([retired, back_to_review, back_to_workarea])
    for verb in ("ListRecords", "ListIdentifiers"):
        root = oai(client, verb=verb, metadataPrefix="oai_dc")
        assert header_identifiers(root) == oai_ids([live]) + gone
        assert deleted_identifiers(root) == gone
    records = oai(client, verb="ListRecords", metadataPrefix="oai_dc").findall(".//oai:record", NS)
    assert [record.find("oai:metadata", NS) is not None for record in records] == [True, False, False, False]


def test_a_retired_item_put_back_live_is_a_full_record_again(client):
    item = make_item()
    change_status(item, ItemStatus.DELETION)
    change_status(item, ItemStatus.ARCHIVE)
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert deleted_identifiers(root) == []
    assert root.find(".//oai:metadata/oai_dc:dc", NS) is not None


@pytest.fixture
def around_midnight():
    """Items changed at the first and last moments of 1 March 2024 and the first of the 2nd."""
    moments = [
        datetime.datetime(2024, 3, 1, 0, 0, 0, tzinfo=UTC),
        datetime.datetime(2024, 3, 1, 23, 59, 59, 750000, tzinfo=UTC),
        datetime.datetime(2024, 3, 2, 0, 0, 0, tzinfo=UTC),
    ]
    items = [make_item() for _ in moments]
    for item, moment in zip(items, moments, strict=True):
        Item.objects.filter(pk=item.pk).update(last_modified=moment)
    return items


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ({"from": "2024-03-01", "until": "2024-03-01"}, [0, 1]),
        ({"from": "2024-03-02"}, [2]),
        ({"until": "2024-03-01"}, [0, 1]),
        ({"until": "2024-02-29"}, []),
        ({"from": "2024-03-01T00:00:00Z", "until": "2024-03-01T00:00:00Z"}, [0]),
        ({"from": "2024-03-01T23:59:59Z", "until": "2024-03-01T23:59:59Z"}, [1]),
        ({"from": "2024-03-01T00:00:01Z", "until": "2024-03-01T23:59:58Z"}, []),
        ({"from": "2024-03-01T23:59:59Z"}, [1, 2]),
        ({"until": "2024-03-02T00:00:00Z"}, [0, 1, 2]),
        ({"from": "0001-01-01", "until": "9999-12-31"}, [0, 1, 2]),
        ({"from": "0001-01-01T00:00:00Z", "until": "9999-12-31T23:59:59Z"}, [0, 1, 2]),
    ],
)
def test_from_and_until_are_inclusive_at_either_granularity(client, around_midnight, bounds, expected):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **bounds)
    if expected:
        assert header_identifiers(root) == oai_ids(around_midnight[i] for i in expected)
        assert echoed(root) == {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", **bounds}
    else:
        assert error_codes(root) == ["noRecordsMatch"]


@pytest.mark.parametrize(
    "bounds",
    [
        {"from": "2024-03-01", "until": "2024-03-02T00:00:00Z"},
        {"from": "2024-03-02", "until": "2024-03-01"},
        {"from": "2024-03-01T00:00:01Z", "until": "2024-03-01T00:00:00Z"},
    ],
)
def test_mixed_granularities_and_reversed_ranges_are_bad_arguments(client, around_midnight, bounds):
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc", **bounds)
    assert error_codes(root) == ["badArgument"]
    assert echoed(root) == {}


def test_date_range_holds_across_pages(client):
    items = make_items(260)
    identifiers, _ = harvest(client, **{"from": "2024-01-01T00:00:05Z", "until": "2024-01-01T00:03:59Z"})
    assert identifiers == oai_ids(items[5:240])


def test_an_empty_repository_has_no_records_to_match(client):
    for verb in ("ListRecords", "ListIdentifiers"):
        assert error_codes(oai(client, verb=verb, metadataPrefix="oai_dc")) == ["noRecordsMatch"]


def test_an_unknown_format_cannot_be_disseminated_even_with_no_records(client):
    root = oai(client, verb="ListRecords", metadataPrefix="marc21")
    assert error_codes(root) == ["cannotDisseminateFormat"]
    assert echoed(root) == {"verb": "ListRecords", "metadataPrefix": "marc21"}


def full_items(count: int) -> None:
    """Items with everything a record shows: creators, an editor, a document, subjects, divisions."""
    subject = Subject.objects.create(code="JZ", name="JZ International relations")
    division = Division.objects.create(code="dept-ir", name="International Relations")
    for item in make_items(count):
        Creator.objects.bulk_create(
            [
                Creator(item=item, position=0, family="A", given="B"),
                Creator(item=item, role="editor", family="E"),
            ]
        )
        make_document(item, content=b"plain text " * 10, filename="notes.txt")
        item.subjects.add(subject)
        item.divisions.add(division)


def queries_for(client, **params) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        root = oai(client, **params)
    return len(queries), root


@pytest.mark.parametrize(("verb", "rendered"), [("ListRecords", 6), ("ListIdentifiers", 5)])
def test_each_page_takes_a_fixed_number_of_queries(client, verb, rendered):
    full_items(3)
    single_page, _ = queries_for(client, verb=verb, metadataPrefix="oai_dc")
    make_items(PAGE_SIZE * 2 + 10 - 3)
    first, root = queries_for(client, verb=verb, metadataPrefix="oai_dc")
    second, root = queries_for(client, verb=verb, resumptionToken=resumption_token(root).text)
    last, root = queries_for(client, verb=verb, resumptionToken=resumption_token(root).text)
    # The page's keys, then its items with their creators (records only), documents, subjects
    # and divisions; the first page of a long list also counts it for completeListSize.
    assert (single_page, first, second, last) == (rendered, rendered + 1, rendered, rendered)
    assert len(header_identifiers(root)) == 10


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
def test_a_page_asked_for_again_unchanged_takes_one_query(client, verb):
    full_items(3)
    make_items(PAGE_SIZE * 2 + 10 - 3)
    harvest(client, verb)  # renders every page, and keeps it
    first, root = queries_for(client, verb=verb, metadataPrefix="oai_dc")
    second, root = queries_for(client, verb=verb, resumptionToken=resumption_token(root).text)
    last, root = queries_for(client, verb=verb, resumptionToken=resumption_token(root).text)
    # The page's keys, its records kept; the first page also counts the list.
    assert (first, second, last) == (2, 1, 1)
    assert len(header_identifiers(root)) == 10
