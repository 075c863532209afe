"""Bad requests get the protocol's own error, valid against the schema, with HTTP 200: never a 500."""

import pytest
from django.test import Client

from tests.factories import make_item
from tests.oai_support import ENDPOINT, echoed, error_codes, oai, oai_post, oai_query, valid_response

pytestmark = pytest.mark.django_db

LONG = "x" * 10_000


@pytest.fixture(autouse=True)
def one_record():
    make_item()


# A missing, unknown or repeated verb.
BAD_VERBS = [
    "",
    "verb=",
    "verb=Frobnicate",
    "verb=identify",
    "verb=Identify&verb=Identify",
    "verb=Identify&verb=ListSets",
    f"verb={LONG}",
    "verb=%FF%FE",
    "verb=Identify%00",
    "verb=%E2%80%AEyfitnedI",
    "metadataPrefix=oai_dc",
]
# Repeated, illegal, missing or malformed arguments.
BAD_ARGUMENTS = [
    "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc",
    "verb=ListRecords&metadataPrefix=oai_dc&set=types&set=status",
    "verb=GetRecord&identifier=oai:demo:1&identifier=oai:demo:1&metadataPrefix=oai_dc",
    "verb=Identify&foo=bar",
    "verb=Identify&verb2=Identify",
    "verb=ListSets&metadataPrefix=oai_dc",
    "verb=ListMetadataFormats&metadataPrefix=oai_dc",
    "verb=GetRecord&identifier=oai:demo:1&metadataPrefix=oai_dc&from=2024-01-01",
    "verb=ListRecords&metadataPrefix=oai_dc&identifier=oai:demo:1",
    "verb=ListRecords",
    "verb=ListIdentifiers&set=types",
    "verb=ListRecords&metadataPrefix=",
    "verb=ListRecords&metadataPrefix=oai%20dc",
    "verb=ListRecords&metadataPrefix=oai_dc%00",
    "verb=ListRecords&metadataPrefix=%C3%BC",
    "verb=ListRecords&metadataPrefix=oai_dc&set=",
    "verb=ListRecords&metadataPrefix=oai_dc&set=%E2%82%AC",
    "verb=GetRecord&identifier=&metadataPrefix=oai_dc",
    "verb=GetRecord&identifier=no-scheme&metadataPrefix=oai_dc",
    "verb=GetRecord&identifier=oai:demo:1%20&metadataPrefix=oai_dc",
    "verb=GetRecord&identifier=oai:demo:%251&metadataPrefix=oai_dc",
    "verb=GetRecord&identifier=oai:demo:%01&metadataPrefix=oai_dc",
    "verb=ListRecords&resumptionToken=%EF%BF%BE",
    f"verb=Identify&{LONG}=1",
    "verb=Identify&%00=1",
    "verb=Identify&%FF=%FE",
]


@pytest.mark.parametrize(
    ("query", "code"),
    [(query, "badVerb") for query in BAD_VERBS] + [(query, "badArgument") for query in BAD_ARGUMENTS],
)
def test_a_bad_verb_or_bad_arguments_are_refused_with_that_code_and_nothing_echoed(client, query, code):
    root = oai_query(client, query)
    assert error_codes(root) == [code]
    assert echoed(root) == {}


@pytest.mark.parametrize(
    "date",
    [
        "2024-13-01",
        "2024-02-30",
        "2023-02-29",
        "2024-1-1",
        "24-01-01",
        "2024-01-01T00:00:00",
        "2024-01-01T00:00Z",
        "2024-01-01T00:00:00.000Z",
        "2024-01-01T00:00:00+01:00",
        "2024-01-01T25:00:00Z",
        "2024-01-01t00:00:00z",
        "2024-01-01 00:00:00Z",
        "0000-01-01",
        "yesterday",
        "",
        "２０２４-01-01",
        "٢٠٢٤-01-01",
        LONG,
    ],
)
@pytest.mark.parametrize("argument", ["from", "until"])
def test_malformed_dates_are_bad_arguments(client, argument, date):
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc", **{argument: date})
    assert error_codes(root) == ["badArgument"]


@pytest.mark.parametrize(
    ("argument", "code"),
    [
        ("identifier", "idDoesNotExist"),
        ("metadataPrefix", "cannotDisseminateFormat"),
        ("set", "noRecordsMatch"),
        ("resumptionToken", "badResumptionToken"),
    ],
)
def test_a_10000_character_argument_is_answered_in_kind(client, argument, code):
    args = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    if argument == "identifier":
        args = {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:demo:" + "1" * 10_000}
    elif argument == "resumptionToken":
        args = {"verb": "ListRecords", "resumptionToken": LONG}
    else:
        args[argument] = LONG
    root = oai(client, **args)
    assert error_codes(root) == [code]
    assert echoed(root) == args


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ({"identifier": "oai:demo:ü"}, "idDoesNotExist"),
        ({"identifier": "oai:démo:1"}, "idDoesNotExist"),
        ({"identifier": "oai:demo:1\u202e"}, "idDoesNotExist"),
        ({"resumptionToken": "トークン"}, "badResumptionToken"),
        ({"resumptionToken": "\ufffd\ufffd"}, "badResumptionToken"),
    ],
)
def test_non_ascii_values_are_echoed_safely(client, args, code):
    verb = "GetRecord" if "identifier" in args else "ListRecords"
    prefix = {"metadataPrefix": "oai_dc"} if verb == "GetRecord" else {}
    root = oai(client, verb=verb, **prefix, **args)
    assert error_codes(root) == [code]
    assert echoed(root) == {"verb": verb, **prefix, **args}


def test_invalid_utf8_is_never_an_error_page(client):
    for query in ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:demo:%C3", "verb=List%C3%28Records"):
        assert error_codes(oai_query(client, query))[0] in {"badArgument", "badVerb", "idDoesNotExist"}


def test_every_verb_answers_post(client):
    for args in (
        {"verb": "Identify"},
        {"verb": "ListSets"},
        {"verb": "ListMetadataFormats"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
    ):
        assert error_codes(oai_post(client, **args)) == []


def test_post_that_is_not_a_form_is_a_bad_argument(client):
    multipart = client.post(ENDPOINT, {"verb": "Identify"})
    as_json = client.post(ENDPOINT, '{"verb": "Identify"}', content_type="application/json")
    for response in (multipart, as_json):
        root = valid_response(response)
        assert error_codes(root) == ["badArgument"]


def test_post_reads_the_body_not_the_query_string(client):
    response = client.post(f"{ENDPOINT}?verb=Identify", "", content_type="application/x-www-form-urlencoded")
    assert error_codes(valid_response(response)) == ["badVerb"]


def test_post_needs_no_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(ENDPOINT, "verb=Identify", content_type="application/x-www-form-urlencoded")
    assert error_codes(valid_response(response)) == []


def test_too_many_arguments_is_a_bad_argument(client):
    query = "verb=Identify&" + "&".join(f"a{n}=1" for n in range(6000))
    assert error_codes(oai_query(client, query)) == ["badArgument"]


def test_head_is_answered_and_other_methods_are_refused(client):
    assert client.head(ENDPOINT, {"verb": "Identify"}).status_code == 200
    for method in (client.put, client.delete, client.patch):
        assert method(ENDPOINT).status_code == 405
