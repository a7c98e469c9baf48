"""Template filters and globals: dates in the user's language, sanitised Markdown, labels."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime

import cmarkgfm
import nh3
from babel.dates import format_date as babel_format_date
from cmarkgfm.cmark import Options
from flask import Flask, request, url_for
from markupsafe import Markup, escape

from tracker import limits
from tracker.i18n import format_date, format_datetime, get_locale

MARKDOWN_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}

DATETIME_PATTERNS = {"de": "dd.MM.yyyy HH:mm", "en": "d MMM yyyy, HH:mm"}


# cmark, the reference CommonMark parser in C, runs in linear time (its test suite holds
# pathological inputs); pure-Python parsers took 0.4 to 20 s for 10,000 "[". Raw HTML is
# left out by cmark (safe mode) and unsafe link targets emptied; nh3 then keeps only
# MARKDOWN_TAGS. nh3's HTML parser slows down quadratically with nesting depth, so output
# nested deeper than MAX_DEPTH (only "> > > ..." and the like do that) is shown as text.
# A line break people type stays a line break (as in a mail), not a space as in CommonMark.
CMARK_OPTIONS = Options.CMARK_OPT_HARDBREAKS
CMARK_EXTENSIONS = ["table"]
MAX_DEPTH = 64
# The tags Markdown can nest without bound (quotes, lists, emphasis, links); the others
# (tables, code, headings) add a few levels at most. Counting only these keeps the check
# quick on long tables, whose output is mostly <tr><td>.
_TAG = re.compile(r"<(/?)(?:blockquote|ul|ol|li|p|em|strong|del|a)(?=[\s>])[^>]*?(/?)>")


def render_markdown(text: str | None) -> Markup:
    """Render Markdown and keep only harmless tags; links get rel=noopener.

    Text longer than any that can be typed (rows stored before the limits) is cut at
    ``limits.MARKDOWN``, so that rendering stays fast whatever is stored.
    """
    text = text or ""
    if len(text) > limits.MARKDOWN:
        text = text[: limits.MARKDOWN] + "\n\n…"
    html = cmarkgfm.markdown_to_html_with_extensions(
        text, options=CMARK_OPTIONS, extensions=CMARK_EXTENSIONS
    )
    if _depth(html) > MAX_DEPTH:
        return _as_text(text)
    # cmark empties unsafe link targets; an empty href would link to the page itself.
    html = html.replace('<a href=""', "<a")
    clean = nh3.clean(
        html,
        tags=MARKDOWN_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above


def _depth(html: str) -> int:
    """How deep cmark's own (well-formed) tags nest; raw HTML never reaches its output."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        if match.group(2):  # <br />, <hr />, <img ... />
            continue
        depth += -1 if match.group(1) else 1
        deepest = max(deepest, depth)
    return deepest


def _as_text(text: str) -> Markup:
    paragraphs = (escape(part).replace("\n", Markup("<br>")) for part in text.split("\n\n"))
    return Markup("").join(Markup("<p>%s</p>\n") % p for p in paragraphs)


def date_filter(value: date | None) -> str:
    if type(value) is date:  # a calendar day needs no time zone: its text depends on the locale
        return _medium_date(value, str(get_locale()))
    return format_date(value, "medium") if value else ""


@functools.lru_cache(maxsize=4096)
def _medium_date(value: date, locale: str) -> str:
    return babel_format_date(value, "medium", locale=locale)


def datetime_filter(value: datetime | None) -> str:
    if not value:
        return ""
    return format_datetime(value, DATETIME_PATTERNS.get(str(get_locale()), "medium"))


def url_with(**changes) -> str:
    """The current page's URL with some query arguments changed (for sorting and paging)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [value]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def initials(name: str) -> str:
    """The first letters of the first and last name, titles left out ("Dr. Anna Alpha" -> "AA")."""
    words = [word for word in name.split() if not word.endswith(".")] or name.split()
    if not words:
        return ""
    return (words[0][:1] + (words[-1][:1] if len(words) > 1 else "")).upper()


def _can_view(item) -> bool:
    from flask_login import current_user

    from tracker.items.permissions import can_view

    return can_view(current_user, item)


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["date"] = date_filter
    app.jinja_env.filters["datetime"] = datetime_filter
    app.jinja_env.filters["initials"] = initials
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    from tracker import clock
    from tracker.items.timeline import FIELD_LABELS, display_value

    app.jinja_env.globals["today_local"] = clock.today
    app.jinja_env.globals["can_view"] = _can_view

    app.jinja_env.globals["display_value"] = display_value
    app.jinja_env.globals["field_label"] = lambda name: FIELD_LABELS.get(name, name or "")
