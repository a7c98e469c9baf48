"""Hits marked in a bounded piece of text, for the search on SQLite.

FTS5's highlight() and snippet() read the whole row and every position of every hit in
it: one description of a few megabytes made each search for one of its words take
seconds to minutes. Here only the first ``WINDOW`` characters of a text are read (the
database cuts them off), split into words as FTS5's unicode61 tokenizer does, and the
query's terms are marked in them. A hit beyond the window is still found and ranked by
the index; its snippet then shows the beginning of the text.
"""

from __future__ import annotations

import re

from tracker.search.markup import END, START
from tracker.search.query import Term

WINDOW = 4000  # characters of a text that a title or snippet is made from
SNIPPET_WORDS = 24
WORDS_BEFORE = 4  # words of context before the first hit

_WORD = re.compile(r"[^\W_]+")


def _hits(words: list[str], terms: list[Term]) -> list[tuple[int, int]]:
    """``(first word, last word)`` of each hit, in order."""
    hits, covered = [], -1
    for index, word in enumerate(words):
        if index <= covered:  # inside the phrase found just before
            continue
        for term in terms:
            size = len(term.tokens)
            if term.is_prefix and word.startswith(term.stem):
                size = 1
            elif term.is_prefix or tuple(words[index : index + size]) != term.tokens:
                continue
            hits.append((index, index + size - 1))
            covered = index + size - 1
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


def mark(text: str | None, terms: list[Term]) -> str:
    """Return ``text`` (its first ``WINDOW`` characters) with every hit marked."""
    text = (text or "")[:WINDOW]
    spans = list(_WORD.finditer(text))
    if not spans:
        return text
    hits = _hits([m.group().lower() for m in spans], terms)
    marked = _marked(text, spans, hits, 0, len(spans) - 1)
    return text[: spans[0].start()] + marked + text[spans[-1].end() :]


def snippet(text: str | None, terms: list[Term]) -> str:
    """About ``SNIPPET_WORDS`` words around the first hit, marked; "…" where text is left out."""
    text = (text or "")[:WINDOW]
    spans = list(_WORD.finditer(text))
    if not spans:
        return ""
    hits = _hits([m.group().lower() for m in spans], terms)
    first = max(0, hits[0][0] - WORDS_BEFORE) if hits else 0
    last = min(len(spans), first + SNIPPET_WORDS) - 1
    first = max(0, min(first, last - SNIPPET_WORDS + 1))
    marked = _marked(text, spans, hits, first, last)
    before = "…" if first > 0 else ""
    after = "…" if last < len(spans) - 1 else ""
    return before + marked + after
