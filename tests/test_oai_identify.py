"""OAI-PMH Identify (protocol §4.2)."""

import datetime

import pytest
from lxml import etree

from eprints_app.enums import ItemStatus
from eprints_app.models import Item
from tests.factories import make_item
from tests.oai_support import NS, XSD, echoed, oai, oai_post, valid_response

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def set_last_modified(item: Item, moment: datetime.datetime) -> None:
    Item.objects.filter(pk=item.pk).update(last_modified=moment)


def test_identify_describes_the_repository(client):
    root = oai(client, verb="Identify")
    identify = root.find("oai:Identify", NS)
    assert echoed(root) == {"verb": "Identify"}
    assert root.findtext("oai:request", namespaces=NS) == "http://127.0.0.1:8000/cgi/oai2"
    assert identify.findtext("oai:repositoryName", namespaces=NS) == "Demo Research Online"
    assert identify.findtext("oai:baseURL", namespaces=NS) == "http://127.0.0.1:8000/cgi/oai2"
    assert identify.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("oai:adminEmail", namespaces=NS) == "repository@example.org"
    assert identify.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"


def test_earliest_datestamp_is_that_of_the_oldest_record_live_or_deleted(client):
    set_last_modified(make_item(), at(2021, 6, 1, 12, 0, 0))
    set_last_modified(make_item(status=ItemStatus.DELETION), at(2019, 3, 4, 5, 6, 7, 890))
    set_last_modified(make_item(status=ItemStatus.INBOX), at(2001, 1, 1))  # never live: not a record
    root = oai(client, verb="Identify")
    assert root.findtext(".//oai:earliestDatestamp", namespaces=NS) == "2019-03-04T05:06:07Z"


def test_earliest_datestamp_of_an_empty_repository_is_a_valid_time(client):
    root = oai(client, verb="Identify")
    earliest = root.findtext(".//oai:earliestDatestamp", namespaces=NS)
    assert earliest == root.findtext("oai:responseDate", namespaces=NS)


def test_oai_identifier_description_names_a_domain_repository_identifier(client, settings):
    settings.REPOSITORY_ID = "eprints.example.ac.uk"
    root = oai(client, verb="Identify")
    description = root.find(".//oai:description/id:oai-identifier", NS)
    etree.XMLSchema(etree.parse(str(XSD / "oai-identifier.xsd"))).assertValid(description)
    assert description.findtext("id:scheme", namespaces=NS) == "oai"
    assert description.findtext("id:repositoryIdentifier", namespaces=NS) == "eprints.example.ac.uk"
    assert description.findtext("id:delimiter", namespaces=NS) == ":"
    assert description.findtext("id:sampleIdentifier", namespaces=NS) == "oai:eprints.example.ac.uk:1"


def test_oai_identifier_description_is_left_out_when_the_repository_id_is_not_a_domain(client):
    # "demo" would break oai-identifier.xsd, which asks for a domain name.
    assert oai(client, verb="Identify").find(".//oai:description", NS) is None


def test_identify_answers_post_and_the_short_address(client):
    assert oai_post(client, verb="Identify").find("oai:Identify", NS) is not None
    root = valid_response(client.get("/oai", {"verb": "Identify"}))
    assert root.findtext("oai:request", namespaces=NS) == "http://127.0.0.1:8000/oai"
    assert root.findtext(".//oai:baseURL", namespaces=NS) == "http://127.0.0.1:8000/cgi/oai2"


def test_identify_takes_no_arguments(client):
    root = oai(client, verb="Identify", metadataPrefix="oai_dc")
    assert [e.get("code") for e in root.findall("oai:error", NS)] == ["badArgument"]
    assert echoed(root) == {}
