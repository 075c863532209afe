"""Deposit and editing through the Django admin: the add and change forms, actions, list and autocomplete."""

import hashlib
import html
import json
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from eprints_app.enums import ItemStatus, ItemType
from eprints_app.models import Creator, Division, Document, Item, Subject
from tests.factories import make_document, make_item, pdf_bytes
from tests.form_data import ADD_URL, deposit_data, form_errors, form_values
from tests.pages import queries_for

pytestmark = pytest.mark.django_db

CHANGELIST_URL = "/admin/eprints_app/item/"
LONG_AGO = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)
STALE_MESSAGE = (
    "Someone else saved this item (revision 2) after you opened it (revision 1). Your changes were "
    "not saved: reload the page to see the current record, then make your changes again."
)


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in response.context["messages"]]


@pytest.fixture
def editor(editor, client):
    """The cast's editor (tests/conftest.py), signed in on the test's client."""
    client.force_login(editor)
    return editor


def test_add_form_uses_the_inline_prefixes_and_preselects_the_signed_in_depositor(client, editor):
    data = form_values(client.get(ADD_URL))
    assert data["creators-TOTAL_FORMS"] == "1"
    assert data["documents-TOTAL_FORMS"] == "1"
    assert data["depositor"] == str(editor.pk)
    assert data["status"] == ItemStatus.INBOX
    assert data["revision"] == "0"


def test_deposit_with_a_pdf_and_status_archive_gives_a_live_item_with_a_working_download(client, editor):
    pdf = pdf_bytes("Changing dynamics of soft power")
    upload = SimpleUploadedFile("soft-power.pdf", pdf, content_type="application/pdf")
    before = timezone.now()

    response = client.post(ADD_URL, deposit_data(client, upload))

    assert response.status_code == 302
    item = Item.objects.get()
    assert item.status == ItemStatus.ARCHIVE
    assert before <= item.date_deposited <= timezone.now()
    assert item.status_changed == item.date_deposited
    assert item.depositor == editor
    assert [(c.family, c.given) for c in item.creators.all()] == [("Ahmar", "Moonis")]
    document = Document.objects.get()
    assert (document.item, document.pos, document.filename) == (item, 1, "soft-power.pdf")
    assert document.mime_type == "application/pdf"
    assert document.filesize == len(pdf)
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.file.name.startswith(f"documents/{item.pk}/")

    client.logout()
    page = client.get(f"/id/eprint/{item.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Changing dynamics of soft power" in body
    download_url = f"/id/eprint/{item.pk}/1/soft-power.pdf"
    assert f'href="{download_url}"' in body
    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == pdf


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"publisher": ""}, "a publisher"),
        (
            {"type": ItemType.ARTICLE, "creators-0-family": "", "creators-0-given": ""},
            "at least one creator, a journal or publication title",
        ),
    ],
)
def test_archive_requested_for_an_incomplete_item_saves_it_in_the_workarea_and_says_what_is_missing(
    client, editor, fields, missing
):
    response = client.post(ADD_URL, deposit_data(client, **fields), follow=True)

    assert response.status_code == 200
    item = Item.objects.get()
    assert item.status == ItemStatus.INBOX
    assert item.date_deposited is None
    assert item.status_changed is None
    assert (
        "error",
        f"The item was saved but stays User Workarea: This item still needs {missing}.",
    ) in messages_of(response)


def test_deposit_after_a_record_with_a_given_id_gets_the_next_id(client, editor):
    Item.objects.create(id=114516, type=ItemType.MONOGRAPH, title="The seed")

    response = client.post(ADD_URL, deposit_data(client))

    assert response.status_code == 302
    assert list(Item.objects.values_list("id", flat=True)) == [114517, 114516]


def run_action(client, action: str, *items):
    return client.post(
        CHANGELIST_URL, {"action": action, "_selected_action": [item.pk for item in items]}, follow=True
    )


