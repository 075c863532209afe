"""Browse views' data (eprints.md §8): years, subject and division trees, authors and item types.

Each module builds plain data for the views in ``eprints_app.views.browse``, from live items
only, in a fixed number of queries, and caches it under the listing generation (``cache``).
"""
