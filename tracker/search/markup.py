"""Safe HTML for highlighted text: escape first, then mark the hits.

The database marks hits with two private-use characters instead of tags. The text is
escaped as a whole, and only then are the markers replaced by ``<mark>``, so nothing in
the stored text, nor the database's highlighting, can inject markup.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

START = "\ue000"
END = "\ue001"

_MARKERS = re.compile(f"([{START}{END}])")
# Markdown's marks, which a plain snippet does without: inline ones, and line starts.
_INLINE_MARKS = re.compile(r"\*\*|__|`+")
_LINE_MARKS = re.compile(r"^\s*(?:#+|>+|[-+*])\s", re.MULTILINE)


def highlighted(text: str | None, *, plain: bool = False) -> Markup:
    """Return ``text`` escaped, with each marked hit in ``<mark>``; ``plain`` drops Markdown."""
    text = text or ""
    if plain:
        text = " ".join(_LINE_MARKS.sub(" ", _INLINE_MARKS.sub("", text)).split())
    html, is_open = [], False
    for part in _MARKERS.split(text):
        if part == START:
            html.append("" if is_open else "<mark>")
            is_open = True
        elif part == END:
            html.append("</mark>" if is_open else "")
            is_open = False
        else:
            html.append(str(escape(part)))
    if is_open:
        html.append("</mark>")
    return Markup("".join(html))  # noqa: S704 - every piece of text was escaped above
