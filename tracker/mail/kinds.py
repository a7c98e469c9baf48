"""The kinds of mail and their builders: each feature registers its own in ``init_app``.

A builder gets the outbox row (its recipient, locale and parameters) and returns the
``compose.Mail`` to send, or None when there is nothing (left) to say. It runs in the
sender, outside any write, with the recipient's language already set.

    kinds.register("agenda", build_agenda_mail, label=_l("Agenda"))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tracker.mail.models import OutboxMessage


@dataclass(frozen=True)
class Kind:
    name: str
    build: Callable[[OutboxMessage], object]
    label: object  # a lazy string, shown on the outbox page
    topic: str | None  # the preference that switches it off (List-Unsubscribe), if any


_KINDS: dict[str, Kind] = {}


def register(
    name: str, build: Callable[[OutboxMessage], object], *, label, topic: str | None = None
) -> None:
    """Register the builder of a kind (again on each app: the last registration wins)."""
    _KINDS[name] = Kind(name, build, label, topic)


def builder(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"no mail kind {name!r} is registered") from None


def label(name: str) -> str:
    kind = _KINDS.get(name)
    return str(kind.label) if kind is not None else name
