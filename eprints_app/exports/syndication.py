"""Atom (RFC 4287) and RSS 2.0 documents of a list of items: the one implementation behind
the syndication feeds (``eprints_app.feeds``) and the Atom and RSS 2.0 export formats.

Every entry gives the item's title, dates, each creator (in Atom an <author> with the ORCID
iD as its <uri>; in RSS a <dc:creator>, since RSS's own <author> is an email address), its
open-access files as enclosures (Atom only: RSS allows one per item) and its subjects as
categories. ``ItemsFeed`` says what the feed is about and links to, with the defaults of the
export formats; the syndication feeds override what differs, much as a Django ``Feed`` does.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from uuid import NAMESPACE_URL, uuid5

from django.conf import settings
from django.utils import timezone
from lxml import etree

from eprints_app.exports.xmltext import sub, sub_if, to_xml
from eprints_app.item_facts import authors, download_url, open_documents, orcid_url
from eprints_app.models import Item

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
A = f"{{{ATOM_NS}}}"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
RSS_TYPE = "application/rss+xml; charset=utf-8"


class ItemsFeed:
    """A feed of the given items (prefetched with ``Item.objects.with_parts()``), newest first
    as given. Subclasses override the methods that name and link the feed and its entries."""

    #: Atom's type of the summary: "text", or "html" when ``summary`` gives escaped HTML.
    summary_type = "text"
    #: UTC times as "Z" (Atom) and "GMT" (RSS), or with True as numeric offsets ("+00:00",
    #: "+0000"): the same instants, in the forms each feed's subscribers have always had.
    utc_as_offset = False

    def title(self) -> str:
        return settings.REPOSITORY_NAME

    def subtitle(self) -> str:
        return f"Items from {settings.REPOSITORY_NAME}"

    def link(self) -> str:
        """The web page the feed follows."""
        return f"{settings.BASE_URL}/"

    def self_link(self) -> str:
        """The feed's own address, for a feed that has one."""
        return ""

    def author(self) -> str:
        """The feed's author, whom entries without creators take (RFC 4287 §4.1.1)."""
        return settings.REPOSITORY_NAME

    def feed_id(self, items: Sequence[Item]) -> str:
        """A permanent ID for this list of items: the same items always give the same ID."""
        ids = ",".join(str(item.pk) for item in items)
        return f"urn:uuid:{uuid5(NAMESPACE_URL, f'{settings.BASE_URL}/cgi/export?eprints={ids}')}"

    def entry_link(self, item: Item) -> str:
        """The entry's link and ID."""
        return item.uri

    def summary(self, item: Item) -> str:
        return item.abstract

    def updated(self, items: Sequence[Item]) -> datetime:
        """The latest change to any of the items (now, for no items)."""
        return max((item.last_modified for item in items), default=None) or timezone.now()

    def atom_time(self, value: datetime) -> str:
        value = value.astimezone(UTC).replace(microsecond=0)
        return value.isoformat() if self.utc_as_offset else value.strftime("%Y-%m-%dT%H:%M:%SZ")

    def rss_time(self, value: datetime) -> str:
        return format_datetime(value.astimezone(UTC), usegmt=not self.utc_as_offset)

    def atom(self, items: Sequence[Item]) -> str:
        feed = etree.Element(f"{A}feed", nsmap={None: ATOM_NS})
        feed.set("{http://www.w3.org/XML/1998/namespace}lang", settings.LANGUAGE_CODE)
        sub(feed, f"{A}id", self.feed_id(items))
        sub(feed, f"{A}title", self.title(), type="text")
        sub(feed, f"{A}subtitle", self.subtitle(), type="text")
        sub(feed, f"{A}updated", self.atom_time(self.updated(items)))
        if self.author():
            sub(sub(feed, f"{A}author"), f"{A}name", self.author())
        sub(feed, f"{A}link", rel="alternate", type="text/html", href=self.link())
        if self.self_link():
            sub(feed, f"{A}link", rel="self", href=self.self_link())
        for item in items:
            self.atom_entry(feed, item)
        return to_xml(feed)

    def atom_entry(self, feed: etree._Element, item: Item) -> None:
        entry = sub(feed, f"{A}entry")
        sub(entry, f"{A}id", self.entry_link(item))
        sub(entry, f"{A}title", item.title, type="text")
        sub(entry, f"{A}updated", self.atom_time(item.last_modified))
        if item.date_deposited:
            sub(entry, f"{A}published", self.atom_time(item.date_deposited))
        for person in authors(item):
            author = sub(entry, f"{A}author")
            sub(author, f"{A}name", person.name)
            sub_if(author, f"{A}uri", orcid_url(person))
        sub(entry, f"{A}link", rel="alternate", type="text/html", href=self.entry_link(item))
        for document in open_documents(item):
            link = sub(entry, f"{A}link", rel="enclosure", href=download_url(document))
            link.set("type", document.mime_type)
            link.set("length", str(document.filesize))
        sub_if(entry, f"{A}summary", self.summary(item), type=self.summary_type)
        for subject in item.subject_list:
            sub(entry, f"{A}category", term=subject.code, label=subject.name)

    def rss(self, items: Sequence[Item]) -> str:
        rss = etree.Element("rss", nsmap={"atom": ATOM_NS, "dc": DC_NS}, version="2.0")
        channel = sub(rss, "channel")
        sub(channel, "title", self.title())
        sub(channel, "link", self.link())
        sub(channel, "description", self.subtitle())
        if self.self_link():
            sub(channel, f"{A}link", rel="self", href=self.self_link())
        sub(channel, "language", settings.LANGUAGE_CODE)
        sub(channel, "lastBuildDate", self.rss_time(self.updated(items)))
        for item in items:
            self.rss_item(channel, item)
        return to_xml(rss)

    def rss_item(self, channel: etree._Element, item: Item) -> None:
        element = sub(channel, "item")
        sub(element, "title", item.title)
        sub(element, "link", self.entry_link(item))
        sub(element, "guid", self.entry_link(item), isPermaLink="true")
        sub_if(element, "description", self.summary(item))
        sub(element, "pubDate", self.rss_time(item.date_deposited or item.last_modified))
        for person in authors(item):
            sub(element, f"{{{DC_NS}}}creator", person.name)
        for subject in item.subject_list:
            sub(element, "category", subject.name)
