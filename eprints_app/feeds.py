"""Atom and RSS 2.0 feeds of the latest additions to the live archive (eprints.md §4).

Each entry names every creator (an Atom <author> or an RSS <dc:creator> each) and carries
the citation as its description. Only live items, newest deposit first.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from eprints_app.citation import build_citation
from eprints_app.item_facts import absolute_url, authors, orcid_url, page_url
from eprints_app.models import Item
from eprints_app.text import xml_text

FEED_SIZE = 20
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"


def latest_additions() -> QuerySet[Item]:
    """Live items, the most recently deposited first: the feeds, /cgi/latest and the home page."""
    return Item.objects.live().with_parts().order_by("-date_deposited", "-id")


class AtomWithCreators(Atom1Feed):
    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name, uri in item["creators"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if uri:
                handler.addQuickElement("uri", uri)
            handler.endElement("author")


class RssWithCreators(Rss201rev2Feed):
    def rss_attributes(self) -> dict:
        return {**super().rss_attributes(), "xmlns:dc": DC_NAMESPACE}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name, _uri in item["creators"]:
            handler.addQuickElement("dc:creator", name)


class LatestAdditions(Feed):
    """The newest FEED_SIZE live items. Text is stripped of characters XML 1.0 cannot carry,
    which would otherwise stop the whole feed."""

    def title(self) -> str:
        return f"{settings.REPOSITORY_NAME}: latest additions"

    def subtitle(self) -> str:
        return f"The items most recently added to {settings.REPOSITORY_NAME}."

    description = subtitle

    def link(self) -> str:
        return absolute_url(reverse("latest"))

    def items(self) -> list[Item]:
        return list(latest_additions()[:FEED_SIZE])

    def item_title(self, item: Item) -> str:
        return xml_text(item.title)

    def item_link(self, item: Item) -> str:
        return page_url(item)

    def item_description(self, item: Item) -> str:
        # Feed readers take descriptions as HTML: the citation is text, so it is escaped.
        return escape(xml_text(build_citation(item).text))

    def item_pubdate(self, item: Item) -> datetime | None:
        return item.date_deposited

    def item_updateddate(self, item: Item) -> datetime:
        return item.last_modified

    def item_extra_kwargs(self, item: Item) -> dict:
        return {"creators": [(xml_text(person.name), orcid_url(person)) for person in authors(item)]}


class LatestAtom(LatestAdditions):
    feed_type = AtomWithCreators

    def feed_url(self) -> str:
        return absolute_url(reverse("latest_atom"))


class LatestRss(LatestAdditions):
    feed_type = RssWithCreators

    def feed_url(self) -> str:
        return absolute_url(reverse("latest_rss"))
