"""EPrints' "ASCII Citation" export: the default citation line, one item a paragraph."""

from collections.abc import Sequence

from eprints_app.citation import build_citation
from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.models import Item


@register
class TextCitation(ExportFormat):
    identifier = "Text"
    name = "ASCII Citation"
    extension = "txt"
    content_type = "text/plain; charset=utf-8"

    def render(self, items: Sequence[Item]) -> str:
        return "".join(f"{build_citation(item).text}\n{item.uri}\n\n" for item in items)
