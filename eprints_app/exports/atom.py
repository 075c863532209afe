"""Atom (RFC 4287): a feed of the given items, newest change first as given
(``syndication.ItemsFeed``, which the syndication feeds also write)."""

from collections.abc import Sequence

from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.exports.syndication import ATOM_TYPE, ItemsFeed
from eprints_app.models import Item


@register
class Atom(ExportFormat):
    identifier = "Atom"
    name = "Atom"
    extension = "xml"
    content_type = ATOM_TYPE

    def render(self, items: Sequence[Item]) -> str:
        return ItemsFeed().atom(items)
