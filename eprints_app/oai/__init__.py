"""The OAI-PMH 2.0 provider at /cgi/oai2 (eprints.md §6).

``views`` answers HTTP, ``arguments`` checks a request against the ``verbs`` table,
``verbs`` answers each verb from ``records`` (what is harvested, a page at a time),
``pages`` (list pages rendered once and kept in the cache), ``sets`` and ``tokens``
(signed, stateless resumption tokens); failures are the protocol's own errors
(``errors``), always answered with HTTP 200.
"""
