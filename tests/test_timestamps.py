"""Date Deposited, Last Modified, revisions and eprint IDs, as EPrints keeps them."""

import datetime

import pytest
from django.utils import timezone

from eprints_app.enums import ItemStatus
from eprints_app.models import Creator, Division, Item, Subject
from eprints_app.services.creators import delete_creator, save_creator
from eprints_app.services.documents import delete_document, save_document
from eprints_app.services.status import StatusChangeError, change_status
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.make_aware(datetime.datetime(2020, 1, 1, 12, 0))


def age(item: Item) -> Item:
    Item.objects.filter(pk=item.pk).update(last_modified=LONG_AGO)
    return Item.objects.get(pk=item.pk)


def last_modified(item: Item) -> datetime.datetime:
    return Item.objects.get(pk=item.pk).last_modified


def test_date_deposited_is_set_the_first_time_an_item_goes_live_and_never_again():
    item = make_item(status=ItemStatus.INBOX)
    assert item.date_deposited is None
    change_status(item, ItemStatus.BUFFER)
    assert item.date_deposited is None
    change_status(item, ItemStatus.ARCHIVE)
    first = item.date_deposited
    assert first is not None and item.status_changed == first
    for target in (
        ItemStatus.INBOX,
        ItemStatus.BUFFER,
        ItemStatus.ARCHIVE,
        ItemStatus.DELETION,
        ItemStatus.ARCHIVE,
    ):
        change_status(item, target)
    assert Item.objects.get(pk=item.pk).date_deposited == first


def test_a_move_that_does_not_exist_is_refused():
    item = make_item(status=ItemStatus.DELETION)
    with pytest.raises(StatusChangeError):
        change_status(item, ItemStatus.INBOX)
    assert Item.objects.get(pk=item.pk).status == ItemStatus.DELETION


def test_saving_an_item_moves_last_modified_and_the_revision():
    item = age(make_item())
    revision = item.rev_number
    item.title = "Another title"
    item.save()
    assert last_modified(item) > LONG_AGO
    assert Item.objects.get(pk=item.pk).rev_number == revision + 1


def test_changing_a_creator_moves_last_modified():
    item = age(make_item())
    creator = item.creators.get()
    creator.given = "Changed"
    save_creator(creator)
    assert last_modified(item) > LONG_AGO
    age(item)
    save_creator(Creator(item=item, family="Added"))
    assert last_modified(item) > LONG_AGO
    age(item)
    delete_creator(creator)
    assert last_modified(item) > LONG_AGO


def test_adding_changing_or_removing_a_document_moves_last_modified():
    item = age(make_item())
    document = make_document(item)
    assert last_modified(item) > LONG_AGO
    age(item)
    document.formatdesc = "Preprint"
    save_document(document)
    assert last_modified(item) > LONG_AGO
    age(item)
    delete_document(document)
    assert last_modified(item) > LONG_AGO


def test_changing_subjects_or_divisions_moves_last_modified():
    subject = Subject(code="Q", name="Q Science")
    subject.save()
    division = Division(code="sci", name="Science")
    division.save()
    item = age(make_item())
    item.subjects.add(subject)
    assert last_modified(item) > LONG_AGO
    age(item)
    item.divisions.add(division)
    assert last_modified(item) > LONG_AGO


def test_viewing_the_page_or_downloading_does_not_move_last_modified(client):
    item = make_item()
    document = make_document(item)
    item = age(item)
    assert client.get(item.get_absolute_url()).status_code == 200
    assert client.get(document.get_absolute_url()).status_code == 200
    assert last_modified(item) == LONG_AGO


def test_new_items_get_fresh_ids_after_records_with_given_ids():
    Item.objects.create(id=114516, type="article", title="Given")
    fresh = Item.objects.create(type="article", title="Fresh")
    assert fresh.pk > 114516
    later = Item.objects.create(type="article", title="Later")
    assert later.pk > fresh.pk


def test_new_deposit_after_the_demo_data_gets_a_non_colliding_id(seed):
    highest = Item.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert Item.objects.create(type="article", title="After the demo").pk > highest


def test_removing_a_document_deletes_its_file_after_commit(django_capture_on_commit_callbacks):
    item = make_item()
    document = make_document(item)
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert not storage.exists(name)


def test_subject_path_follows_the_tree_and_a_renamed_parent():
    parent = Subject(code="J", name="J Political Science")
    parent.save()
    child = Subject(code="JZ", name="JZ International relations", parent=parent)
    child.save()
    assert child.path == "J Political Science > JZ International relations"
    assert child.lineage == "J:JZ"
    parent.name = "J Politics"
    parent.save()
    assert Subject.objects.get(pk="JZ").path == "J Politics > JZ International relations"
