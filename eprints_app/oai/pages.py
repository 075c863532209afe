"""Pages of ListRecords and ListIdentifiers, rendered once and kept in the cache.

Fetching a hundred items with their creators, documents, subjects and divisions and writing
their metadata is nearly all of a page's time; a harvester walking the whole list again (or
another harvester after it) asks for the same pages, since each starts after the last key
sent. A page is kept under

- the listing generation (``browse.cache``), which every change to an item, its parts, or the
  subjects and divisions it is filed under moves (renames change setSpecs and dc:subject);
- today's date, since embargoes end at midnight with nothing saved (open documents, ``driver``);
- the metadataPrefix (none for ListIdentifiers' headers);
- each record's ID, Last Modified, revision and status, from the one query that finds the
  page, so that a change made without signals (a queryset update) is seen too.

A kept page then costs that query and one cache read. Whole pages are kept rather than single
records: the file cache (the production default) lists its folder on every write to count its
entries, which made writing a hundred records a page slower than rendering them (about 3 ms a
write at 1,000 entries, 10 ms at 5,000), and a large repository's records would crowd every
other kept page out of its ``MAX_ENTRIES``. What single records would add, sharing between
harvests of different sets or dates, is lost at the next change anyway: any change moves the
generation.

A kept page is the same bytes as a fresh one (tests/test_oai_kept_pages.py), but for METS'
CREATEDATE, which stays the time the document was made; responseDate is the response's own.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from eprints_app.browse.cache import generation
from eprints_app.exports import ExportFormat
from eprints_app.models import Item
from eprints_app.oai import records

# Never read again once the generation moves. A change that moves neither it nor Last Modified
# (a queryset update of other fields) shows within this, as long as a token lives; incremental
# harvesters, which go by datestamps, would not see such a change at all.
TIMEOUT = 24 * 3600


@dataclass(frozen=True)
class Page:
    #: The records (or headers), one a line, as they go in the response, escaped already.
    xml: str
    keys: list[records.Key]
    more: bool


def page(items: QuerySet[Item], after: tuple[datetime, int] | None, fmt: ExportFormat | None) -> Page:
    """The page of ``items`` after the ``after`` key: records in ``fmt``, or headers when None."""
    # Read before anything the page shows: a change committed after this moves the generation
    # on, so a page rendered from data older than the change is never read again.
    current = generation()
    keys, more = records.page(items, after)
    if not keys:
        return Page("", keys, more)
    key = page_key(current, fmt, keys)
    xml = cache.get(key)
    if xml is None:
        xml = render(keys, fmt)
        cache.set(key, xml, TIMEOUT)
    return Page(xml, keys, more)


def page_key(current: int, fmt: ExportFormat | None, keys: list[records.Key]) -> str:
    parts = (fmt.oai_prefix if fmt else None, timezone.localdate().isoformat(), keys)
    return f"oai:{current}:{hashlib.sha256(repr(parts).encode()).hexdigest()[:40]}"


def render(keys: list[records.Key], fmt: ExportFormat | None) -> str:
    """The page's records, each item fetched with only the parts it needs."""
    items = Item.objects.with_parts() if fmt else records.with_header_parts(Item.objects.all())
    # An item deleted since its key was read is left out; its deletion moved the generation.
    found = items.in_bulk([key.pk for key in keys])
    page_items = [found[key.pk] for key in keys if key.pk in found]
    if fmt is None:
        return "".join(f"    {records.header_xml(item)}\n" for item in page_items)
    return "".join(f"    {records.record_xml(item, fmt)}\n" for item in page_items)
