"""Rules a lower package needs from a higher one, handed down when the app is built.

The packages import each other top-down only (tests/test_layering.py). Where a lower one
needs a rule that lives higher up, it asks for it by name with ``provided``, and the higher
package hands it down with ``provide`` in ``tracker.register_listeners``: the register's text
filter matches with the search index, a follow-up date counts from the next meeting, and
which companies and contacts are hidden follows from their items.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

_KEY = "tracker.providers"

ITEM_TEXT_MATCH = "item text match"  # text -> SQL condition on items (tracker.search)
TEXT_PROBLEM = "text problem"  # text -> why it cannot be searched, or None (tracker.search)
NEXT_MEETING_DATE = "next meeting date"  # today -> the next meeting's day or None (meetings)
HIDDEN_COMPANIES = "hidden companies"  # user -> ids of companies hidden by their items (items)
HIDDEN_CONTACTS = "hidden contacts"  # user -> ids of contacts hidden by their items (items)


def provide(app: Flask, name: str, function: Callable[..., Any]) -> None:
    """Hand ``function`` down under ``name`` for this app."""
    app.extensions.setdefault(_KEY, {})[name] = function


def provided(name: str) -> Callable[..., Any]:
    """The function handed down under ``name``; a missing one is a wiring error."""
    try:
        return current_app.extensions[_KEY][name]
    except KeyError as exc:
        raise RuntimeError(f"nothing provides {name!r}: see tracker.register_listeners") from exc
