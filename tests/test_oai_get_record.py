"""OAI-PMH GetRecord (protocol §4.1) and ListMetadataFormats (§4.4)."""

import datetime

import pytest
from lxml import etree

from eprints_app.enums import ItemStatus
from eprints_app.exports import oai_formats
from eprints_app.models import Item
from eprints_app.services.status import change_status
from tests.factories import make_item
from tests.oai_support import ENDPOINT, NS, echoed, error_codes, oai

pytestmark = pytest.mark.django_db


def record_of(client, identifier: str, prefix: str = "oai_dc"):
    return oai(client, verb="GetRecord", identifier=identifier, metadataPrefix=prefix)


def test_get_record_of_the_seed_has_header_and_dublin_core(client, seed):
    root = record_of(client, "oai:demo:114516")
    assert echoed(root) == {"verb": "GetRecord", "identifier": "oai:demo:114516", "metadataPrefix": "oai_dc"}
    header = root.find(".//oai:record/oai:header", NS)
    assert header.get("status") is None
    assert header.findtext("oai:identifier", namespaces=NS) == "oai:demo:114516"
    assert header.findtext("oai:datestamp", namespaces=NS) == "2024-09-14T03:55:00Z"
    assert [s.text for s in header.findall("oai:setSpec", NS)] == [
        "types:monograph",
        "status:pub",
        "subjects:J:JZ",
        "divisions:lse",
        "driver",
    ]
    dc = root.find(".//oai:metadata/oai_dc:dc", NS)
    assert dc.findtext("dc:title", namespaces=NS) == (
        "Changing dynamics of Pakistan-US relations and the challenge of soft power"
    )


def test_datestamp_is_last_modified_in_utc(client):
    item = make_item()
    moment = datetime.datetime(
        2024, 7, 1, 14, 30, 59, 999999, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )
    Item.objects.filter(pk=item.pk).update(last_modified=moment)
    root = record_of(client, f"oai:demo:{item.pk}")
    assert root.findtext(".//oai:header/oai:datestamp", namespaces=NS) == "2024-07-01T12:30:59Z"


@pytest.mark.parametrize("target", [ItemStatus.DELETION, ItemStatus.BUFFER, ItemStatus.INBOX])
def test_an_item_no_longer_live_is_a_deleted_record_without_metadata(client, target):
    item = make_item()
    change_status(item, target)
    root = record_of(client, f"oai:demo:{item.pk}")
    header = root.find(".//oai:record/oai:header", NS)
    assert header.get("status") == "deleted"
    assert root.find(".//oai:metadata", NS) is None


@pytest.mark.parametrize("status", [ItemStatus.INBOX, ItemStatus.BUFFER])
def test_an_item_never_live_does_not_exist(client, status):
    item = make_item(status=status)
    assert error_codes(record_of(client, f"oai:demo:{item.pk}")) == ["idDoesNotExist"]


@pytest.mark.parametrize(
    "identifier",
    [
        "oai:demo:999999",
        "oai:other:1",
        "oai:demo:01",
        "oai:demo:-1",
        "oai:demo:1.0",
        "oai:demo:99999999999999999999",
        "oai:demo:9223372036854775808",
        "oai:demo:",
        "urn:isbn:0451450523",
        "oai:demo:%C3%BC",
        "oai:demo:ü",
    ],
)
def test_unknown_identifiers_do_not_exist(client, identifier):
    make_item()
    root = record_of(client, identifier)
    assert error_codes(root) == ["idDoesNotExist"]
    assert echoed(root)["identifier"] == identifier


def test_unknown_metadata_prefix_cannot_be_disseminated(client):
    item = make_item()
    root = record_of(client, f"oai:demo:{item.pk}", prefix="marc21")
    assert error_codes(root) == ["cannotDisseminateFormat"]
    assert echoed(root)["metadataPrefix"] == "marc21"


@pytest.mark.parametrize("missing", ["identifier", "metadataPrefix"])
def test_get_record_needs_both_arguments(client, missing):
    args = {"verb": "GetRecord", "identifier": "oai:demo:1", "metadataPrefix": "oai_dc"}
    del args[missing]
    root = oai(client, **args)
    assert error_codes(root) == ["badArgument"]
    assert echoed(root) == {}


def test_list_metadata_formats_lists_every_harvestable_format(client):
    root = oai(client, verb="ListMetadataFormats")
    listed = {
        f.findtext("oai:metadataPrefix", namespaces=NS): (
            f.findtext("oai:schema", namespaces=NS),
            f.findtext("oai:metadataNamespace", namespaces=NS),
        )
        for f in root.iterfind(".//oai:metadataFormat", NS)
    }
    assert listed == {prefix: (f.oai_schema, f.oai_namespace) for prefix, f in oai_formats().items()}
    assert listed["oai_dc"] == (
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        "http://www.openarchives.org/OAI/2.0/oai_dc/",
    )


def test_every_format_listed_can_be_disseminated(client, seed):
    for prefix, fmt in oai_formats().items():
        response = client.get(
            ENDPOINT, {"verb": "GetRecord", "identifier": "oai:demo:114516", "metadataPrefix": prefix}
        )
        assert response.status_code == 200
        # Only oai_dc's schema is at hand for lxml; the others are checked for their namespace.
        metadata = etree.fromstring(response.content).find(".//oai:metadata", NS)
        assert [etree.QName(child).namespace for child in metadata] == [fmt.oai_namespace], prefix


def test_list_metadata_formats_for_a_record_live_or_deleted(client):
    live, retired = make_item(), make_item(status=ItemStatus.DELETION)
    for item in (live, retired):
        root = oai(client, verb="ListMetadataFormats", identifier=f"oai:demo:{item.pk}")
        assert "oai_dc" in [p.text for p in root.iterfind(".//oai:metadataPrefix", NS)]


def test_list_metadata_formats_for_an_unknown_record(client):
    never_live = make_item(status=ItemStatus.INBOX)
    for identifier in ("oai:demo:424242", f"oai:demo:{never_live.pk}"):
        root = oai(client, verb="ListMetadataFormats", identifier=identifier)
        assert error_codes(root) == ["idDoesNotExist"]
