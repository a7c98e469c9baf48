"""A small German suffix stripper: the stem that a prefix query needs to find word forms.

FTS5 has no German stemmer. Cutting a few inflection endings off the query word and
searching for the rest as a prefix finds the usual forms: "Förderung" becomes ``förder``,
which finds "Förderungen", "Fördermittel" and "Förderprogramm"; "Fachkräfte" becomes
``fachkräft``, which finds "Fachkräftemangel". It is deliberately conservative: one ending
at most, and at least ``MIN_STEM`` letters stay.
"""

from __future__ import annotations

MIN_STEM = 4

# Longest first, so that "-ungen" is tried before "-en" and "-n".
SUFFIXES = ("ungen", "ung", "en", "er", "es", "e", "n", "s")


def stem(word: str) -> str:
    """Return ``word`` in lower case without one German inflection ending."""
    word = word.lower()
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word
