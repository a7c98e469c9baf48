"""The German suffix stripper and the query building on it: pure functions, no database."""

import re

import pytest

from tracker.search.query import fts5_expression, parse, tsquery_expression
from tracker.search.stemmer import stem


@pytest.mark.parametrize(
    "word, expected",
    [
        ("Förderung", "förder"),
        ("Förderungen", "förder"),
        ("Fördermittel", "fördermittel"),
        ("Fachkräfte", "fachkräft"),
        ("Unternehmen", "unternehm"),
        ("Netzwerkes", "netzwerk"),
        ("Partner", "partn"),
        ("Sensors", "sensor"),
        ("Ländern", "länder"),
    ],
)
def test_stem_strips_one_inflection_ending(word, expected):
    assert stem(word) == expected


@pytest.mark.parametrize("word", ["Laser", "Bau", "KI", "Ente", "ab"])
def test_stem_keeps_at_least_four_letters(word):
    assert stem(word) == word.lower()


def test_stem_of_stem_words_share_a_prefix():
    forms = ["Förderung", "Förderungen", "förderung", "FÖRDERUNG"]
    assert {stem(w) for w in forms} == {"förder"}


def test_parse_drops_stop_words_and_punctuation():
    terms = parse("Die Förderung, für KI!")
    assert [t.tokens for t in terms] == [("förderung",), ("ki",)]


def test_parse_keeps_compound_words_as_phrase():
    (term,) = parse("2026-0042")
    assert term.tokens == ("2026", "0042") and not term.is_prefix


@pytest.mark.parametrize("text", ["und die der", "((( * -", ""])
def test_parse_without_words_is_empty(text):
    assert parse(text) == []


def test_parse_limits_the_number_of_terms():
    assert len(parse(" ".join(f"wort{n}" for n in range(20)))) == 8


def test_fts5_expression_searches_stems_as_prefixes():
    assert fts5_expression(parse("Förderungen KI 2026-0042")) == (
        '"förder"* AND "ki" AND "2026 0042"'
    )


def test_tsquery_expression_leaves_stemming_to_postgresql():
    assert tsquery_expression(parse("Förderungen KI 2026-0042")) == (
        "'förderungen':* & 'ki' & ('2026' <-> '0042')"
    )


FTS5_TERM = re.compile(r'"[^\W_]+( [^\W_]+)*"\*?')
TSQUERY_TERM = re.compile(r"'[^\W_]+'(:\*)?|\('[^\W_]+'( <-> '[^\W_]+')+\)")


@pytest.mark.parametrize("text", ['"a" OR b* NEAR(c) -d', "x' | y & !z:*", "(((x) *", "a\\"])
def test_query_syntax_in_input_reaches_no_parser(text):
    terms = parse(text)
    assert all(FTS5_TERM.fullmatch(part) for part in fts5_expression(terms).split(" AND "))
    assert all(TSQUERY_TERM.fullmatch(part) for part in tsquery_expression(terms).split(" & "))
