"""Request a copy (eprints.md §9): a reader asks for a restricted document, the item's contact
answers through signed, expiring links, and an accepted reader may download it for 7 days.

Links carry signed tokens (django.core.signing), so nothing secret is stored and a link
cannot be forged; answering is recorded once, so a link cannot be replayed.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from eprints_app.access import is_open_access
from eprints_app.citation import build_citation
from eprints_app.models import CopyRequest, CopyRequestStatus, Document
from eprints_app.services.notify import send

ANSWER_SALT = "eprints_app.copy-request.answer"
DOWNLOAD_SALT = "eprints_app.copy-request.download"
ANSWER_VALID = timedelta(days=30)
DOWNLOAD_VALID = timedelta(days=7)


class LinkError(Exception):
    """A copy-request link that cannot be used; ``status`` is the HTTP answer to give."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def can_be_requested(document: Document) -> bool:
    """A restricted document of a live item whose record names a contact."""
    item = document.item
    return item.is_live and bool(item.contact_email) and not is_open_access(document)


def make_token(salt: str, **values: int) -> str:
    return signing.dumps(values, salt=salt, compress=True)


def read_token(token: str, salt: str, valid_for: timedelta) -> dict:
    try:
        return signing.loads(token, salt=salt, max_age=valid_for)
    except signing.SignatureExpired:
        raise LinkError("This link has expired.", status=410) from None
    except signing.BadSignature:
        raise LinkError("This link is not valid.", status=400) from None


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def create_request(document: Document, email: str, reason: str) -> CopyRequest:
    """Record the request and send the contact an email with a link to answer it."""
    with transaction.atomic():
        request = CopyRequest.objects.create(document=document, email=email, reason=reason)
        token = make_token(ANSWER_SALT, request=request.pk)
        item = document.item
        body = (
            f'{email} asks for a copy of "{document.filename}" from:\n{build_citation(item).text}\n'
            f"{item.uri}\n\nTheir reason:\n{reason or '(none given)'}\n\n"
            f"To send or refuse a copy, open:\n{absolute(reverse('copy_answer', args=[token]))}\n"
            f"(the link works for {ANSWER_VALID.days} days)\n"
        )
        contact = item.contact_email
        transaction.on_commit(lambda: send(f"Request for a copy of item {item.pk}", body, [contact]))
    return request


def request_from_answer_token(token: str) -> CopyRequest:
    data = read_token(token, ANSWER_SALT, ANSWER_VALID)
    request = CopyRequest.objects.select_related("document__item").filter(pk=data.get("request")).first()
    if request is None:
        raise LinkError("This request no longer exists.", status=404)
    return request


def answer(request: CopyRequest, accept: bool) -> CopyRequest:
    """Record the contact's answer (once) and tell the requester."""
    with transaction.atomic():
        locked = CopyRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != CopyRequestStatus.PENDING:
            raise LinkError("This request has already been answered.", status=409)
        locked.status = CopyRequestStatus.ACCEPTED if accept else CopyRequestStatus.REJECTED
        locked.answered = timezone.now()
        locked.save(update_fields=["status", "answered"])
        document = request.document
        if accept:
            link = absolute(reverse("copy_download", args=[make_token(DOWNLOAD_SALT, request=locked.pk)]))
            body = (
                f'Your request for "{document.filename}" ({document.item.uri}) was accepted.\n'
                f"Download it within {DOWNLOAD_VALID.days} days from:\n{link}\n"
            )
        else:
            body = f'Your request for "{document.filename}" ({document.item.uri}) was not accepted.\n'
        requester = locked.email
        transaction.on_commit(
            lambda: send(f"Your request for a copy of item {document.item_id}", body, [requester])
        )
    return locked


def document_for_download_token(token: str) -> Document:
    """The document an accepted request's link gives access to, while the link is valid."""
    data = read_token(token, DOWNLOAD_SALT, DOWNLOAD_VALID)
    request = CopyRequest.objects.select_related("document__item").filter(pk=data.get("request")).first()
    if request is None or request.status != CopyRequestStatus.ACCEPTED:
        raise LinkError("This request was not accepted.", status=403)
    return request.document
