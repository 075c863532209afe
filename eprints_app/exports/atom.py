"""Atom (RFC 4287): a feed of the given items, newest change first as given.

Authors are named without email addresses; open-access files are enclosure links.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import NAMESPACE_URL, uuid5

from django.conf import settings
from django.utils import timezone
from lxml import etree

from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.exports.xmltext import sub, sub_if, to_xml
from eprints_app.item_facts import authors, download_url, open_documents
from eprints_app.models import Item

ATOM_NS = "http://www.w3.org/2005/Atom"
A = f"{{{ATOM_NS}}}"


def rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def feed_id(items: Sequence[Item]) -> str:
    """A permanent ID for this list of items: the same items always give the same ID."""
    ids = ",".join(str(item.pk) for item in items)
    return f"urn:uuid:{uuid5(NAMESPACE_URL, f'{settings.BASE_URL}/cgi/export?eprints={ids}')}"


def last_change(items: Sequence[Item]) -> datetime:
    return max((item.last_modified for item in items), default=None) or timezone.now()


def entry(feed: etree._Element, item: Item) -> None:
    element = sub(feed, f"{A}entry")
    sub(element, f"{A}id", item.uri)
    sub(element, f"{A}title", item.title, type="text")
    sub(element, f"{A}updated", rfc3339(item.last_modified))
    if item.date_deposited:
        sub(element, f"{A}published", rfc3339(item.date_deposited))
    for person in authors(item):
        sub(sub(element, f"{A}author"), f"{A}name", person.name)
    sub(element, f"{A}link", rel="alternate", type="text/html", href=item.uri)
    for document in open_documents(item):
        link = sub(element, f"{A}link", rel="enclosure", href=download_url(document))
        link.set("type", document.mime_type)
        link.set("length", str(document.filesize))
    sub_if(element, f"{A}summary", item.abstract, type="text")
    for subject in item.subjects.all():
        sub(element, f"{A}category", term=subject.code, label=subject.name)


@register
class Atom(ExportFormat):
    identifier = "Atom"
    name = "Atom"
    extension = "xml"
    content_type = "application/atom+xml; charset=utf-8"

    def render(self, items: Sequence[Item]) -> str:
        feed = etree.Element(f"{A}feed", nsmap={None: ATOM_NS})
        sub(feed, f"{A}id", feed_id(items))
        sub(feed, f"{A}title", settings.REPOSITORY_NAME, type="text")
        sub(feed, f"{A}updated", rfc3339(last_change(items)))
        # Entries without creators take the feed's author (RFC 4287 §4.1.1).
        sub(sub(feed, f"{A}author"), f"{A}name", settings.REPOSITORY_NAME)
        sub(feed, f"{A}link", rel="alternate", type="text/html", href=f"{settings.BASE_URL}/")
        for item in items:
            entry(feed, item)
        return to_xml(feed)
