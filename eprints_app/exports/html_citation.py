"""EPrints' "HTML Citation": the default citation of each item as a paragraph to paste into a page.

Everything from the record is escaped; the title links to the item's public URI.
"""

from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from eprints_app.citation import build_citation
from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.models import Item
from eprints_app.text import one_line


def citation_html(item: Item) -> str:
    citation = build_citation(item)
    parts = []
    if citation.names:
        parts.append(format_html('<span class="person_name">{}</span>', one_line(citation.names)))
    if citation.year:
        parts.append(format_html("({})", citation.year))
    parts.append(format_html('<a href="{}"><em>{}</em></a>', item.uri, one_line(citation.title)))
    if citation.tail:
        parts.append(format_html("{}", one_line(citation.tail)))
    return format_html('<p class="citation">{}</p>', mark_safe(" ".join(parts)))


@register
class HTMLCitation(ExportFormat):
    identifier = "HTML"
    name = "HTML Citation"
    extension = "html"
    content_type = "text/html; charset=utf-8"

    def render(self, items: Sequence[Item]) -> str:
        return "".join(f"{citation_html(item)}\n" for item in items)
