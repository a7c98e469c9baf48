"""Turn what a user typed into the query languages of FTS5 and PostgreSQL.

Only letters and digits reach the database's query parser, so nothing typed can change the
query's syntax. Each word must be found (AND); a word of several parts ("2026-0042",
"E-Mail") is a phrase; a word with a stem of ``MIN_STEM`` letters or more is searched as a
prefix of its stem, so that German word forms are found.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tracker.search.stemmer import MIN_STEM, stem

MAX_TERMS = 8

_TOKEN = re.compile(r"[^\W_]+")

# German and English words that say nothing about a concern; shared by search and hints.
STOPWORDS = frozenset(
    [
        "aber",
        "about",
        "alle",
        "als",
        "am",
        "an",
        "and",
        "auch",
        "auf",
        "aus",
        "bei",
        "bis",
        "bitte",
        "das",
        "dass",
        "dem",
        "den",
        "der",
        "des",
        "die",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "eines",
        "es",
        "for",
        "from",
        "für",
        "hat",
        "have",
        "im",
        "in",
        "ist",
        "mit",
        "nach",
        "nicht",
        "noch",
        "oder",
        "of",
        "sich",
        "sie",
        "sind",
        "so",
        "that",
        "the",
        "this",
        "to",
        "und",
        "unter",
        "vom",
        "von",
        "vor",
        "wie",
        "wir",
        "with",
        "zu",
        "zum",
        "zur",
        "über",
    ]
)


@dataclass(frozen=True)
class Term:
    """One word of the query: its tokens in lower case (more than one: a phrase)."""

    tokens: tuple[str, ...]

    @property
    def stem(self) -> str:
        return stem(self.tokens[0])

    @property
    def is_prefix(self) -> bool:
        """A single word long enough to be searched as the prefix of its stem."""
        return len(self.tokens) == 1 and len(self.stem) >= MIN_STEM


def parse(text: str) -> list[Term]:
    """Split ``text`` into at most ``MAX_TERMS`` terms, leaving out stop words."""
    text = unicodedata.normalize("NFC", text).lower()
    terms = []
    for word in text.split():
        tokens = tuple(_TOKEN.findall(word))
        if tokens and not (len(tokens) == 1 and tokens[0] in STOPWORDS):
            terms.append(Term(tokens))
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def fts5_expression(terms: list[Term]) -> str:
    """The FTS5 MATCH expression: ``"förder"* AND "ki" AND "2026 0042"``."""
    parts = []
    for term in terms:
        if term.is_prefix:
            parts.append(f'"{term.stem}"*')
        else:
            parts.append('"' + " ".join(term.tokens) + '"')
    return " AND ".join(parts)


def tsquery_expression(terms: list[Term]) -> str:
    """The text for ``to_tsquery('german', ...)``: ``'förderung':* & 'ki' & ('2026' <-> '0042')``.

    PostgreSQL stems each word itself (Snowball, German); ``:*`` then finds the word forms
    that continue the stem, as the prefix query on SQLite does.
    """
    parts = []
    for term in terms:
        if term.is_prefix:
            parts.append(f"'{term.tokens[0]}':*")
        elif len(term.tokens) == 1:
            parts.append(f"'{term.tokens[0]}'")
        else:
            parts.append("(" + " <-> ".join(f"'{token}'" for token in term.tokens) + ")")
    return " & ".join(parts)
