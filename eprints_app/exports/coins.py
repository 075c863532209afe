"""COinS: the OpenURL key/value string that goes in the title of a <span class="Z3988">.

One line per item. The string is URL-encoded; it still needs HTML attribute escaping
("&" as "&amp;") when it is put into a page.
"""

from collections.abc import Sequence
from urllib.parse import quote, urlencode

from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.exports.openurl import referent, referrer_id
from eprints_app.models import Item
from eprints_app.text import one_line


def coins_title(item: Item) -> str:
    """The KEV ContextObject: ctx_ver=Z39.88-2004&rft_val_fmt=...&rft.atitle=..."""
    ref = referent(item)
    pairs = [
        ("ctx_ver", "Z39.88-2004"),
        ("ctx_enc", "info:ofi/enc:UTF-8"),
        ("rfr_id", referrer_id()),
        ("rft_val_fmt", f"info:ofi/fmt:kev:mtx:{ref.format}"),
    ]
    pairs += [("rft_id", identifier) for identifier in ref.identifiers]
    if ref.authors:
        first = ref.authors[0]
        pairs += [("rft.aulast", first.family), ("rft.aufirst", first.given)]
        pairs += [("rft.au", person.name) for person in ref.authors]
    pairs += [(f"rft.{key}", value) for key, value in ref.fields]
    return urlencode([(key, one_line(value)) for key, value in pairs if one_line(value)], quote_via=quote)


@register
class COinS(ExportFormat):
    identifier = "COinS"
    name = "OpenURL ContextObject in Span (COinS)"
    extension = "txt"
    content_type = "text/plain; charset=utf-8"

    def render(self, items: Sequence[Item]) -> str:
        return "".join(f"{coins_title(item)}\n" for item in items)
