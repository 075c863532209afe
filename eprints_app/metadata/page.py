"""Everything the item page's head (and its COinS span and Export menu) shows machines,
built in Python so that the template only loops."""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from eprints_app.exports.coins import coins_title
from eprints_app.metadata.alternates import ExportLink, export_links
from eprints_app.metadata.dublin_core_meta import dublin_core_tags
from eprints_app.metadata.fields import Tag
from eprints_app.metadata.highwire import highwire_tags
from eprints_app.metadata.schema_org import json_ld_script
from eprints_app.models import Item


@dataclass(frozen=True)
class ItemHead:
    #: (name, content) pairs for <meta name content>: Highwire Press, then Dublin Core.
    meta_tags: list[Tag]
    #: Public export formats: <link rel="alternate"> and the Export menu.
    exports: list[ExportLink]
    #: The escaped text of the <script type="application/ld+json"> element.
    json_ld: SafeString
    #: The title of the COinS <span class="Z3988">.
    coins: str


def item_head(item: Item) -> ItemHead:
    """The head of a live item's page, from the prefetched item (no queries)."""
    return ItemHead(
        meta_tags=highwire_tags(item) + dublin_core_tags(item),
        exports=export_links(item),
        json_ld=json_ld_script(item),
        coins=coins_title(item),
    )
