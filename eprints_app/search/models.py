"""The search index: one row per live item, holding exactly what search may match and show."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """The searchable text and facets of a live item, written only by
    ``eprints_app.services.search_index``.

    It holds the full text of open-access documents only, so neither matching nor snippets
    can reveal text a reader may not download. On PostgreSQL ``vector`` is the weighted
    tsvector of everything (GIN-indexed, for matching), ``rank_vector`` that of everything
    but the full text (small, kept in the row, for ranking) and ``text_vector`` that of the full
    text alone (GIN-indexed, for searches of the full text); on SQLite they stay NULL and an
    FTS5 table kept in step by triggers (see migration 0005) indexes the text columns instead.
    """

    item = models.OneToOneField(
        "eprints_app.Item", on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    title = models.TextField(blank=True)
    identifiers = models.TextField(blank=True, help_text="Eprint ID, DOI or other number, ISBN, ISSN.")
    creators = models.TextField(blank=True, help_text="Creators and editors, given and family names.")
    keywords = models.TextField(blank=True)
    classification = models.TextField(blank=True, help_text="Subject and division paths.")
    abstract = models.TextField(blank=True)
    full_text = models.TextField(blank=True, help_text="Text of the open-access documents only.")
    sort_author = models.CharField(max_length=512, blank=True)
    # The item's fields that search filters, counts and orders by, copied so that a search
    # reads the entries alone and never the (much wider) items.
    type = models.CharField(max_length=32, blank=True)
    date = models.CharField(max_length=10, blank=True)
    ispublished = models.CharField(max_length=16, blank=True)
    refereed = models.BooleanField(default=False)
    # The lineages of the item's subjects and of its divisions, each between colons
    # (":J:JZ: :H:HB:"): the item lies under a heading when ":<its lineage>:" occurs in them, so
    # subject and division filters and facet counts read the entry alone, without a join.
    subject_lineages = models.TextField(blank=True)
    division_lineages = models.TextField(blank=True)
    # The top-level headings of those, in the same form (":J: :H:"): few distinct values, so
    # the facets of the top level count groups of them rather than test every match.
    subject_roots = models.TextField(blank=True)
    division_roots = models.TextField(blank=True)
    indexed_on = models.DateField(help_text="Documents whose embargo ends after this date are not in it yet.")
    vector = SearchVectorField(null=True, editable=False)
    rank_vector = SearchVectorField(null=True, editable=False)
    text_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = "search index entry"
        verbose_name_plural = "search index entries"
        indexes = [
            GinIndex(fields=["vector"], name="search_entry_vector"),
            GinIndex(fields=["text_vector"], name="search_entry_text_vector"),
            # For the filters (type, year range) and the newest-first order.
            models.Index(fields=["type", "date"], name="search_entry_type_date"),
            models.Index(fields=["date"], name="search_entry_date"),
        ]

    def __str__(self) -> str:
        return f"Search entry of item {self.item_id}"
