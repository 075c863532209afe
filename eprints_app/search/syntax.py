"""The query syntax readers type: web-search style, read as PostgreSQL's websearch_to_tsquery reads it.

Words are ANDed; "quoted words" are a phrase (an unclosed quote runs to the end); a leading
"-" excludes a word or phrase; the word OR makes alternatives, binding more loosely than AND,
so ``a b OR c d`` means (a AND b) OR (c AND d). ``to_fts5`` writes the same query in SQLite
FTS5's MATCH syntax with every term quoted, so no input can produce an FTS5 syntax error.
"""

import re
from dataclasses import dataclass

# Longer input is cut here: enough for any real query, and it bounds the work a query can cause.
MAX_QUERY_LENGTH = 500

TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')


@dataclass(frozen=True)
class Alternative:
    """Terms that must all match, and terms that must not."""

    include: tuple[str, ...]
    exclude: tuple[str, ...] = ()


def has_word(text: str) -> bool:
    return any(char.isalnum() for char in text)


def parse(text: str) -> tuple[Alternative, ...]:
    """The alternatives of a query; empty when it has nothing to search for.

    Alternatives with only exclusions are dropped ("OR -x" cannot be searched for on its own),
    and so are terms without a letter or digit, which no index holds.
    """
    groups: list[list[tuple[bool, str]]] = [[]]
    for match in TOKEN.finditer(text[:MAX_QUERY_LENGTH]):
        negated, phrase, word = bool(match[1]), match[2], match[3]
        if word is not None and not negated and word.lower() == "or":
            if groups[-1]:
                groups.append([])
            continue
        term = phrase if phrase is not None else word
        if has_word(term):
            groups[-1].append((negated, " ".join(term.split())))
    alternatives = []
    for group in groups:
        include = tuple(term for negated, term in group if not negated)
        if include:
            alternatives.append(Alternative(include, tuple(term for negated, term in group if negated)))
    return tuple(alternatives)


def fts5_string(term: str) -> str:
    """An FTS5 string: the tokenizer splits it into a phrase; nothing in it is an operator."""
    return '"' + term.replace('"', '""') + '"'


def to_fts5(alternatives: tuple[Alternative, ...], columns: tuple[str, ...] = ()) -> str:
    """The query as an FTS5 MATCH expression, limited to ``columns`` when given."""
    parts = []
    for alternative in alternatives:
        expression = " AND ".join(fts5_string(term) for term in alternative.include)
        for term in alternative.exclude:
            expression = f"({expression}) NOT {fts5_string(term)}"
        parts.append(f"({expression})")
    expression = " OR ".join(parts)
    if columns:
        return f"{{{' '.join(columns)}}} : ({expression})"
    return expression
