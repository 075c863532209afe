"""Request a copy: the reader's form, the contact's answer page, the accepted reader's download."""

from django import forms
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from eprints_app.citation import build_citation
from eprints_app.models import CopyRequestStatus, Document
from eprints_app.services.copy_requests import (
    LinkError,
    answer,
    can_be_requested,
    create_request,
    document_for_download_token,
    request_from_answer_token,
)
from eprints_app.views.common import serve_document

# At most this many requests from one address an hour: enough for a reader, not for a spammer.
REQUESTS_PER_HOUR = 5


class CopyRequestForm(forms.Form):
    email = forms.EmailField(label="Your email address")
    reason = forms.CharField(
        label="Why you would like a copy (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # A field people never see and robots fill in.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError("This request looks automated and was not sent.")
        return ""


def over_rate_limit(request: HttpRequest) -> bool:
    key = f"copy-request:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) > REQUESTS_PER_HOUR


def link_error(request: HttpRequest, error: LinkError) -> HttpResponse:
    return render(request, "eprints_app/copy_link_error.html", {"message": str(error)}, status=error.status)


@require_http_methods(["GET", "POST"])
def request_copy(request: HttpRequest, eprintid: int, pos: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.select_related("item"), item_id=eprintid, pos=pos)
    if not can_be_requested(document):
        raise Http404("Copies of this document cannot be requested.")
    item = document.item
    form = CopyRequestForm(request.POST or None)
    context = {"item": item, "document": document, "citation": build_citation(item), "form": form}
    if request.method == "POST":
        if over_rate_limit(request):
            return render(
                request, "eprints_app/copy_request_form.html", {**context, "limited": True}, status=429
            )
        if form.is_valid():
            create_request(document, form.cleaned_data["email"], form.cleaned_data["reason"])
            return render(request, "eprints_app/copy_request_sent.html", context)
        return render(request, "eprints_app/copy_request_form.html", context, status=400)
    return render(request, "eprints_app/copy_request_form.html", context)


@require_safe
def request_copy_by_docid(request: HttpRequest) -> HttpResponse:
    """EPrints' /cgi/request_doc?docid=N."""
    docid = request.GET.get("docid", "")
    # isascii(): str.isdigit() is true of "²" too, which int() refuses.
    if not (docid.isascii() and docid.isdigit()) or len(docid) > 18:
        raise Http404("No such document.")
    document = get_object_or_404(Document, pk=int(docid))
    return redirect("request_copy", document.item_id, document.pos)


@require_http_methods(["GET", "POST"])
def answer_request(request: HttpRequest, token: str) -> HttpResponse:
    """The contact's page: GET shows the request (mail scanners may open links), POST answers it."""
    try:
        copy_request = request_from_answer_token(token)
        if request.method == "POST":
            decision = request.POST.get("decision")
            if decision not in {"accept", "reject"}:
                return render(
                    request,
                    "eprints_app/copy_link_error.html",
                    {"message": "Choose to send or to refuse the copy."},
                    status=400,
                )
            copy_request = answer(copy_request, accept=decision == "accept")
        elif copy_request.status != CopyRequestStatus.PENDING:
            raise LinkError("This request has already been answered.", status=409)
    except LinkError as error:
        return link_error(request, error)
    item = copy_request.document.item
    context = {"copy_request": copy_request, "item": item, "citation": build_citation(item)}
    return render(request, "eprints_app/copy_answer.html", context)


@require_safe
def download_copy(request: HttpRequest, token: str) -> HttpResponse:
    try:
        document = document_for_download_token(token)
    except LinkError as error:
        return link_error(request, error)
    return serve_document(request, document)
