"""The login-gated actions view: who may open it, edit through it and move items with it."""

import pytest
from django.test import Client

from eprints_app.enums import ItemStatus
from eprints_app.models import Item
from tests.factories import make_document, make_item
from tests.form_data import edit_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def workarea_item(depositor):
    return make_item(status=ItemStatus.INBOX, depositor=depositor, title="Draft report")


def test_anonymous_reader_is_sent_to_log_in_and_brought_back(client, workarea_item):
    url = f"/id/eprint/{workarea_item.pk}/actions/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_another_depositor_is_refused(client, other_depositor, workarea_item):
    client.force_login(other_depositor)
    assert client.get(f"/id/eprint/{workarea_item.pk}/actions/").status_code == 403


def test_unknown_item_is_not_found(client, depositor):
    client.force_login(depositor)
    assert client.get("/id/eprint/987654/actions/").status_code == 404


def test_owner_sees_the_record_as_staff_see_it(client, depositor, workarea_item):
    make_document(workarea_item)
    client.force_login(depositor)
    response = client.get(f"/id/eprint/{workarea_item.pk}/actions/")
    body = response.content.decode()
    assert response.status_code == 200
    document = workarea_item.documents.get()
    for expected in (
        "User Workarea",
        depositor.username,
        document.sha256,
        "Revision",
        "Edit item",
        "Deposit item for review",
    ):
        assert expected in body


def test_owner_edits_an_item_in_the_workarea(client, depositor, workarea_item):
    client.force_login(depositor)
    url = f"/id/eprint/{workarea_item.pk}/actions/"
    data = edit_data(client.get(url))
    data["title"] = "Final report"
    data["creators-0-family"] = "Smith"
    before = Item.objects.get(pk=workarea_item.pk).rev_number
    response = client.post(url, data)
    assert response.status_code == 302
    item = Item.objects.get(pk=workarea_item.pk)
    assert item.title == "Final report"
    assert item.rev_number == before + 1
    assert item.creators.get().family == "Smith"


def test_edit_from_an_older_revision_is_refused_and_changes_nothing(client, depositor, workarea_item):
    client.force_login(depositor)
    url = f"/id/eprint/{workarea_item.pk}/actions/"
    stale = edit_data(client.get(url))
    fresh = dict(stale, title="Saved first by a colleague")
    assert client.post(url, fresh).status_code == 302
    stale["title"] = "Saved second, from the old page"
    response = client.post(url, stale)
    assert response.status_code == 400
    assert "Someone else saved this item" in response.content.decode()
    assert Item.objects.get(pk=workarea_item.pk).title == "Saved first by a colleague"


def test_invalid_edit_shows_form_errors(client, depositor, workarea_item):
    client.force_login(depositor)
    url = f"/id/eprint/{workarea_item.pk}/actions/"
    data = dict(edit_data(client.get(url)), date="2021-13", **{"creators-0-orcid": "0000-0002-1825-0098"})
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "is not a date in the calendar" in body or "Enter a year" in body
    assert "check digit is wrong" in body
    assert Item.objects.get(pk=workarea_item.pk).date == "2024"


def test_depositor_cannot_edit_once_the_item_is_live(client, depositor):
    item = make_item(depositor=depositor)
    client.force_login(depositor)
    url = f"/id/eprint/{item.pk}/actions/"
    response = client.get(url)
    assert response.status_code == 200 and "Edit item" not in response.content.decode()
    assert client.post(url, {"title": "Changed"}).status_code == 403
    assert Item.objects.get(pk=item.pk).title == item.title


def test_editor_edits_a_live_item(client, editor):
    item = make_item()
    client.force_login(editor)
    url = f"/id/eprint/{item.pk}/actions/"
    data = dict(edit_data(client.get(url)), title="Corrected title")
    assert client.post(url, data).status_code == 302
    assert Item.objects.get(pk=item.pk).title == "Corrected title"


