"""Thumbnails in pages.

``{% document_thumbnail document as thumb %}`` gives what an ``<img>`` needs, or None, and the
page then shows the format badge; ``{% first_open_document item as document %}`` picks the
document a list row pictures. Public pages show thumbnails of open-access documents only: those
are the same for every reader. No tag here makes a query when the documents come prefetched
with their item (``Item.objects.with_parts()``).
"""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from eprints_app.access import is_open_access
from eprints_app.enums import DerivativeStatus
from eprints_app.models import Document, Item
from eprints_app.services.thumbnails import SIZES

register = template.Library()


@dataclass(frozen=True)
class Thumbnail:
    src: str
    srcset: str
    width: int
    height: int


def thumbnail_url(document: Document, size: str) -> str:
    # The checksum makes a new file a new URL, so browsers may keep a thumbnail for a day.
    url = reverse("thumbnail", args=[document.item_id, document.pos, size])
    return f"{url}?v={document.sha256[:12]}"


def shown(document: Document) -> bool:
    """Whether a public page may show the document's thumbnail. Rendering asks for nothing: a
    thumbnail is queued when its document's file changes (``services.documents``) and by
    ``rebuild_thumbnails``; until it exists the page shows the format badge."""
    return (
        is_open_access(document)
        and document.thumbnail_status == DerivativeStatus.DONE
        and bool(document.thumbnail_small)
    )


@register.simple_tag
def document_thumbnail(document: Document, compact: bool = False) -> Thumbnail | None:
    """The small thumbnail: at its size with the preview for high-density screens, or, ``compact``
    for list rows, at half its size (sharp on high-density screens)."""
    if not shown(document):
        return None
    width, height = SIZES["small"]
    small = thumbnail_url(document, "small")
    if compact:
        return Thumbnail(small, "", width // 2, height // 2)
    srcset = f"{small} {width}w, {thumbnail_url(document, 'preview')} {SIZES['preview'][0]}w"
    return Thumbnail(small, srcset, width, height)


@register.simple_tag
def first_open_document(item: Item) -> Document | None:
    """The item's first document that anyone may download: the one a list row pictures."""
    return next((document for document in item.document_list if is_open_access(document)), None)
