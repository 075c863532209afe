"""An item's history as a readable timeline (EPrints' "History" tab, eprints.md §9).

Records come from django-simple-history: one per saved change of the item, its creators
and its documents, with who made it and, for status moves, why; answered copy requests
are events too.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist

from eprints_app.models import CopyRequest, Creator, Document, Item

# Bookkeeping that changes on every save and says nothing to a reader of the history.
NOT_SHOWN = {"last_modified", "rev_number", "status_changed", "date_deposited"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Event:
    when: datetime
    who: str
    action: str
    changes: list[Change] = field(default_factory=list)
    revision_id: int | None = None


def shown(value) -> str:
    """A value as a reader would want it in a diff."""
    if value in (None, ""):
        return "—"
    if isinstance(value, list):  # many-to-many rows: [{"item": 1, "subject": "JZ"}, ...]
        return ", ".join(str(v) for row in value for k, v in row.items() if k != "item") or "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def label_of(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:  # e.g. the many-to-many rows simple-history diffs
        return name


def changes_between(record, previous, model) -> list[Change]:
    delta = record.diff_against(previous, excluded_fields=NOT_SHOWN)
    return [Change(label_of(model, c.field), shown(c.old), shown(c.new)) for c in delta.changes]


def who(record) -> str:
    user = record.history_user
    return user.get_username() if user else "the system"


def part_events(model, records, describe) -> list[Event]:
    """Events for the records of creators or documents, each diffed against its predecessor."""
    events, last = [], {}
    for record in records:
        before = last.get(record.id)
        name = model._meta.verbose_name
        if record.history_type == "+":
            events.append(
                Event(record.history_date, who(record), f"{name.capitalize()} added: {describe(record)}")
            )
        elif record.history_type == "-":
            events.append(
                Event(record.history_date, who(record), f"{name.capitalize()} removed: {describe(record)}")
            )
        elif before is not None:
            changes = changes_between(record, before, model)
            if changes:
                events.append(
                    Event(
                        record.history_date,
                        who(record),
                        f"{name.capitalize()} changed: {describe(record)}",
                        changes,
                    )
                )
        last[record.id] = record
    return events


def timeline(item: Item) -> list[Event]:
    """Everything recorded about an item, newest first."""
    events = []
    previous = None
    for record in item.history.select_related("history_user").order_by("history_date", "history_id"):
        if previous is None:
            action = record.history_change_reason or "Created"
            events.append(Event(record.history_date, who(record), action, revision_id=record.history_id))
        else:
            changes = changes_between(record, previous, Item)
            action = record.history_change_reason or "Edited"
            if changes or record.history_change_reason:
                events.append(Event(record.history_date, who(record), action, changes, record.history_id))
        previous = record
    creators = Creator.history.filter(item_id=item.pk).select_related("history_user")
    events += part_events(Creator, creators.order_by("history_date", "history_id"), lambda r: r.instance.name)
    documents = Document.history.filter(item_id=item.pk).select_related("history_user")
    events += part_events(Document, documents.order_by("history_date", "history_id"), lambda r: r.filename)
    for request in CopyRequest.objects.filter(document__item=item).exclude(answered=None):
        events.append(
            Event(
                request.answered,
                "the contact",
                f"Copy request {request.get_status_display().lower()}: "
                f"{request.document.filename} for {request.email}",
            )
        )
    return sorted(events, key=lambda event: event.when, reverse=True)


def parts_as_of(model, item: Item, moment: datetime) -> list:
    """The creators or documents of an item as they stood at a moment (historical records)."""
    latest = model.history.filter(item_id=item.pk, history_date__lte=moment).latest_of_each()
    return [record for record in latest if record.history_type != "-"]


def revision(item: Item, record) -> tuple[list, list]:
    """The creators and documents of an item as they were at one of its historical records."""
    creators = sorted(
        parts_as_of(Creator, item, record.history_date), key=lambda c: (c.role, c.position, c.id)
    )
    documents = sorted(parts_as_of(Document, item, record.history_date), key=lambda d: d.pos)
    return creators, documents