def test_actions_stamp_date_deposited_on_first_going_live_and_keep_it_through_retire_and_restore(
    client, editor
):
    item = make_item(status=ItemStatus.INBOX)

    response = run_action(client, "move_to_archive", item)
    assert messages_of(response) == [("info", "1 item(s) moved to Live Archive.")]
    item.refresh_from_db()
    deposited = item.date_deposited
    assert item.status == ItemStatus.ARCHIVE
    assert deposited is not None
    assert item.status_changed == deposited

    run_action(client, "move_to_deletion", item)
    item.refresh_from_db()
    assert (item.status, item.date_deposited) == (ItemStatus.DELETION, deposited)
    assert client.get(f"/id/eprint/{item.pk}/").status_code == 410

    run_action(client, "move_to_archive", item)
    item.refresh_from_db()
    assert (item.status, item.date_deposited) == (ItemStatus.ARCHIVE, deposited)
    assert item.status_changed > deposited


def test_move_to_review_and_return_to_work_area_actions_move_every_selected_item(client, editor):
    first, second = make_item(), make_item()

    response = run_action(client, "move_to_buffer", first, second)
    assert messages_of(response) == [("info", "2 item(s) moved to Under Review.")]
    assert set(Item.objects.values_list("status", flat=True)) == {ItemStatus.BUFFER}

    response = run_action(client, "move_to_inbox", first, second)
    assert messages_of(response) == [("info", "2 item(s) moved to User Workarea.")]
    assert set(Item.objects.values_list("status", flat=True)) == {ItemStatus.INBOX}


def test_actions_refuse_moves_the_service_refuses_and_say_why(client, editor):
    in_workarea = make_item(status=ItemStatus.INBOX)
    incomplete = make_item(status=ItemStatus.INBOX, publisher="")

    response = run_action(client, "move_to_deletion", in_workarea)
    assert messages_of(response) == [
        ("error", f"{in_workarea.pk}: An item that is User Workarea cannot be moved to Retired by you.")
    ]
    response = run_action(client, "move_to_archive", incomplete, in_workarea)
    assert messages_of(response) == [
        ("info", "1 item(s) moved to Live Archive."),
        ("error", f"{incomplete.pk}: This item still needs a publisher."),
    ]
    assert Item.objects.get(pk=incomplete.pk).status == ItemStatus.INBOX
    assert Item.objects.get(pk=in_workarea.pk).status == ItemStatus.ARCHIVE


def item_with_old_last_modified() -> Item:
    item = make_item()
    make_document(item, formatdesc="Report")
    Item.objects.filter(pk=item.pk).update(last_modified=LONG_AGO)
    return Item.objects.get(pk=item.pk)


def change_url(item: Item) -> str:
    return f"/admin/eprints_app/item/{item.pk}/change/"


def test_viewing_the_change_page_does_not_move_last_modified(client, editor):
    item = item_with_old_last_modified()

    assert client.get(change_url(item)).status_code == 200

    assert Item.objects.values_list("last_modified", "rev_number").get(pk=item.pk) == (
        LONG_AGO,
        item.rev_number,
    )


@pytest.mark.parametrize(
    ("model", "field", "prefix", "before", "after"),
    [
        (Creator, "family", "creators", "Family0", "Ahmar"),
        (Document, "formatdesc", "documents", "Report", "Full report"),
    ],
    ids=["creator", "document"],
)
def test_editing_a_part_in_the_change_form_moves_last_modified(
    client, editor, model, field, prefix, before, after
):
    item = item_with_old_last_modified()
    data = form_values(client.get(change_url(item)))
    assert data[f"{prefix}-0-{field}"] == before
    data[f"{prefix}-0-{field}"] = after

    response = client.post(change_url(item), data)

    assert response.status_code == 302
    assert list(model.objects.values_list(field, flat=True)) == [after]
    assert Item.objects.get(pk=item.pk).last_modified > LONG_AGO


