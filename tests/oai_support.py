"""What the OAI-PMH tests share: requests to the endpoint, checked against the official schemas."""

from pathlib import Path
from urllib.parse import urlencode

from lxml import etree

XSD = Path(__file__).resolve().parent / "xsd"
RESPONSE_SCHEMA = etree.XMLSchema(etree.parse(str(XSD / "oai-pmh-responses.xsd")))
NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "id": "http://www.openarchives.org/OAI/2.0/oai-identifier",
}
ENDPOINT = "/cgi/oai2"


def valid_response(response) -> etree._Element:
    """The response as XML, after checking it is an OAI-PMH answer valid against the schemas."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    RESPONSE_SCHEMA.assertValid(root)
    return root


def oai(client, **params: str) -> etree._Element:
    return valid_response(client.get(ENDPOINT, params))


def oai_query(client, query: str) -> etree._Element:
    """A request with a raw query string, for repeated or oddly encoded arguments."""
    return valid_response(client.get(f"{ENDPOINT}?{query}"))


def oai_post(client, **params: str) -> etree._Element:
    body = urlencode(params)
    return valid_response(client.post(ENDPOINT, body, content_type="application/x-www-form-urlencoded"))


def error_codes(root: etree._Element) -> list[str]:
    return [error.get("code") for error in root.findall("oai:error", NS)]


def echoed(root: etree._Element) -> dict[str, str]:
    """The arguments the <request> element echoes."""
    return dict(root.find("oai:request", NS).attrib)


def header_identifiers(root: etree._Element) -> list[str]:
    return [identifier.text for identifier in root.iterfind(".//oai:header/oai:identifier", NS)]


def deleted_identifiers(root: etree._Element) -> list[str]:
    return [
        header.findtext("oai:identifier", namespaces=NS)
        for header in root.iterfind(".//oai:header", NS)
        if header.get("status") == "deleted"
    ]


def resumption_token(root: etree._Element) -> etree._Element | None:
    return root.find(".//oai:resumptionToken", NS)
