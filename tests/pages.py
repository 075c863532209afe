"""Reading the site's pages in tests: the parsed HTML, what a list shows, what a page costs."""

import lxml.html
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def html(response) -> lxml.html.HtmlElement:
    """The page of a response that must have succeeded."""
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def entries(response) -> list[str]:
    """A browse index's entries as read, white space folded: "2021 (3)"."""
    return [
        " ".join(li.text_content().split()) for li in html(response).xpath('//ul[@class="browse-entries"]/li')
    ]


def links(response) -> list[str]:
    """The addresses a browse index's entries link to, in order."""
    return html(response).xpath('//ul[@class="browse-entries"]//a/@href')


def titles(response) -> list[str]:
    """The titles of the citations a list page shows, in order."""
    return [a.text_content() for a in html(response).xpath('//p[@class="citation"]/a')]


def queries_for(client, path: str) -> int:
    """The queries one successful request for ``path`` makes."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def uncached_queries(client, *paths: str) -> list[int]:
    """The queries each page makes when rendered afresh, the cache emptied before each."""
    counts = []
    for path in paths:
        cache.clear()
        counts.append(queries_for(client, path))
    return counts