def test_replacing_a_document_file_in_the_change_form_records_the_new_file_and_deletes_the_old(
    client, editor, django_capture_on_commit_callbacks
):
    item = item_with_old_last_modified()
    old = Document.objects.get()
    data = form_values(client.get(change_url(item)))
    pdf = pdf_bytes("Second edition", pages=3)
    data["documents-0-file"] = SimpleUploadedFile("second.pdf", pdf, content_type="application/pdf")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(item), data)

    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.pk, document.pos, document.filename) == (old.pk, 1, "second.pdf")
    assert (document.filesize, document.sha256) == (len(pdf), hashlib.sha256(pdf).hexdigest())
    assert document.file.read() == pdf
    assert not old.file.storage.exists(old.file.name)
    assert Item.objects.get(pk=item.pk).last_modified > LONG_AGO


def test_edit_based_on_an_older_revision_is_refused_and_changes_nothing(client, editor):
    item = make_item(title="The original title")
    assert item.rev_number == 1
    data = form_values(client.get(change_url(item)))
    assert data["revision"] == "1"
    # Someone else saves the item while our form is open.
    theirs = Item.objects.get(pk=item.pk)
    theirs.title = "Their title"
    theirs.save()
    saved = Item.objects.values_list("title", "rev_number", "last_modified").get(pk=item.pk)
    data.update({"title": "My title", "creators-0-family": "Mine"})

    response = client.post(change_url(item), data)

    assert response.status_code == 200
    assert form_errors(response) == [STALE_MESSAGE]
    assert STALE_MESSAGE in html.unescape(response.content.decode())
    assert Item.objects.values_list("title", "rev_number", "last_modified").get(pk=item.pk) == saved
    assert saved[1] == 2
    assert list(Creator.objects.values_list("family", flat=True)) == ["Family0"]


def test_refusal_of_a_stale_edit_is_shown_where_the_editor_can_see_it(client, editor):
    item = make_item()
    data = form_values(client.get(change_url(item)))
    Item.objects.get(pk=item.pk).save()

    response = client.post(change_url(item), data)

    assert response.status_code == 200
    body = response.content.decode()
    # Not in the row of the hidden revision field, which the admin hides with its errors.
    assert f'<ul class="errorlist nonfield"><li>{html.escape(STALE_MESSAGE)}</li></ul>' in body


def make_listed_items(count: int) -> list[Item]:
    division, _ = Division.objects.get_or_create(code="LSE", defaults={"name": "LSE"})
    items = [make_item(creators=2, title=f"Report number {n}") for n in range(count)]
    for item in items:
        item.divisions.add(division)
    return items


def test_changelist_query_count_does_not_grow_with_the_number_of_items(client, editor):
    make_listed_items(1)
    with_one = queries_for(client, CHANGELIST_URL)
    make_listed_items(29)
    with_thirty = queries_for(client, CHANGELIST_URL)

    assert with_one == with_thirty == 8


def listed_ids(client, query: str) -> list[int]:
    response = client.get(CHANGELIST_URL + query)
    assert response.status_code == 200
    return [item.pk for item in response.context["cl"].result_list]


@pytest.fixture
def listed(editor):
    """Three items that differ in title, creator, status, type, year and division."""
    politics, _ = Division.objects.get_or_create(code="IR", defaults={"name": "International Relations"})
    soft_power = make_item(title="Changing dynamics of soft power", date="2021")
    soft_power.creators.update(family="Ahmar", given="Moonis")
    soft_power.divisions.add(politics)
    article = make_item(
        title="Trade and tariffs", type=ItemType.ARTICLE, publication="Economica", date="2019-05"
    )
    draft = make_item(title="Notes on archives", status=ItemStatus.INBOX, date="2024")
    return {"soft_power": soft_power, "article": article, "draft": draft}


