"""/sitemap.xml: an index of sections listing every live item page with its Last Modified,
the fixed pages and the browse pages; a section longer than the protocol's 50,000 URLs is
split into pages (?p=2, ...), each listed in the index.

URLs are on BASE_URL whatever host the request came in on, as on every public surface.
"""

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from eprints_app.browse.pages import browse_pages
from eprints_app.models import Item


class OnBaseUrl(Sitemap):
    """URLs on BASE_URL's scheme and host rather than the request's."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.BASE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.BASE_URL).netloc


class ItemSitemap(OnBaseUrl):
    # The sitemaps.org protocol's limit per file; Django then pages with ?p=2.
    limit = 50_000

    def items(self) -> QuerySet[Item]:
        return Item.objects.live().only("id", "last_modified").order_by("id")

    def lastmod(self, item: Item) -> datetime:
        return item.last_modified


class PageSitemap(OnBaseUrl):
    """The fixed public pages, by URL name."""

    def items(self) -> list[str]:
        return ["home", "about", "latest"]

    def location(self, name: str) -> str:
        return reverse(name)


class BrowseSitemap(OnBaseUrl):
    """The browse menu and indexes, and each year, subject, division and type page with items."""

    def items(self) -> list[str]:
        return browse_pages()

    def location(self, url: str) -> str:
        return url


SITEMAPS = {"pages": PageSitemap, "items": ItemSitemap, "browse": BrowseSitemap}


def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """The sitemap index: one entry per page of each section, on BASE_URL."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        location = settings.BASE_URL + reverse("sitemap_section", args=[section])
        for page in sitemap_class().paginator.page_range:
            entries.append(SitemapIndexItem(location + (f"?p={page}" if page > 1 else ""), None))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
