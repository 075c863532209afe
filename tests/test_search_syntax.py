"""The query syntax (web-search style), its FTS5 translation, and snippet markup: no database."""

import sqlite3

import pytest

from eprints_app.search.snippets import START, STOP, render
from eprints_app.search.syntax import MAX_QUERY_LENGTH, Alternative, parse, to_fts5


def test_words_are_all_required():
    assert parse("climate finance") == (Alternative(("climate", "finance")),)


def test_quotes_make_a_phrase_and_an_unclosed_quote_runs_to_the_end():
    assert parse('"climate change" policy') == (Alternative(("climate change", "policy")),)
    assert parse('policy "climate   change') == (Alternative(("policy", "climate change")),)


def test_or_separates_alternatives_binding_more_loosely_than_and_as_postgresql_does():
    assert parse("a b OR c d") == (Alternative(("a", "b")), Alternative(("c", "d")))
    assert parse("climate or energy") == (Alternative(("climate",)), Alternative(("energy",)))


def test_a_leading_minus_excludes_a_word_or_a_phrase():
    assert parse('trade -europe -"free trade"') == (Alternative(("trade",), ("europe", "free trade")),)


def test_a_minus_inside_a_word_is_part_of_it():
    assert parse("long-term") == (Alternative(("long-term",)),)


NOTHING = ["", "   ", "OR", "OR -", "-", '""', "- OR -x", "-policy", "... !!! ***", "OR OR"]


@pytest.mark.parametrize("query", NOTHING)
def test_queries_with_nothing_to_search_for_parse_to_nothing(query):
    assert parse(query) == ()


def test_an_alternative_with_only_exclusions_is_dropped():
    assert parse("x OR -y") == (Alternative(("x",)),)


def test_input_past_the_limit_is_ignored():
    assert parse("a " * MAX_QUERY_LENGTH + "zebra") == (Alternative(("a",) * (MAX_QUERY_LENGTH // 2)),)


def test_fts5_translation_quotes_every_term():
    alternatives = parse('climate "net zero" -coal OR energy')
    assert to_fts5(alternatives) == '(("climate" AND "net zero") NOT "coal") OR ("energy")'


def test_fts5_translation_can_be_limited_to_columns():
    assert to_fts5(parse("smith"), ("creators",)) == '{creators} : (("smith"))'


def test_double_quotes_inside_a_term_are_doubled():
    assert to_fts5(parse('o"brien')) == '("o" AND "brien")'
    assert to_fts5((Alternative(('say "hi"',)),)) == '("say ""hi""")'


HOSTILE = [
    'NEAR(a b) AND OR NOT ^ * : {title} "',
    "'; DROP TABLE eprints_app_item; --",
    '<script>alert("x")</script>',
    "title:foo creators:(bar OR baz)",
    "a AND -b NOT c OR -(d)",
    '"""" - - " OR "',
    "\\ \\\\ %s %% ? ?1 :name @x $y",
    "ü ß 東京 مرحبا 🙂",
    "x" * 600,
    "a* b^ ^c d:e",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_no_input_makes_an_fts5_syntax_error(query):
    database = sqlite3.connect(":memory:")
    database.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='porter unicode61')")
    database.execute("INSERT INTO t VALUES ('a b c d e foo bar', 'x')")
    alternatives = parse(query)
    if alternatives:
        for columns in ((), ("title",), ("title", "body")):
            database.execute(
                "SELECT rowid FROM t WHERE t MATCH ?", [to_fts5(alternatives, columns)]
            ).fetchall()


def test_snippets_escape_the_text_and_mark_only_the_matches():
    text = f'<b>Bold</b> & {START}climate{STOP} "change"'
    assert render(text) == "&lt;b&gt;Bold&lt;/b&gt; &amp; <mark>climate</mark> &quot;change&quot;"


def test_stray_markers_cannot_unbalance_the_markup():
    assert render(f"a {STOP} b {START}c {START}d") == "a  b <mark>c d</mark>"


def test_snippet_whitespace_is_collapsed():
    assert render("a\n\n  b\tc") == "a b c"
