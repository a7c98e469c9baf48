"""Folding, Snowball stemming and the query syntax built on them: pure functions, no database."""

import re

import pytest

from tracker.search.query import QueryError, fts5_expression, parse, tsquery_expression
from tracker.search.stemmer import fold, stem, terms


@pytest.mark.parametrize(
    "words, expected",
    [
        (["Fachkräfte", "fachkraefte", "Fachkraft", "FACHKRÄFTE"], "fachkraft"),
        (["Förderung", "Foerderung", "Förderungen", "förderung"], "forder"),
        (["Schweißtechnik", "Schweisstechnik", "SCHWEISSTECHNIK"], "schweisstechn"),
        (["Zuschüsse", "Zuschuesse", "Zuschuss"], "zuschuss"),
        (["Häuser", "Haeuser", "Haus"], "haus"),
    ],
)
def test_spellings_and_forms_share_one_stem(words, expected):
    assert {stem(word) for word in words} == {expected}


def test_fold_spells_umlauts_and_sharp_s_in_ascii():
    assert fold("Größe ÄÖÜ äöü ß") == "groesse aeoeue aeoeue ss"


def test_terms_keep_every_word_in_order():
    assert terms("Die Förderung (2026-0042) für KI!") == "die forder 2026 0042 fur ki"


def test_parse_drops_stop_words_and_punctuation():
    query = parse("Die Förderung, für KI!")
    assert [term.stems for term in query.terms] == [("forder",), ("ki",)]


def test_parse_keeps_compound_words_as_phrase():
    (term,) = parse("2026-0042").terms
    assert term.stems == ("2026", "0042") and not term.prefixes


def test_parse_searches_short_stem_also_as_prefix_of_the_word():
    (term,) = parse("Laser").terms
    assert term.stem == "las" and term.prefixes == ("laser",)
    assert term.matches("lasertechn") and term.matches("las") and not term.matches("last")


@pytest.mark.parametrize(
    "text, fts5, tsquery",
    [
        (
            "Förderungen KI 2026-0042",
            '("forder"*) AND ("ki") AND ("2026 0042")',
            "('forder':*) & (('ki')) & (('2026' <-> '0042'))",
        ),
        ("Förderung OR Fachkraft", '("forder"* OR "fachkraft"*)', "('forder':* | 'fachkraft':*)"),
        (
            "Förderung -Handwerk",
            '(("forder"*)) NOT ("handwerk"*)',
            "('forder':*) & !('handwerk':*)",
        ),
        (
            '"Förderung der Ausbildung"',
            '("forder der ausbild")',
            "(('forder' <-> 'der' <-> 'ausbild'))",
        ),
        ("Laser", '("laser"* OR "las")', "('laser':* | 'las')"),
    ],
)
def test_expressions_on_both_databases(text, fts5, tsquery):
    query = parse(text)
    assert fts5_expression(query) == fts5 and tsquery_expression(query) == tsquery


@pytest.mark.parametrize("text", ["Förderung ODER Fachkraft", "Förderung OR Fachkraft"])
def test_or_in_capitals_is_the_operator(text):
    assert len(parse(text).groups) == 1


def test_or_in_lower_case_is_a_word():
    assert [term.stems for term in parse("Förderung or Fachkraft").terms] == [
        ("forder",),
        ("or",),
        ("fachkraft",),
    ]


def test_stop_word_joined_by_or_counts():
    assert [term.stems for term in parse("Förderung OR und").terms] == [("forder",), ("und",)]


def test_unclosed_quote_runs_to_the_end():
    (term,) = parse('"Förderung der').terms
    assert term.stems == ("forder", "der") and term.exact


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "Enter a word"),
        ("und die der", "Enter a word"),
        ("((( * -", "Enter a word"),
        ("-Handwerk", "excluded words"),
        ("Förderung OR", "OR must stand"),
        ("OR Förderung", "OR must stand"),
        ("a OR OR b", "OR must stand"),
        ("a OR -b", "cannot be joined"),
        ("-a OR b", "cannot be joined"),
        ("x" * 201, "too long"),
        (" ".join(f"wort{n}" for n in range(11)), "At most 10"),
    ],
)
def test_query_that_cannot_be_searched_says_why(text, reason):
    with pytest.raises(QueryError) as raised:
        parse(text)
    assert reason in str(raised.value.message)


FTS5_TERM = re.compile(r'"[^\W_]+( [^\W_]+)*"\*?')
FTS5_SYNTAX = re.compile(r"(\(|\)|AND|OR|NOT| )*")
TSQUERY_TERM = re.compile(r"'[^\W_]+'(:\*)?")
TSQUERY_SYNTAX = re.compile(r"(\(|\)|&|\||!|<->| )*")


@pytest.mark.parametrize(
    "text", ['"a" OR b* NEAR(c) -d', "x' | y & !z:*", "(((x) *", "a\\", 'AND "NOT" -"OR"']
)
def test_query_syntax_in_input_reaches_no_parser(text):
    query = parse(text)
    assert FTS5_SYNTAX.fullmatch(FTS5_TERM.sub("", fts5_expression(query)))
    assert TSQUERY_SYNTAX.fullmatch(TSQUERY_TERM.sub("", tsquery_expression(query)))
