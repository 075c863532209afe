"""The login-gated actions view ("View Item" in EPrints): the record as staff see it, and what
this user may do with it."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from eprints_app.access import can_edit, is_editor
from eprints_app.citation import build_citation
from eprints_app.enums import ItemStatus
from eprints_app.forms import STAGES, CreatorFormSet, DocumentFormSet, ItemForm
from eprints_app.models import Item
from eprints_app.services.documents import atomic_with_files
from eprints_app.services.history import timeline
from eprints_app.services.parts import save_parts
from eprints_app.services.status import StatusChangeError, available_transitions, change_status
from eprints_app.unavailable import RETRY_AFTER_SECONDS, StorageUnavailable
from eprints_app.views.common import item_for_manager, record_fields

MESSAGE_LIMIT = 5000


def extra_fields(item: Item) -> list[tuple[str, str]]:
    """The fields an imported record had that we do not (``Item.extra``), each as text: a list
    of words one a line, anything nested as JSON."""
    rows = []
    for name, value in item.extra.items():
        if isinstance(value, list) and all(isinstance(member, str) for member in value):
            value = "\n".join(value)
        elif not isinstance(value, str):
            value = json.dumps(value, ensure_ascii=False)
        rows.append((name, value))
    return rows


def edit_forms(item: Item, data=None, files=None) -> tuple:
    return (
        ItemForm(data, instance=item),
        CreatorFormSet(data, instance=item, prefix="creators"),
        DocumentFormSet(data, files, instance=item, prefix="documents"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def actions(request: HttpRequest, eprintid: int) -> HttpResponse:
    item = item_for_manager(request, eprintid)
    editable = can_edit(request.user, item)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("This item cannot be edited by you in its current status.")
        try:
            # A new file is stored before its row: should anything fail, it leaves again.
            with atomic_with_files():
                # Lock the row so that the revision check and the save see the same record.
                locked = Item.objects.select_for_update().get(pk=item.pk)
                forms = edit_forms(locked, request.POST, request.FILES)
                valid = all([form.is_valid() for form in forms])  # a list: every form shows its errors
                changed = valid and any(form.has_changed() for form in forms)
                if changed:
                    item_form, creator_formset, document_formset = forms
                    item_form.save()
                    save_parts(creator_formset)
                    save_parts(document_formset)
        except StorageUnavailable as error:
            # Rolled back: the form is shown again with what was typed, and why nothing was saved.
            forms[0].add_error(None, str(error))
            status = 503
        else:
            if valid:
                # Said once committed, so that a failed commit never leaves "saved" waiting.
                if changed:
                    messages.success(request, "Your changes were saved.")
                else:
                    messages.info(request, "Nothing was changed.")
                return redirect("actions", item.pk)
            status = 400
    else:
        forms = edit_forms(item) if editable else (None, None, None)
        status = 200
    item_form, creator_formset, document_formset = forms
    context = {
        "item": item,
        "citation": build_citation(item),
        "record_fields": record_fields(item),
        "extra_fields": extra_fields(item) if is_editor(request.user) else [],
        "history": timeline(item),
        "can_make_new_version": item.is_live,
        "transitions": available_transitions(item, request.user),
        "editable": editable,
        "item_form": item_form,
        "stages": [(name, [item_form[f] for f in fields]) for name, fields in STAGES] if item_form else [],
        "creator_formset": creator_formset,
        "document_formset": document_formset,
    }
    response = render(request, "eprints_app/actions.html", context, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, eprintid: int, target: str) -> HttpResponse:
    """Confirm (GET) and make (POST) a status change."""
    item = item_for_manager(request, eprintid)
    transition = next((t for t in available_transitions(item, request.user) if t.target == target), None)
    if transition is None:
        if target not in ItemStatus.values:
            raise Http404("No such status.")
        raise PermissionDenied(
            f"You cannot move this item from {item.get_status_display()} to {ItemStatus(target).label}."
        )
    asks_for_message = target == ItemStatus.INBOX and is_editor(request.user)
    if request.method == "POST":
        message = request.POST.get("message", "").strip()[:MESSAGE_LIMIT] if asks_for_message else ""
        try:
            change_status(item, target, request.user, message=message)
        except StatusChangeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Item moved to {ItemStatus(target).label}.")
        return redirect("actions", item.pk)
    context = {
        "item": item,
        "citation": build_citation(item),
        "transition": transition,
        "asks_for_message": asks_for_message,
        "message_limit": MESSAGE_LIMIT,
    }
    return render(request, "eprints_app/move_confirm.html", context)
