"""Usage statistics to the COUNTER Code of Practice, Release 5.

``sessions`` (the daily salt and the session key), ``robots`` (the COUNTER robots list),
``recording`` (what is counted, buffered inserts), ``aggregation`` (monthly totals and uniques,
pruning), ``periods`` (report periods from query parameters), ``reports`` (an item's figures,
the site's tables, the Item Report), ``charts`` (server-rendered SVG).
"""
