"""Search: the index, the query syntax, and one small module per backend.

- ``models.SearchEntry``: one row per live item with the text search may match and show
  (only open-access documents' text), written by ``eprints_app.services.search_index``.
- ``postgres``: a weighted tsvector with a GIN index, websearch queries, ts_rank, ts_headline.
- ``sqlite``: an FTS5 table kept in step by triggers, the same syntax translated by ``syntax``,
  bm25 with column weights, snippet().
- ``criteria``, ``facets``, ``classification``, ``snippets``, ``forms``: backend-independent parts.

``eprints_app.services.search`` picks the backend from the database in use.
"""
