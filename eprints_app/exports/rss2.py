"""RSS 2.0: a channel of the given items. Authors go in dc:creator: RSS's own <author> wants an email."""

from collections.abc import Sequence
from datetime import UTC
from email.utils import format_datetime

from django.conf import settings
from lxml import etree

from eprints_app.exports import register
from eprints_app.exports.atom import last_change
from eprints_app.exports.base import ExportFormat
from eprints_app.exports.xmltext import sub, sub_if, to_xml
from eprints_app.item_facts import authors
from eprints_app.models import Item

DC_NS = "http://purl.org/dc/elements/1.1/"


def item_element(channel: etree._Element, item: Item) -> None:
    element = sub(channel, "item")
    sub(element, "title", item.title)
    sub(element, "link", item.uri)
    sub(element, "guid", item.uri, isPermaLink="true")
    sub_if(element, "description", item.abstract)
    sub(
        element,
        "pubDate",
        format_datetime((item.date_deposited or item.last_modified).astimezone(UTC), usegmt=True),
    )
    for person in authors(item):
        sub(element, f"{{{DC_NS}}}creator", person.name)
    for subject in item.subjects.all():
        sub(element, "category", subject.name)


@register
class RSS2(ExportFormat):
    identifier = "RSS2"
    name = "RSS 2.0"
    extension = "xml"
    content_type = "application/rss+xml; charset=utf-8"

    def render(self, items: Sequence[Item]) -> str:
        rss = etree.Element("rss", nsmap={"dc": DC_NS}, version="2.0")
        channel = sub(rss, "channel")
        sub(channel, "title", settings.REPOSITORY_NAME)
        sub(channel, "link", f"{settings.BASE_URL}/")
        sub(channel, "description", f"Items from {settings.REPOSITORY_NAME}")
        sub(channel, "lastBuildDate", format_datetime(last_change(items).astimezone(UTC), usegmt=True))
        for item in items:
            item_element(channel, item)
        return to_xml(rss)
