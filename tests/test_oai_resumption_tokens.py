"""Resumption tokens: signed, stateless, expiring; anything else is a badResumptionToken."""

import datetime

import pytest
from django.core import signing
from django.test import Client

from eprints_app.enums import ItemStatus
from eprints_app.models import Item
from eprints_app.oai import tokens
from tests.oai_support import echoed, error_codes, header_identifiers, oai, resumption_token

pytestmark = pytest.mark.django_db

START = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


@pytest.fixture
def items():
    return Item.objects.bulk_create(
        Item(
            type="article",
            title=f"Item {n}",
            status=ItemStatus.ARCHIVE,
            date_deposited=START,
            last_modified=START + datetime.timedelta(minutes=n),
        )
        for n in range(150)
    )


def first_token(client, verb: str = "ListRecords") -> str:
    return resumption_token(oai(client, verb=verb, metadataPrefix="oai_dc")).text


def test_a_token_works_from_another_client_with_no_session(client, items):
    token = first_token(client)
    root = oai(Client(), verb="ListRecords", resumptionToken=token)
    assert len(header_identifiers(root)) == 50
    assert echoed(root) == {"verb": "ListRecords", "resumptionToken": token}


def test_a_token_can_be_used_again(client, items):
    token = first_token(client)
    again = [header_identifiers(oai(client, verb="ListRecords", resumptionToken=token)) for _ in range(2)]
    assert again[0] == again[1]


def tampered(token: str) -> list[str]:
    body, _, signature = token.rpartition(":")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    return [
        f"{body}:{flipped}",
        token[:-1],
        token[1:],
        token + "x",
        token.upper(),
        "",
        "not-a-token",
        ":::",
        "x" * 10_000,
        "é🙂" * 50,
    ]


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
def test_tampered_or_made_up_tokens_are_refused(client, items, verb):
    for bad in tampered(first_token(client, verb)):
        root = oai(client, verb=verb, resumptionToken=bad)
        assert error_codes(root) == ["badResumptionToken"], bad


def test_a_token_signed_with_another_key_is_refused(client, items, settings):
    token = first_token(client)
    settings.SECRET_KEY = "another-deployment-with-another-key"
    assert error_codes(oai(client, verb="ListRecords", resumptionToken=token)) == ["badResumptionToken"]


def test_tokens_survive_a_key_rotation_through_fallback_keys(client, items, settings):
    token = first_token(client)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-new-key"
    assert len(header_identifiers(oai(client, verb="ListRecords", resumptionToken=token))) == 50


def token_issued_ago(client, monkeypatch, age: datetime.timedelta) -> str:
    """The first token of a list, signed as if ``age`` ago."""
    then = signing.b62_encode(int((datetime.datetime.now() - age).timestamp()))
    with monkeypatch.context() as patch:
        patch.setattr(signing.TimestampSigner, "timestamp", lambda self: then)
        return first_token(client)


def test_an_expired_token_is_refused(client, items, monkeypatch):
    token = token_issued_ago(client, monkeypatch, datetime.timedelta(hours=24, seconds=5))
    root = oai(client, verb="ListRecords", resumptionToken=token)
    assert error_codes(root) == ["badResumptionToken"]
    assert "expired" in root.findtext("{*}error")


def test_a_token_almost_a_day_old_still_works(client, items, monkeypatch):
    token = token_issued_ago(client, monkeypatch, datetime.timedelta(hours=23, minutes=59))
    assert len(header_identifiers(oai(client, verb="ListRecords", resumptionToken=token))) == 50


def test_a_token_is_for_the_verb_that_issued_it(client, items):
    token = first_token(client, "ListIdentifiers")
    assert error_codes(oai(client, verb="ListRecords", resumptionToken=token)) == ["badResumptionToken"]


def test_a_token_for_a_format_no_longer_offered_is_refused(client, items):
    state = tokens.ListState(
        "ListRecords", "withdrawn_format", after=(START, items[0].pk), cursor=100, total=150
    )
    root = oai(client, verb="ListRecords", resumptionToken=tokens.encode(state))
    assert error_codes(root) == ["badResumptionToken"]


def test_a_validly_signed_token_with_a_broken_payload_is_refused(client, items):
    for payload in (
        ["ListRecords"],
        {"verb": "ListRecords"},
        "text",
        ["ListRecords", "oai_dc", None, "x", *[None] * 5],
    ):
        token = signing.dumps(payload, salt=tokens.SALT, compress=True)
        assert error_codes(oai(client, verb="ListRecords", resumptionToken=token)) == ["badResumptionToken"]


@pytest.mark.parametrize("extra", [{"metadataPrefix": "oai_dc"}, {"from": "2024-01-01"}, {"set": "types"}])
def test_a_token_must_come_alone(client, items, extra):
    root = oai(client, verb="ListRecords", resumptionToken=first_token(client), **extra)
    assert error_codes(root) == ["badArgument"]
    assert echoed(root) == {}


def test_list_sets_issues_no_tokens_and_takes_none(client):
    assert error_codes(oai(client, verb="ListSets", resumptionToken="anything")) == ["badResumptionToken"]
