"""Hostile text typed into the forms: the edit forms store it exactly as typed and show it back
as text; a NUL character is a form error; a megabyte fits where the field has no limit and is
refused where it has one; a request for a copy carries hostile text to the contact as text."""

import functools
import re

import pytest
from django.core import mail

from eprints_app.enums import ItemStatus, Security
from eprints_app.models import CopyRequest, Creator, Item
from eprints_app.services.search_index import reindex_items
from eprints_app.services.status import change_status
from tests.factories import make_document, make_item
from tests.form_data import form_values
from tests.hostile.support import PAYLOADS, assert_inert_html, shown, unchanged_edit_data
from tests.oai_support import oai

pytestmark = pytest.mark.django_db

# The fields a depositor types text into, item and creator.
TEXT_FIELDS = ["title", "abstract", "keywords", "note", "publisher", "creators-0-family", "creators-0-given"]


def actions_form(client, depositor, editor):
    """The actions view's edit form of the depositor's item in the workarea: (item, url, data)."""
    item = make_item(status=ItemStatus.INBOX, depositor=depositor)
    client.force_login(depositor)
    return item, f"/id/eprint/{item.pk}/actions/", unchanged_edit_data(item)


def admin_form(client, depositor, editor):
    """The admin's change form of an item, as an editor: (item, url, data)."""
    item = make_item(status=ItemStatus.INBOX, depositor=depositor)
    client.force_login(editor)
    url = f"/admin/eprints_app/item/{item.pk}/change/"
    return item, url, form_values(client.get(url))


# Each form, and the status of its answer when it refuses what was typed.
FORMS = {"actions view": (actions_form, 400), "admin change form": (admin_form, 200)}


def stored(item: Item) -> dict[str, str]:
    item = Item.objects.get(pk=item.pk)
    creator = Creator.objects.filter(item=item).order_by("position").first()
    values = {name: getattr(item, name) for name in TEXT_FIELDS if "-" not in name}
    return values | {"creators-0-family": creator.family, "creators-0-given": creator.given}


def form_errors(response) -> str:
    return " ".join(assert_inert_html(response).xpath("//ul[contains(@class, 'errorlist')]//text()"))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_is_stored_as_typed_and_shown_back_as_text(client, depositor, editor, form, payload):
    open_form, _ = FORMS[form]
    item, url, data = open_form(client, depositor, editor)
    typed = {name: PAYLOADS[payload] for name in TEXT_FIELDS}
    response = client.post(url, {**data, **typed})
    assert response.status_code == 302, form_errors(response)
    # Django's text fields take off the spaces at either end.
    assert stored(item) == {name: value.strip() for name, value in typed.items()}
    page = client.get(f"/id/eprint/{item.pk}/actions/")
    assert shown(PAYLOADS[payload]) in shown(assert_inert_html(page).text_content())


def forms_shown(response) -> list:
    """The bound forms of the answer, item form and inline forms, of the admin or the actions view."""
    context = response.context
    if "adminform" in context:
        inlines = [inline.formset for inline in context["inline_admin_formsets"]]
        return [context["adminform"].form, *(form for formset in inlines for form in formset.forms)]
    formsets = [context["creator_formset"], context["document_formset"]]
    return [context["item_form"], *(form for formset in formsets for form in formset.forms)]


def fields_in_error(response, message: str) -> set[str]:
    """The fields, by the names they are posted under, whose errors include the message."""
    return {
        form.add_prefix(name)
        for form in forms_shown(response)
        for name, errors in form.errors.items()
        if any(message in error for error in errors)
    }


# Fields of the item, a creator and a document: each refuses a NUL character on its own (all
# are typed in at once; the form checks every field).
NUL_FIELDS = ["title", "abstract", "publisher", "creators-0-family", "documents-0-formatdesc"]


@pytest.mark.parametrize("form", FORMS)
def test_a_nul_character_is_an_error_of_each_field_and_changes_nothing(client, depositor, editor, form):
    open_form, refused = FORMS[form]
    item, url, data = open_form(client, depositor, editor)
    before = stored(item), Item.objects.get(pk=item.pk).rev_number
    response = client.post(url, {**data, **dict.fromkeys(NUL_FIELDS, "before\x00after")})
    assert response.status_code == refused
    assert "Null characters are not allowed." in form_errors(response)
    assert fields_in_error(response, "Null characters are not allowed.") == set(NUL_FIELDS)
    assert (stored(item), Item.objects.get(pk=item.pk).rev_number) == before


@functools.cache
def megabyte() -> str:
    """A megabyte of different words, the worst case for a search index."""
    return " ".join(f"w{n:06d}" for n in range(125_000)).strip()


@pytest.mark.parametrize(
    ("field", "searched"), [("title", True), ("abstract", True), ("keywords", True), ("note", False)]
)
def test_a_megabyte_in_a_field_without_a_limit_is_stored_shown_and_found(
    client, depositor, editor, field, searched
):
    item, url, data = actions_form(client, depositor, editor)
    assert client.post(url, {**data, field: megabyte()}).status_code == 302
    assert getattr(Item.objects.get(pk=item.pk), field) == megabyte()
    change_status(Item.objects.get(pk=item.pk), ItemStatus.ARCHIVE)
    reindex_items([item.pk])
    client.logout()
    assert_inert_html(client.get(f"/id/eprint/{item.pk}/"))
    oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=f"oai:demo:{item.pk}")
    if searched:
        # Found by its early words: the index takes a record's first 50,000 characters.
        results = client.get("/cgi/search/simple", {"q": "w001234"})
        assert f'href="/id/eprint/{item.pk}/"' in results.content.decode()


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("field", ["publisher", "volume", "creators-0-family", "documents-0-formatdesc"])
def test_a_megabyte_in_a_field_with_a_limit_is_a_form_error(client, depositor, editor, form, field):
    open_form, refused = FORMS[form]
    item, url, data = open_form(client, depositor, editor)
    response = client.post(url, {**data, field: megabyte()})
    assert response.status_code == refused
    assert "Ensure this value has at most" in form_errors(response)
    assert Item.objects.get(pk=item.pk).rev_number == item.rev_number


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_reason_for_a_copy_reaches_the_contact_as_text(
    client, payload, django_capture_on_commit_callbacks
):
    item = make_item(contact_email="author@example.ac.uk", title=f"Kestrel {PAYLOADS[payload]}")
    document = make_document(item, security=Security.STAFFONLY)
    form = f"/id/eprint/{item.pk}/{document.pos}/request-copy/"
    assert_inert_html(client.get(form))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form, {"email": "reader@example.org", "reason": PAYLOADS[payload], "website": ""}
        )
    assert response.status_code == 200
    assert CopyRequest.objects.get().reason == PAYLOADS[payload].strip()
    (to_contact,) = mail.outbox
    assert PAYLOADS[payload].strip() in to_contact.body
    answer = re.findall(r"https?://\S+", to_contact.body)[-1].split("/", 3)[3]
    page = client.get("/" + answer)
    assert shown(PAYLOADS[payload]) in shown(assert_inert_html(page).text_content())


def test_a_deposit_whose_title_has_a_line_break_still_reaches_the_editors(
    client, depositor, editor, django_capture_on_commit_callbacks
):
    item, url, data = actions_form(client, depositor, editor)
    assert client.post(url, {**data, "title": "Kestrel counts:\r\na second line"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/id/eprint/{item.pk}/actions/move/buffer/").status_code == 302
    assert [message.to for message in mail.outbox] == [[editor.email]]
