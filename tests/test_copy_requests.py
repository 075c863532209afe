"""Request a copy, end to end: form, email to the contact, answer, the requester's 7-day link."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from eprints_app.enums import Security
from eprints_app.models import CopyRequest, CopyRequestStatus
from tests.factories import make_document, make_item, pdf_bytes

pytestmark = pytest.mark.django_db

CONTACT = "author@example.ac.uk"


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def restricted():
    item = make_item(contact_email=CONTACT)
    return make_document(item, security=Security.STAFFONLY, content=pdf_bytes("Restricted"))


def form_url(document) -> str:
    return f"/id/eprint/{document.item_id}/{document.pos}/request-copy/"


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def ask(client, document, email="reader@example.org", reason="For my thesis", **extra):
    return client.post(form_url(document), {"email": email, "reason": reason, "website": "", **extra})


def test_item_page_offers_request_a_copy_for_restricted_documents_only(client, restricted):
    public = make_document(restricted.item, filename="open.pdf")
    body = client.get(restricted.item.get_absolute_url()).content.decode()
    assert f'href="{form_url(restricted)}"' in body
    assert form_url(public) not in body
    assert CONTACT not in body


def test_request_for_a_public_document_or_an_item_without_contact_is_not_found(client):
    public = make_document(make_item(contact_email=CONTACT))
    no_contact = make_document(make_item(), security=Security.STAFFONLY)
    assert client.get(form_url(public)).status_code == 404
    assert client.get(form_url(no_contact)).status_code == 404


def test_full_request_accept_and_download(client, restricted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, restricted)
    assert response.status_code == 200 and "Request sent" in response.content.decode()
    assert CONTACT not in response.content.decode()
    (to_contact,) = mail.outbox
    assert to_contact.to == [CONTACT]
    assert "reader@example.org" in to_contact.body and "For my thesis" in to_contact.body
    answer_link = links_in(to_contact)[-1]
    answer_path = answer_link.split("://", 1)[1].split("/", 1)[1]

    page = client.get("/" + answer_path)
    assert page.status_code == 200 and "Send a copy" in page.content.decode()
    assert CopyRequest.objects.get().status == CopyRequestStatus.PENDING  # opening the link changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/" + answer_path, {"decision": "accept"})
    request = CopyRequest.objects.get()
    assert request.status == CopyRequestStatus.ACCEPTED and request.answered is not None
    to_reader = mail.outbox[1]
    assert to_reader.to == ["reader@example.org"] and CONTACT not in to_reader.body
    download_path = "/" + links_in(to_reader)[-1].split("://", 1)[1].split("/", 1)[1]

    reader = Client()
    download = reader.get(download_path)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == restricted.file.open("rb").read()
    assert reader.get(restricted.get_absolute_url()).status_code == 302  # the link, not the document, is open


def test_rejected_request_tells_the_requester_and_gives_no_link(
    client, restricted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, restricted)
    path = "/" + links_in(mail.outbox[0])[-1].split("://", 1)[1].split("/", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"decision": "reject"})
    assert CopyRequest.objects.get().status == CopyRequestStatus.REJECTED
    assert "was not accepted" in mail.outbox[1].body and "download" not in mail.outbox[1].body.lower()


def test_replayed_answer_link_is_refused_with_409(client, restricted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, restricted)
    path = "/" + links_in(mail.outbox[0])[-1].split("://", 1)[1].split("/", 1)[1]
    client.post(path, {"decision": "accept"})
    assert client.post(path, {"decision": "reject"}).status_code == 409
    assert client.get(path).status_code == 409
    assert CopyRequest.objects.get().status == CopyRequestStatus.ACCEPTED


def test_forged_links_are_refused(client, restricted):
    assert client.get("/request-copy/not-a-token/").status_code == 400
    assert client.post("/request-copy/not-a-token/", {"decision": "accept"}).status_code == 400
    assert client.get("/request-copy/forged/download/").status_code == 400


def test_download_link_of_a_pending_request_is_refused(client, restricted):
    from eprints_app.services.copy_requests import DOWNLOAD_SALT, make_token

    request = CopyRequest.objects.create(document=restricted, email="reader@example.org")
    token = make_token(DOWNLOAD_SALT, request=request.pk)
    assert client.get(f"/request-copy/{token}/download/").status_code == 403


def test_expired_links_are_refused_with_410(client, restricted, monkeypatch):
    from eprints_app.services import copy_requests

    request = CopyRequest.objects.create(
        document=restricted, email="reader@example.org", status=CopyRequestStatus.ACCEPTED
    )
    download = copy_requests.make_token(copy_requests.DOWNLOAD_SALT, request=request.pk)
    answer = copy_requests.make_token(copy_requests.ANSWER_SALT, request=request.pk)
    monkeypatch.setattr(copy_requests, "DOWNLOAD_VALID", timedelta(seconds=-1))
    monkeypatch.setattr(copy_requests, "ANSWER_VALID", timedelta(seconds=-1))
    assert client.get(f"/request-copy/{download}/download/").status_code == 410
    assert client.get(f"/request-copy/{answer}/").status_code == 410


def test_honeypot_filled_in_sends_nothing(client, restricted):
    response = ask(client, restricted, website="http://spam.example")
    assert response.status_code == 400
    assert CopyRequest.objects.count() == 0 and mail.outbox == []


def test_bad_email_is_a_form_error(client, restricted):
    response = ask(client, restricted, email="not an address")
    assert response.status_code == 400 and CopyRequest.objects.count() == 0


def test_requests_are_rate_limited_per_address(client, restricted):
    for n in range(5):
        assert ask(client, restricted, email=f"r{n}@example.org").status_code == 200
    assert ask(client, restricted, email="r6@example.org").status_code == 429
    assert CopyRequest.objects.count() == 5


def test_post_without_csrf_token_is_refused(restricted):
    client = Client(enforce_csrf_checks=True)
    assert ask(client, restricted).status_code == 403
    assert CopyRequest.objects.count() == 0


def test_eprints_request_doc_url_leads_to_the_form(client, restricted):
    response = client.get(f"/cgi/request_doc?docid={restricted.pk}")
    assert response.status_code == 302 and response["Location"] == form_url(restricted)
    assert client.get("/cgi/request_doc?docid=abc").status_code == 404