def test_changelist_search_finds_items_by_title_word_creator_family_name_and_id(client, listed):
    soft_power = listed["soft_power"]
    assert listed_ids(client, "?q=dynamics") == [soft_power.pk]
    assert listed_ids(client, "?q=ahmar") == [soft_power.pk]
    assert listed_ids(client, f"?q={soft_power.pk}") == [soft_power.pk]


@pytest.mark.parametrize("term", ["not-a-number", "12abc", "%25", "' OR 1=1 --"])
def test_changelist_search_with_a_term_that_is_no_id_answers_without_error(client, listed, term):
    assert listed_ids(client, f"?q={term}") == []


def test_changelist_filters_by_status_type_year_and_division(client, listed):
    soft_power, article, draft = listed["soft_power"], listed["article"], listed["draft"]
    assert listed_ids(client, "?status=inbox") == [draft.pk]
    assert listed_ids(client, "?type=article") == [article.pk]
    assert listed_ids(client, "?year=2021") == [soft_power.pk]
    assert listed_ids(client, "?year=2019") == [article.pk]
    assert listed_ids(client, "?divisions__code__exact=IR") == [soft_power.pk]


def test_subjects_and_divisions_are_autocomplete_widgets_on_the_add_page(client, editor):
    body = client.get(ADD_URL).content.decode()
    for field in ("subjects", "divisions"):
        start = body.index(f'<select name="{field}"')
        tag = body[start : body.index(">", start)]
        assert 'class="admin-autocomplete"' in tag
        assert 'data-ajax--url="/admin/autocomplete/"' in tag
        assert f'data-field-name="{field}"' in tag
        assert "multiple" in tag


def test_subject_autocomplete_finds_a_subject_by_its_code(client, editor):
    Subject(code="J", name="J Political Science").save()
    Subject(code="JZ", name="JZ International relations", parent_id="J").save()

    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "eprints_app", "model_name": "item", "field_name": "subjects", "term": "JZ"},
    )

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "results": [{"id": "JZ", "text": "J Political Science > JZ International relations"}],
        "pagination": {"more": False},
    }


def test_subjects_chosen_in_the_add_form_are_saved(client, editor):
    Subject(code="J", name="J Political Science").save()
    Subject(code="JZ", name="JZ International relations", parent_id="J").save()
    Division(code="LSE", name="LSE").save()

    response = client.post(ADD_URL, deposit_data(client, subjects=["JZ"], divisions=["LSE"]))

    assert response.status_code == 302
    item = Item.objects.get()
    assert list(item.subjects.values_list("code", flat=True)) == ["JZ"]
    assert list(item.divisions.values_list("code", flat=True)) == ["LSE"]


def test_saving_the_change_form_unchanged_keeps_the_revision_and_last_modified(client, editor):
    item = item_with_old_last_modified()

    response = client.post(change_url(item), form_values(client.get(change_url(item))))

    assert response.status_code == 302
    assert Item.objects.values_list("last_modified", "rev_number").get(pk=item.pk) == (
        LONG_AGO,
        item.rev_number,
    )


def test_a_change_made_only_in_an_inline_is_one_new_revision(client, editor):
    item = item_with_old_last_modified()
    data = form_values(client.get(change_url(item)))
    data["creators-0-given"] = "Moonis"

    assert client.post(change_url(item), data).status_code == 302

    assert Item.objects.get(pk=item.pk).rev_number == item.rev_number + 1


def test_an_item_that_was_once_live_cannot_be_deleted_only_retired(client, editor):
    once_live = make_item()
    draft = make_item(status=ItemStatus.INBOX)
    assert client.get(f"/admin/eprints_app/item/{once_live.pk}/delete/").status_code == 403
    both = {"action": "delete_selected", "_selected_action": [once_live.pk, draft.pk], "post": "yes"}
    assert client.post(CHANGELIST_URL, both).status_code == 403
    assert Item.objects.count() == 2
    client.post(CHANGELIST_URL, {**both, "_selected_action": [draft.pk]})
    assert list(Item.objects.values_list("pk", flat=True)) == [once_live.pk]
