"""How often one token may call the API: a number of requests per window, and fewer writes.

``API_RATE_LIMIT`` (every request) and ``API_WRITE_RATE_LIMIT`` (POST, PATCH, PUT, DELETE)
read like the login limits, "300 per minute". Each window starts on the clock (fixed
windows); a token that used up its window is answered 429 with ``Retry-After`` until the
next one. The counts are kept in each worker process: with several gunicorn workers a token
may reach the limit in each of them. ``RATELIMIT_ENABLED = False`` switches them off.
"""

from __future__ import annotations

import math
import threading

from flask import current_app

from tracker.auth.attempts import parse_limit
from tracker.db import utcnow

DEFAULTS = {"API_RATE_LIMIT": "300 per minute", "API_WRITE_RATE_LIMIT": "60 per minute"}
KEPT = 10_000  # tokens × limits counted at once; older windows are dropped beyond it

_lock = threading.Lock()
_counts: dict[tuple[int, str], tuple[int, int]] = {}  # (token, limit) -> (window, count)


def init_app(app) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
        parse_limit(app.config[key])  # a limit that cannot be read stops the start


def _count(token_id: int, setting: str) -> int | None:
    """Count one request; the seconds until the next window if this one is used up."""
    allowed, window = parse_limit(current_app.config[setting])
    seconds = window.total_seconds()
    now = utcnow().timestamp()
    current = int(now // seconds)
    key = (token_id, setting)
    with _lock:
        if len(_counts) >= KEPT:
            _forget_old(now)
        started, used = _counts.get(key, (current, 0))
        if started != current:
            used = 0
        if used >= allowed:
            return max(1, math.ceil((current + 1) * seconds - now))
        _counts[key] = (current, used + 1)
    return None


def _forget_old(now: float) -> None:
    for key, (started, _used) in list(_counts.items()):
        seconds = parse_limit(current_app.config[key[1]])[1].total_seconds()
        if started != int(now // seconds):
            del _counts[key]
    if len(_counts) >= KEPT:
        _counts.clear()


def wait_seconds(token_id: int, writes: bool) -> int | None:
    """None if the token may go on; else the seconds until it may ask again."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return None
    waits = [_count(token_id, "API_RATE_LIMIT")]
    if writes:
        waits.append(_count(token_id, "API_WRITE_RATE_LIMIT"))
    found = [w for w in waits if w is not None]
    return max(found) if found else None
