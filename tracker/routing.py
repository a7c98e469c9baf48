"""URLs: an ``<int:...>`` in a route is a record id, 1 to 2**63 - 1; where a redirect may go;
whether a request is a page's own script asking."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from tracker.ranges import ID_MAX


class IdConverter(IntegerConverter):
    """An integer converter whose numbers fit a database key; others match no route (404)."""

    def __init__(self, url_map, fixed_digits=0, min=1, max=ID_MAX, signed=False) -> None:  # noqa: A002
        super().__init__(url_map, fixed_digits, min, max, signed)


def is_fetch() -> bool:
    """Whether the page's own script sent this request (it answers with JSON or a fragment)."""
    return request.headers.get("X-Requested-With") == "fetch"


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else None (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(ch) < 32 or ch == "\\" for ch in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def init_app(app: Flask) -> None:
    """Make every ``<int:...>`` of the app's routes an id (before the routes are added)."""
    app.url_map.converters["int"] = IdConverter
