"""Hits marked in a bounded piece of text, for both databases.

FTS5's highlight() and snippet() read the whole row and every position of every hit in
it: one description of a few megabytes made each search for one of its words take
seconds to minutes; PostgreSQL's ts_headline would not know the index's stems. Here
only the first ``WINDOW`` characters of a text are read (the database cuts them off),
split into words and stemmed as the index does (tracker.search.stemmer), and the query's
terms are marked in them. A hit beyond the window is still found and ranked by the
index; its snippet then shows the beginning of the text.
"""

from __future__ import annotations

import re
import unicodedata

from tracker.search.markup import END, START
from tracker.search.query import Term
from tracker.search.stemmer import stem_words, words

WINDOW = 4000  # characters of a text that a title or snippet is made from
SNIPPET_WORDS = 24
WORDS_BEFORE = 4  # words of context before the first hit

_WORD = re.compile(r"[^\W_]+")


def _stemmed(spans: list[re.Match]) -> tuple[list[str], list[int]]:
    """The stems of the spans' words, and for each stem the index of its span.

    Folding can split a span (rarely: "İ" is lower-cased to two characters).
    """
    folded, owners = [], []
    for index, span in enumerate(spans):
        parts = words(span.group())
        folded += parts
        owners += [index] * len(parts)
    return stem_words(folded), owners


def _hits(spans: list[re.Match], terms: list[Term]) -> list[tuple[int, int]]:
    """``(first span, last span)`` of each hit, in order."""
    stems, owners = _stemmed(spans)
    hits, covered = [], -1
    for index, found in enumerate(stems):
        if owners[index] <= covered:  # inside the hit found just before
            continue
        for term in terms:
            size = len(term.stems)
            if size == 1 and not term.matches(found):
                continue
            if size > 1 and tuple(stems[index : index + size]) != term.stems:
                continue
            hits.append((owners[index], owners[index + size - 1]))
            covered = owners[index + size - 1]
            break
    return hits


def _marked(text: str, spans: list[re.Match], hits: list[tuple[int, int]], first: int, last: int):
    """The text from word ``first`` to word ``last``, each hit between the sentinels."""
    out, position = [], spans[first].start()
    for start, end in hits:
        if start < first or end > last:
            continue
        out += [text[position : spans[start].start()], START]
        out += [text[spans[start].start() : spans[end].end()], END]
        position = spans[end].end()
    out.append(text[position : spans[last].end()])
    return "".join(out)


def _window(text: str | None) -> tuple[str, list[re.Match]]:
    text = unicodedata.normalize("NFC", (text or "")[:WINDOW])
    return text, list(_WORD.finditer(text))


def mark(text: str | None, terms: list[Term]) -> str:
    """Return ``text`` (its first ``WINDOW`` characters) with every hit marked."""
    text, spans = _window(text)
    if not spans:
        return text
    marked = _marked(text, spans, _hits(spans, terms), 0, len(spans) - 1)
    return text[: spans[0].start()] + marked + text[spans[-1].end() :]


def snippet(text: str | None, terms: list[Term]) -> str:
    """About ``SNIPPET_WORDS`` words around the first hit, marked; "…" where text is left out."""
    text, spans = _window(text)
    if not spans:
        return ""
    hits = _hits(spans, terms)
    first = max(0, hits[0][0] - WORDS_BEFORE) if hits else 0
    last = min(len(spans), first + SNIPPET_WORDS) - 1
    first = max(0, min(first, last - SNIPPET_WORDS + 1))
    marked = _marked(text, spans, hits, first, last)
    before = "…" if first > 0 else ""
    after = "…" if last < len(spans) - 1 else ""
    return before + marked + after
