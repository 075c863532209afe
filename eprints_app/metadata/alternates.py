"""The item's public export formats as links: the head's ``<link rel="alternate">``, the
"Export" menu and Signposting's ``describedby`` all read the one registry through this."""

from dataclasses import dataclass

from eprints_app.exports import public_formats
from eprints_app.item_facts import absolute_url
from eprints_app.models import Item


@dataclass(frozen=True)
class ExportLink:
    name: str
    url: str
    #: The content type without parameters ("text/plain", not "text/plain; charset=utf-8").
    media_type: str


def export_links(item: Item) -> list[ExportLink]:
    return [
        ExportLink(
            name=fmt.name,
            url=absolute_url(fmt.url(item)),
            media_type=fmt.content_type.split(";")[0].strip(),
        )
        for fmt in public_formats()
    ]