def test_depositor_deposits_for_review_after_confirming(client, depositor, workarea_item):
    client.force_login(depositor)
    url = f"/id/eprint/{workarea_item.pk}/actions/move/buffer/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Deposit item for review" in confirm.content.decode()
    assert Item.objects.get(pk=workarea_item.pk).status == ItemStatus.INBOX
    assert client.post(url).status_code == 302
    item = Item.objects.get(pk=workarea_item.pk)
    assert item.status == ItemStatus.BUFFER and item.date_deposited is None


def test_depositor_may_not_make_an_item_live(client, depositor, workarea_item):
    client.force_login(depositor)
    assert client.post(f"/id/eprint/{workarea_item.pk}/actions/move/archive/").status_code == 403
    assert Item.objects.get(pk=workarea_item.pk).status == ItemStatus.INBOX


def test_editor_makes_an_item_live_and_date_deposited_is_set_once(client, editor, workarea_item):
    client.force_login(editor)
    base = f"/id/eprint/{workarea_item.pk}/actions/move"
    client.post(f"{base}/archive/")
    deposited = Item.objects.get(pk=workarea_item.pk).date_deposited
    assert deposited is not None
    client.post(f"{base}/deletion/")
    client.post(f"{base}/archive/")
    item = Item.objects.get(pk=workarea_item.pk)
    assert item.status == ItemStatus.ARCHIVE and item.date_deposited == deposited


def test_incomplete_item_is_not_deposited_and_the_reason_is_shown(client, depositor):
    item = make_item(status=ItemStatus.INBOX, depositor=depositor, publisher="")
    client.force_login(depositor)
    response = client.post(f"/id/eprint/{item.pk}/actions/move/buffer/", follow=True)
    assert "This item still needs a publisher." in response.content.decode()
    assert Item.objects.get(pk=item.pk).status == ItemStatus.INBOX


def test_unknown_status_is_not_found(client, depositor, workarea_item):
    client.force_login(depositor)
    assert client.get(f"/id/eprint/{workarea_item.pk}/actions/move/nonsense/").status_code == 404


def test_post_without_csrf_token_is_refused(depositor, workarea_item):
    client = Client(enforce_csrf_checks=True)
    client.force_login(depositor)
    response = client.post(f"/id/eprint/{workarea_item.pk}/actions/move/buffer/")
    assert response.status_code == 403
    assert Item.objects.get(pk=workarea_item.pk).status == ItemStatus.INBOX


def test_eprints_staff_view_url_redirects_to_the_actions_view(client, workarea_item):
    response = client.get(f"/cgi/users/home?screen=EPrint::View&eprintid={workarea_item.pk}")
    assert response.status_code == 301
    assert response["Location"] == f"/id/eprint/{workarea_item.pk}/actions/"


@pytest.mark.parametrize("query", ["screen=EPrint::View&eprintid=abc", "screen=Nope", "screen=EPrint::View"])
def test_eprints_staff_view_url_with_bad_arguments_is_not_found(client, query):
    assert client.get(f"/cgi/users/home?{query}").status_code == 404


def test_saving_an_unchanged_form_keeps_the_revision_and_last_modified(client, depositor, workarea_item):
    client.force_login(depositor)
    url = f"/id/eprint/{workarea_item.pk}/actions/"
    before = Item.objects.get(pk=workarea_item.pk)
    response = client.post(url, edit_data(client.get(url)), follow=True)
    assert "Nothing was changed." in response.content.decode()
    after = Item.objects.get(pk=workarea_item.pk)
    assert (after.rev_number, after.last_modified) == (before.rev_number, before.last_modified)


def test_a_change_to_a_creator_alone_is_one_new_revision(client, depositor, workarea_item):
    client.force_login(depositor)
    url = f"/id/eprint/{workarea_item.pk}/actions/"
    before = Item.objects.get(pk=workarea_item.pk).rev_number
    data = dict(edit_data(client.get(url)), **{"creators-0-given": "Renamed"})
    assert client.post(url, data).status_code == 302
    assert Item.objects.get(pk=workarea_item.pk).rev_number == before + 1
