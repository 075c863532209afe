"""FAIR Signposting (https://signposting.org/FAIR/): typed links that tell machines what
the item's persistent identifier, authors, type, licence, files and metadata are.

Level 1: a ``Link`` header on the item page (and ``collection`` on each download).
Level 2: the same links, complete, as a linkset document (RFC 9264,
``application/linkset+json``) at ``/id/eprint/<id>/linkset``.
"""

from dataclasses import dataclass

from django.urls import reverse

from eprints_app.item_facts import (
    absolute_url,
    authors,
    download_url,
    licence_url,
    open_documents,
    orcid_url,
    page_url,
)
from eprints_app.metadata.alternates import ExportLink, export_links
from eprints_app.metadata.schema_org import schema_type
from eprints_app.models import Document, Item

LINKSET_TYPE = "application/linkset+json"

# The Link header stays small enough for every proxy and client: at most this many links.
# The relations that describe the item itself always fit (cite-as, two types, licence,
# linkset: five at most); then file, metadata and author links are added one relation at
# a time, each relation only if all of its links fit, so that no client mistakes a
# truncated list for the whole. The linkset document always holds every link.
MAX_HEADER_LINKS = 20

# A harvester picks a ``describedby`` link by its media type, so only export formats with a
# type of their own are offered there: plain text, HTML and generic XML renderings, and the
# one-item feeds, stay page alternates (and the Export menu) only.
UNSPECIFIC_TYPES = {
    "text/plain",
    "text/html",
    "application/xml",
    "text/xml",
    "application/json",
    "application/atom+xml",
    "application/rss+xml",
}


@dataclass(frozen=True)
class Link:
    href: str
    rel: str
    type: str = ""

    def header_value(self) -> str:
        """One link as RFC 8288 writes it: <href>; rel="..."; type="..."."""
        media_type = f'; type="{self.type}"' if self.type else ""
        return f'<{self.href}>; rel="{self.rel}"{media_type}'

    def target(self) -> dict:
        """The link's target object in a linkset (RFC 9264 §4.2.2)."""
        return {"href": self.href, "type": self.type} if self.type else {"href": self.href}


def linkset_url(item: Item) -> str:
    return absolute_url(reverse("linkset", args=[item.pk]))


def identity_links(item: Item) -> list[Link]:
    """What the landing page says about the item itself."""
    links = [
        Link(item.uri, "cite-as"),
        Link(f"https://schema.org/{schema_type(item)}", "type"),
        Link("https://schema.org/AboutPage", "type"),
    ]
    licence = licence_url(item)
    if licence:
        links.append(Link(licence, "license"))
    return links


def metadata_records(item: Item) -> list[ExportLink]:
    return [e for e in export_links(item) if e.media_type not in UNSPECIFIC_TYPES]


def resource_links(item: Item) -> list[Link]:
    """The item's files, metadata records and authors, in that order of importance."""
    links = [Link(download_url(d), "item", d.mime_type) for d in open_documents(item)]
    links += [Link(e.url, "describedby", e.media_type) for e in metadata_records(item)]
    links += [Link(orcid_url(p), "author") for p in authors(item) if p.orcid]
    return links


def header_links(item: Item) -> list[Link]:
    """The links for the item page's Link header, within MAX_HEADER_LINKS (see above)."""
    chosen = [*identity_links(item), Link(linkset_url(item), "linkset", LINKSET_TYPE)]
    resources = resource_links(item)
    for rel in dict.fromkeys(link.rel for link in resources):
        group = [link for link in resources if link.rel == rel]
        if len(chosen) + len(group) <= MAX_HEADER_LINKS:
            chosen += group
    return chosen


def link_header(links: list[Link]) -> str:
    return ", ".join(link.header_value() for link in links)


def collection_link(document: Document) -> str:
    """The download's way back to its landing page."""
    return link_header([Link(page_url(document.item), "collection", "text/html")])


def linkset(item: Item) -> dict:
    """Every Signposting link of the item as an RFC 9264 JSON linkset: the landing page's
    links, then each file's ``collection`` and each metadata record's ``describes``."""
    landing = page_url(item)
    context: dict = {"anchor": landing}
    for link in [*identity_links(item), *resource_links(item)]:
        context.setdefault(link.rel, []).append(link.target())
    back = [{"href": landing, "type": "text/html"}]
    files = [{"anchor": download_url(d), "collection": back} for d in open_documents(item)]
    records = [{"anchor": e.url, "describes": back} for e in metadata_records(item)]
    return {"linkset": [context, *files, *records]}
