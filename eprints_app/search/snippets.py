"""Snippets: text around the matches, with the matches marked, made safe for HTML.

Both backends mark matches with two control characters; only here do they become <mark>
elements, after everything else has been escaped.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

START, STOP = "\x02", "\x03"
ELLIPSIS = " … "
MARKERS = re.compile(f"([{START}{STOP}])")


def has_match(text: str) -> bool:
    return START in text


def render(text: str) -> SafeString:
    """Escaped text with <mark> around each match; stray markers cannot unbalance the markup."""
    html, open_mark = [], False
    for part in MARKERS.split(" ".join(text.split())):
        if part == START and not open_mark:
            html.append("<mark>")
            open_mark = True
        elif part == STOP and open_mark:
            html.append("</mark>")
            open_mark = False
        elif part not in (START, STOP):
            html.append(escape(part))
    if open_mark:
        html.append("</mark>")
    return mark_safe("".join(html))
