"""RSS 2.0: a channel of the given items (``syndication.ItemsFeed``, which the syndication
feeds also write)."""

from collections.abc import Sequence

from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.exports.syndication import RSS_TYPE, ItemsFeed
from eprints_app.models import Item


@register
class RSS2(ExportFormat):
    identifier = "RSS2"
    name = "RSS 2.0"
    extension = "xml"
    content_type = RSS_TYPE

    def render(self, items: Sequence[Item]) -> str:
        return ItemsFeed().rss(items)
