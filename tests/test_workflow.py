"""The editorial workflow: roles, deposit and review, emails, retirement, new versions, history."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from eprints_app.enums import ItemStatus
from eprints_app.models import Item
from eprints_app.services.status import change_status
from tests.factories import make_document, make_item
from tests.form_data import edit_data, form_values

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_roles_exist_and_joining_one_gives_admin_access(depositor):
    assert set(Group.objects.values_list("name", flat=True)) >= {"depositor", "editor", "administrator"}
    depositor.refresh_from_db()
    assert depositor.is_staff
    assert logged_in(depositor).get("/admin/eprints_app/item/").status_code == 200


def test_depositor_sees_only_their_own_items_in_the_admin(depositor, other_depositor):
    own = make_item(status=ItemStatus.INBOX, depositor=depositor, title="Mine")
    other = make_item(status=ItemStatus.INBOX, depositor=other_depositor, title="Theirs")
    client = logged_in(depositor)
    listing = client.get("/admin/eprints_app/item/").content.decode()
    assert "Mine" in listing and "Theirs" not in listing
    assert client.get(f"/admin/eprints_app/item/{own.pk}/change/").status_code == 200
    assert client.get(f"/admin/eprints_app/item/{other.pk}/change/").status_code == 302
    assert client.get(f"/id/eprint/{other.pk}/actions/").status_code == 403


def test_depositor_cannot_post_changes_to_another_depositors_item(depositor, other_depositor):
    other = make_item(status=ItemStatus.INBOX, depositor=other_depositor, title="Theirs")
    client = logged_in(depositor)
    response = client.post(f"/admin/eprints_app/item/{other.pk}/change/", {"title": "Hijacked"})
    assert response.status_code in {302, 403, 404}
    assert Item.objects.get(pk=other.pk).title == "Theirs"


def test_depositor_cannot_change_status_or_depositor_through_the_admin_form(depositor, editor):
    item = make_item(status=ItemStatus.INBOX, depositor=depositor, title="Mine")
    client = logged_in(depositor)
    url = f"/admin/eprints_app/item/{item.pk}/change/"
    data = form_values(client.get(url))
    assert "status" not in data and "depositor" not in data
    data.update(status=ItemStatus.ARCHIVE, depositor=str(editor.pk), title="Mine, edited")
    assert client.post(url, data).status_code == 302
    stored = Item.objects.get(pk=item.pk)
    assert (stored.title, stored.status, stored.depositor_id) == (
        "Mine, edited",
        ItemStatus.INBOX,
        depositor.pk,
    )


def test_depositor_only_views_their_item_once_it_left_the_workarea(depositor):
    item = make_item(status=ItemStatus.BUFFER, depositor=depositor, title="Submitted")
    client = logged_in(depositor)
    url = f"/admin/eprints_app/item/{item.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "Changed"}).status_code == 403
    assert Item.objects.get(pk=item.pk).title == "Submitted"


def test_depositor_adds_an_item_which_is_theirs_and_in_the_workarea(depositor):
    client = logged_in(depositor)
    data = form_values(client.get("/admin/eprints_app/item/add/"))
    data.update(type="article", title="New work", publication="A Journal", date="2024")
    data.update({"creators-0-family": "Dora"})
    assert client.post("/admin/eprints_app/item/add/", data).status_code == 302
    item = Item.objects.get(title="New work")
    assert (item.depositor_id, item.status) == (depositor.pk, ItemStatus.INBOX)


def test_deposit_goes_to_review_and_editors_are_told(depositor, editor, django_capture_on_commit_callbacks):
    item = make_item(status=ItemStatus.INBOX, depositor=depositor)
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(depositor).post(f"/id/eprint/{item.pk}/actions/move/buffer/")
    assert Item.objects.get(pk=item.pk).status == ItemStatus.BUFFER
    (message,) = mail.outbox
    assert message.to == [editor.email]
    assert f"/id/eprint/{item.pk}/actions/" in message.body


def test_deposit_can_skip_review_when_the_repository_allows_it(depositor, settings):
    settings.DEPOSIT_SKIPS_REVIEW = True
    item = make_item(status=ItemStatus.INBOX, depositor=depositor)
    logged_in(depositor).post(f"/id/eprint/{item.pk}/actions/move/archive/")
    item.refresh_from_db()
    assert item.status == ItemStatus.ARCHIVE and item.date_deposited is not None


def test_review_list_shows_items_under_review_oldest_first_to_editors_only(depositor, editor):
    first = make_item(status=ItemStatus.INBOX, depositor=depositor, title="First deposit")
    second = make_item(status=ItemStatus.INBOX, depositor=depositor, title="Second deposit")
    change_status(first, ItemStatus.BUFFER)
    change_status(second, ItemStatus.BUFFER)
    page = logged_in(editor).get("/cgi/users/review/")
    body = page.content.decode()
    assert page.status_code == 200
    assert body.index("First deposit") < body.index("Second deposit") and "dora" in body
    assert logged_in(depositor).get("/cgi/users/review/").status_code == 403


def test_editor_returns_an_item_with_a_message_to_the_depositor(
    depositor, editor, django_capture_on_commit_callbacks
):
    item = make_item(status=ItemStatus.BUFFER, depositor=depositor)
    client = logged_in(editor)
    assert (
        "Message to the depositor" in client.get(f"/id/eprint/{item.pk}/actions/move/inbox/").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/id/eprint/{item.pk}/actions/move/inbox/", {"message": "Please add the abstract."})
    assert Item.objects.get(pk=item.pk).status == ItemStatus.INBOX
    (message,) = mail.outbox
    assert message.to == [depositor.email] and "Please add the abstract." in message.body


def test_making_live_tells_the_depositor(depositor, editor, django_capture_on_commit_callbacks):
    item = make_item(status=ItemStatus.BUFFER, depositor=depositor)
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(editor).post(f"/id/eprint/{item.pk}/actions/move/archive/")
    (message,) = mail.outbox
    assert message.to == [depositor.email] and item.uri in message.body


def test_my_items_lists_the_users_items_by_status(depositor):
    make_item(status=ItemStatus.INBOX, depositor=depositor, title="Draft one")
    make_item(status=ItemStatus.ARCHIVE, depositor=depositor, title="Published one")
    make_item(status=ItemStatus.ARCHIVE, title="Someone else's")
    body = logged_in(depositor).get("/cgi/users/items/").content.decode()
    assert (
        body.index("User Workarea")
        < body.index("Draft one")
        < body.index("Live Archive")
        < body.index("Published one")
    )
    assert "Someone else" not in body


def test_retired_item_answers_410_and_can_be_restored(editor):
    item = make_item()
    client = logged_in(editor)
    client.post(f"/id/eprint/{item.pk}/actions/move/deletion/")
    assert Client().get(item.get_absolute_url()).status_code == 410
    client.post(f"/id/eprint/{item.pk}/actions/move/archive/")
    assert Client().get(item.get_absolute_url()).status_code == 200


def test_new_version_is_a_copy_in_the_users_workarea_linked_to_the_old(depositor):
    old = make_item(depositor=depositor, title="First edition")
    document = make_document(old)
    old.subjects.create(code="Q", name="Q Science")
    client = logged_in(depositor)
    assert client.get(f"/id/eprint/{old.pk}/actions/new-version/").status_code == 200
    response = client.post(f"/id/eprint/{old.pk}/actions/new-version/")
    new = Item.objects.exclude(pk=old.pk).get()
    assert response["Location"] == f"/id/eprint/{new.pk}/actions/"
    assert (new.status, new.succeeds_id, new.depositor_id, new.title) == (
        ItemStatus.INBOX,
        old.pk,
        depositor.pk,
        "First edition",
    )
    assert list(new.creators.values_list("family", flat=True)) == ["Family0"]
    assert list(new.subjects.values_list("code", flat=True)) == ["Q"]
    copy = new.documents.get()
    assert copy.sha256 == document.sha256 and copy.file.name != document.file.name


def test_old_version_links_to_the_newer_once_it_is_live(editor):
    old = make_item(title="First edition")
    client = logged_in(editor)
    client.post(f"/id/eprint/{old.pk}/actions/new-version/")
    new = Item.objects.exclude(pk=old.pk).get()
    assert f"/id/eprint/{new.pk}/" not in Client().get(old.get_absolute_url()).content.decode()
    change_status(new, ItemStatus.ARCHIVE)
    assert f'href="/id/eprint/{new.pk}/"' in Client().get(old.get_absolute_url()).content.decode()
    change_status(old, ItemStatus.DELETION)
    retired = Client().get(old.get_absolute_url())
    assert retired.status_code == 410 and f'href="/id/eprint/{new.pk}/"' in retired.content.decode()


def test_new_version_of_an_item_not_live_is_refused(depositor):
    item = make_item(status=ItemStatus.INBOX, depositor=depositor)
    assert logged_in(depositor).post(f"/id/eprint/{item.pk}/actions/new-version/").status_code == 403
    assert Item.objects.count() == 1


def test_history_records_edits_with_before_and_after_and_status_moves(depositor, editor):
    item = make_item(status=ItemStatus.INBOX, depositor=depositor, title="Old title")
    client = logged_in(depositor)
    url = f"/id/eprint/{item.pk}/actions/"
    client.post(url, dict(edit_data(client.get(url)), title="New title"))
    make_document(item, filename="added.pdf")
    logged_in(editor).post(f"/id/eprint/{item.pk}/actions/move/archive/")
    body = logged_in(editor).get(url).content.decode()
    assert "Moved from User Workarea to Live Archive" in body
    assert "<del>Old title</del>" in body and "<ins>New title</ins>" in body
    assert "Document added: added.pdf" in body
    assert "dora" in body and "eddie" in body


def test_an_earlier_revision_can_be_viewed_in_full(depositor, other_depositor):
    item = make_item(status=ItemStatus.INBOX, depositor=depositor, title="Old title")
    client = logged_in(depositor)
    url = f"/id/eprint/{item.pk}/actions/"
    client.post(url, dict(edit_data(client.get(url)), title="New title"))
    first, second = item.history.order_by("history_date")
    page = client.get(f"/id/eprint/{item.pk}/actions/history/{first.history_id}/")
    assert page.status_code == 200 and "Old title" in page.content.decode()
    later = client.get(f"/id/eprint/{item.pk}/actions/history/{second.history_id}/").content.decode()
    assert "New title" in later and "Family0, Given0" in later
    assert client.get(f"/id/eprint/{item.pk}/actions/history/999999/").status_code == 404
    assert (
        logged_in(other_depositor)
        .get(f"/id/eprint/{item.pk}/actions/history/{first.history_id}/")
        .status_code
        == 403
    )
