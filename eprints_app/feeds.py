"""Atom and RSS 2.0 feeds of the latest additions to the live archive (eprints.md §4).

They are the documents of the Atom and RSS 2.0 exports (``exports.syndication.ItemsFeed``)
with the feed's own name and address: each entry links to the item page and carries the
citation as its description. Only live items, newest deposit first.
"""

from collections.abc import Sequence

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import http_date

from eprints_app.citation import build_citation
from eprints_app.exports.syndication import ATOM_TYPE, RSS_TYPE, ItemsFeed
from eprints_app.item_facts import absolute_url, page_url
from eprints_app.models import Item

FEED_SIZE = 20


def latest_additions() -> QuerySet[Item]:
    """Live items, the most recently deposited first: the feeds, /cgi/latest and the home page."""
    return Item.objects.live().with_parts().order_by("-date_deposited", "-id")


class LatestAdditions(ItemsFeed):
    """The newest FEED_SIZE live items. An instance of a subclass is the view of its URL."""

    #: The feed's content type and URL name.
    content_type = ""
    url_name = ""
    summary_type = "html"
    utc_as_offset = True

    def title(self) -> str:
        return f"{settings.REPOSITORY_NAME}: latest additions"

    def subtitle(self) -> str:
        return f"The items most recently added to {settings.REPOSITORY_NAME}."

    def link(self) -> str:
        return absolute_url(reverse("latest"))

    def self_link(self) -> str:
        return absolute_url(reverse(self.url_name))

    def author(self) -> str:
        # The feed names no author of its own: its entries name theirs.
        return ""

    def feed_id(self, items: Sequence[Item]) -> str:
        return self.link()

    def entry_link(self, item: Item) -> str:
        return page_url(item)

    def summary(self, item: Item) -> str:
        # Feed readers take descriptions as HTML: the citation is text, so it is escaped.
        return escape(build_citation(item).text)

    def render(self, items: Sequence[Item]) -> str:
        """The feed's document: Atom or RSS 2.0."""
        raise NotImplementedError

    def __call__(self, request: HttpRequest) -> HttpResponse:
        items = list(latest_additions()[:FEED_SIZE])
        response = HttpResponse(self.render(items), content_type=self.content_type)
        # Feed readers compare it with their copy's, as with Django's syndication views.
        response["Last-Modified"] = http_date(self.updated(items).timestamp())
        return response


class LatestAtom(LatestAdditions):
    content_type = ATOM_TYPE
    url_name = "latest_atom"

    def render(self, items: Sequence[Item]) -> str:
        return self.atom(items)


class LatestRss(LatestAdditions):
    content_type = RSS_TYPE
    url_name = "latest_rss"

    def render(self, items: Sequence[Item]) -> str:
        return self.rss(items)
