"""BibTeX (eprints.md §5): one entry per item, with a readable citation key.

Values are LaTeX: the special characters are escaped and accented Latin letters written
as accent commands (``M{\\"u}ller``), as bibtexparser's LatexEncodingMiddleware does, so
classic BibTeX sorts and prints them; other scripts stay UTF-8. Words with capitals in
titles are braced (``{Pakistan-US}``) so that styles which lower-case titles keep them.
"""

import re
import unicodedata
from collections.abc import Iterator, Sequence
from itertools import count, product
from string import ascii_lowercase

from eprints_app.enums import ItemType, ThesisType
from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.item_facts import authors, doi, editors, page_range, subtype_label
from eprints_app.models import Creator, Item
from eprints_app.text import one_line

ENTRY_TYPES = {
    ItemType.MONOGRAPH: "techreport",
    ItemType.ARTICLE: "article",
    ItemType.BOOK: "book",
    ItemType.BOOK_SECTION: "incollection",
    ItemType.CONFERENCE_ITEM: "inproceedings",
}
MASTERS_LEVEL = {ThesisType.MASTERS, ThesisType.DIPLOMA}

SPECIALS = {
    "\\": r"{\textbackslash}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
}
LETTERS = {"ß": r"{\ss}", "ø": r"{\o}", "Ø": r"{\O}", "æ": r"{\ae}", "Æ": r"{\AE}", "œ": r"{\oe}"}
LETTERS |= {"Œ": r"{\OE}", "ł": r"{\l}", "Ł": r"{\L}", "ı": r"{\i}"}
# Combining marks and the LaTeX accent commands that write them.
ACCENTS = {
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0308": '"',
    "\u0304": "=",
    "\u0307": ".",
    "\u0306": "u",
    "\u030c": "v",
    "\u030a": "r",
    "\u030b": "H",
    "\u0327": "c",
    "\u0328": "k",
    "\u0323": "d",
}
STOP_WORDS = {"a", "an", "the", "on", "of", "in", "and", "to", "for", "at", "by", "with", "from"}
# URLs are verbatim in biblatex: only what would break the entry is escaped.
URL_SPECIALS = {"%": r"\%", "{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}


def accented(char: str) -> str | None:
    """``{\\"u}`` for "ü": a Latin letter with one accent that LaTeX can write; else None."""
    parts = unicodedata.normalize("NFD", char)
    if len(parts) != 2 or not parts[0].isascii() or parts[1] not in ACCENTS:
        return None
    base = r"\i" if parts[0] == "i" else parts[0]
    command = ACCENTS[parts[1]]
    return f"{{\\{command}{base}}}" if not command.isalpha() else f"{{\\{command}{{{base}}}}}"


def latex(text: str) -> str:
    """Plain text as a LaTeX value of a BibTeX field."""
    out = []
    for char in one_line(text):
        if char in SPECIALS:
            out.append(SPECIALS[char])
        elif char in LETTERS:
            out.append(LETTERS[char])
        elif not char.isascii() and (written := accented(char)):
            out.append(written)
        else:
            out.append(char)
    return "".join(out)


def title_value(text: str) -> str:
    """A title whose words with capitals (other than its first letter) are braced."""
    words = one_line(text).split(" ")
    protected = []
    for index, word in enumerate(words):
        rest = word[1:] if index == 0 else word
        value = latex(word)
        protected.append(f"{{{value}}}" if any(c.isupper() for c in rest) else value)
    return " ".join(protected)


def name_value(person: Creator) -> str:
    """ "Family, Given", with braces where BibTeX would otherwise split the name wrongly."""
    family, given = latex(person.family), latex(person.given)
    if "," in person.family or " and " in f" {person.family.lower()} " or (not given and " " in family):
        family = f"{{{family}}}"
    if "," in person.given or " and " in f" {person.given.lower()} ":
        given = f"{{{given}}}"
    return f"{family}, {given}" if given else family


def names_value(people: list[Creator]) -> str:
    return " and ".join(name_value(person) for person in people)


def url_value(url: str) -> str:
    return "".join(URL_SPECIALS.get(char, char) for char in one_line(url))


def ascii_word(text: str) -> str:
    """Lower-case ASCII letters and digits of the text ("Müller" -> "muller")."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def citation_key(item: Item) -> str:
    """First author's family name, year and first significant title word: "ahmar2021changing"."""
    people = authors(item) or editors(item)
    name = ascii_word(people[0].family) if people else ""
    words = [ascii_word(word) for word in item.title.split()]
    word = next((w for w in words if w and w not in STOP_WORDS), "")
    return f"{name or 'anon'}{item.year}{word}"


def entry_type(item: Item) -> str:
    if item.type == ItemType.THESIS:
        return "mastersthesis" if item.thesis_type in MASTERS_LEVEL else "phdthesis"
    return ENTRY_TYPES.get(item.type, "misc")


def entry_fields(item: Item) -> list[tuple[str, str]]:
    """(field, LaTeX value) pairs, empty ones left out."""
    kind = entry_type(item)
    first, last = page_range(item)
    host = {
        "incollection": item.book_title,
        "inproceedings": item.book_title or item.publication or item.event_title,
    }.get(kind, "")
    organisation = item.institution or item.publisher
    fields = [
        ("author", names_value(authors(item))),
        ("editor", names_value(editors(item))),
        ("title", title_value(item.title)),
        ("journal", latex(item.publication) if kind == "article" else ""),
        ("booktitle", title_value(host) if host else ""),
        ("year", latex(item.year)),
        ("volume", latex(item.volume)),
        ("number", latex(item.number)),
        ("pages", f"{latex(first)}--{latex(last)}" if first else latex(item.pagerange)),
        ("publisher", latex(item.publisher)),
        ("institution", latex(organisation) if kind == "techreport" else ""),
        ("school", latex(item.institution) if kind.endswith("thesis") else ""),
        ("address", latex(item.place_of_pub or (item.event_location if kind == "inproceedings" else ""))),
        ("series", latex(item.series)),
        ("edition", latex(item.edition)),
        ("type", latex(subtype_label(item)) if kind == "techreport" else ""),
        ("isbn", latex(item.isbn)),
        ("issn", latex(item.issn)),
        ("doi", url_value(doi(item))),
        ("url", url_value(item.official_url or item.uri)),
        ("note", latex(item.note)),
        ("keywords", latex(item.keywords)),
        ("abstract", latex(item.abstract)),
    ]
    return [(name, value) for name, value in fields if value]


def key_suffixes() -> Iterator[str]:
    """a, b, ... z, aa, ab, ..."""
    for length in count(1):
        for letters in product(ascii_lowercase, repeat=length):
            yield "".join(letters)


def unique_keys(items: Sequence[Item]) -> list[str]:
    """Citation keys, made unique within one export by a letter: key, keya, keyb..."""
    used: set[str] = set()
    keys = []
    for item in items:
        key = base = citation_key(item)
        suffixes = key_suffixes()
        while key in used:
            key = base + next(suffixes)
        used.add(key)
        keys.append(key)
    return keys


@register
class BibTeX(ExportFormat):
    identifier = "BibTeX"
    name = "BibTeX"
    extension = "bib"
    content_type = "application/x-bibtex; charset=utf-8"

    def render(self, items: Sequence[Item]) -> str:
        entries = []
        for item, key in zip(items, unique_keys(items), strict=True):
            body = "".join(f"  {name} = {{{value}}},\n" for name, value in entry_fields(item))
            entries.append(f"@{entry_type(item)}{{{key},\n{body}}}\n")
        return "\n".join(entries)
