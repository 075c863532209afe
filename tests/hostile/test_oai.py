"""Hostile values in every OAI-PMH argument, resumption tokens included, over GET and POST: an
answer valid against the protocol's schema with the error the protocol names, and nothing
echoed that XML cannot hold."""

import re
from urllib.parse import quote

import pytest

from eprints_app.text import xml_text
from tests.factories import make_item
from tests.oai_support import echoed, error_codes, oai_post, oai_query

pytestmark = pytest.mark.django_db

VALUES = {
    "markup": '"><script>alert(1)</script>',
    "quotes and ampersands": "a\"b'c&d<e>f&amp;",
    "SQL": "' OR '1'='1' --",
    "vertical tab": "a\x0bb",
    "escape sequence": "\x1b[31mred",
    "noncharacter": "a\ufffeb",
    "right-to-left override": "\u202eoai",
    "zero-width space": "oai\u200b_dc",
    "2000 characters": "x" * 2000,
    "format directives": "%s%n%x{0}",
    "spaces only": "   ",
    "line break": "a\r\nb",
    "NUL": "a\x00b",
}

# Each argument with the request it is sent in, and the errors that may answer a bad value.
ARGUMENTS = {
    "verb": ("", {"badVerb"}),
    "identifier": ("verb=GetRecord&metadataPrefix=oai_dc", {"badArgument", "idDoesNotExist"}),
    "metadataPrefix": ("verb=ListRecords", {"badArgument", "cannotDisseminateFormat"}),
    "set": ("verb=ListRecords&metadataPrefix=oai_dc", {"badArgument", "noRecordsMatch"}),
    "from": ("verb=ListIdentifiers&metadataPrefix=oai_dc", {"badArgument"}),
    "until": ("verb=ListIdentifiers&metadataPrefix=oai_dc", {"badArgument"}),
    "resumptionToken": ("verb=ListRecords", {"badArgument", "badResumptionToken"}),
}


@pytest.fixture(autouse=True)
def one_record():
    make_item()


def as_attribute(value: str) -> str:
    """The value as an XML parser reads it back from an attribute: line ends and tabs as spaces."""
    return re.sub(r"\r\n|[\r\n\t]", " ", value)


def assert_answered(root, value: str, expected: set[str]) -> None:
    """One of the expected errors, and an echo (if any) that holds the value as sent."""
    assert set(error_codes(root)) <= expected and error_codes(root), error_codes(root)
    for echoed_value in echoed(root).values():
        assert echoed_value == xml_text(echoed_value)
    if echoed(root):
        assert as_attribute(value) in echoed(root).values()


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("argument", ARGUMENTS)
def test_a_hostile_argument_gets_the_protocols_error(client, argument, value):
    base, expected = ARGUMENTS[argument]
    query = "&".join(filter(None, [base, f"{argument}={quote(VALUES[value], safe='')}"]))
    assert_answered(oai_query(client, query), VALUES[value], expected)


@pytest.mark.parametrize("value", ["markup", "vertical tab", "NUL", "2000 characters"])
@pytest.mark.parametrize("argument", ["identifier", "resumptionToken", "set"])
def test_a_hostile_argument_posted_gets_the_same_answer(client, argument, value):
    base, expected = ARGUMENTS[argument]
    args = dict(pair.split("=") for pair in base.split("&"))
    assert_answered(oai_post(client, **args, **{argument: VALUES[value]}), VALUES[value], expected)


# Query strings no harvester should send, by the error that answers them.
MALFORMED = {
    "badResumptionToken": [
        "verb=ListRecords&resumptionToken=%C0%AE%C0%AE",
        "verb=ListRecords&resumptionToken=%",
        "verb=ListRecords&resumptionToken=%%%%",
        "verb=ListRecords&resumptionToken=+++",
        "verb=ListRecords&resumptionToken=a%2Bb%2Fc%3D",
        "verb=ListRecords&resumptionToken==",
    ],
    "badArgument": [
        "verb=ListRecords&metadataPrefix=oai_dc&set=%ED%A0%80",
        "verb=ListRecords&resumptionToken&metadataPrefix=oai_dc",
        "verb=ListRecords&=oai_dc",
        "verb=Identify&VERB=Identify",
    ],
    "badVerb": ["verb=ListRecords;metadataPrefix=oai_dc", "VERB=Identify"],
    "idDoesNotExist": ["verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:demo:%ED%A0%80"],
    # Empty pairs are no arguments at all: a harvest like any other.
    "": ["verb=ListRecords&metadataPrefix=oai_dc&&&&"],
}


@pytest.mark.parametrize(
    ("query", "expected"), [(query, code) for code, queries in MALFORMED.items() for query in queries]
)
def test_a_malformed_query_string_gets_the_protocols_error(client, query, expected):
    assert error_codes(oai_query(client, query)) == ([expected] if expected else [])
