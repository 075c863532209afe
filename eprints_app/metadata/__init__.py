"""Machine-readable descriptions of an item for its page's head and headers.

Each module turns one prefetched item (``Item.objects.with_parts()``) into one vocabulary
without touching the database: Highwire Press and Dublin Core meta tags, schema.org
JSON-LD, COinS, FAIR Signposting links. ``page.item_head`` gathers them for the template.
"""
