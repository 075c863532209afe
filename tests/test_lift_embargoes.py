"""The daily embargo command: items whose embargo ended are marked changed, once."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from eprints_app.models import Item
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.make_aware(datetime.datetime(2020, 1, 1, 12, 0))


def aged_item_with_embargo(until: datetime.date) -> Item:
    item = make_item()
    make_document(item, date_embargo=until)
    Item.objects.filter(pk=item.pk).update(last_modified=LONG_AGO)
    return item


def test_item_whose_embargo_ended_is_marked_changed_once(capsys):
    ended = aged_item_with_embargo(timezone.localdate())
    running = aged_item_with_embargo(timezone.localdate() + datetime.timedelta(days=1))
    call_command("lift_embargoes")
    assert "1 item(s)" in capsys.readouterr().out
    assert Item.objects.get(pk=ended.pk).last_modified > LONG_AGO
    assert Item.objects.get(pk=running.pk).last_modified == LONG_AGO
    touched = Item.objects.get(pk=ended.pk).last_modified
    call_command("lift_embargoes")
    assert Item.objects.get(pk=ended.pk).last_modified == touched


def test_embargo_that_ended_before_the_last_change_is_left_alone():
    item = aged_item_with_embargo(datetime.date(2019, 6, 1))
    call_command("lift_embargoes")
    assert Item.objects.get(pk=item.pk).last_modified == LONG_AGO
