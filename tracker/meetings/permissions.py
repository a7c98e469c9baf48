"""Who may plan and run meetings (DESIGN.md 7)."""

from __future__ import annotations

from tracker.auth.models import User
from tracker.exceptions import InvalidTransition, NotFound, PermissionDenied
from tracker.i18n import _
from tracker.meetings.models import Meeting


def can_run(user: User) -> bool:
    """Managers and the coordination office prepare agendas and take part in live mode."""
    return user.is_authenticated and (user.is_admin or user.is_manager)


def can_manage_series(user: User) -> bool:
    """Only the coordination office creates and edits meeting series."""
    return user.is_authenticated and user.is_admin


def require_run(user: User) -> None:
    if not can_run(user):
        raise PermissionDenied(_("Only network managers and the coordination office may do this."))


def is_moderator(user: User, meeting: Meeting) -> bool:
    """The coordination office steers every meeting; the person it hands one to steers that one."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (meeting.moderator_id is not None and user.id == meeting.moderator_id)


def require_moderator(user: User, meeting: Meeting) -> None:
    """Closing, reordering the agenda and choosing the current entry are the moderator's."""
    if not is_moderator(user, meeting):
        raise PermissionDenied(_("Only the moderator of the meeting may do this."))


def can_hand_over(user: User) -> bool:
    """Only the coordination office hands a meeting to another moderator."""
    return user.is_authenticated and user.is_admin


def can_set_attendance(user: User, meeting: Meeting, network_id: int) -> bool:
    """A network says whether it is present; the moderator says so for anyone."""
    if not can_run(user):
        return False
    return is_moderator(user, meeting) or user.network_id == network_id


def require_attendance(user: User, meeting: Meeting, network_id: int) -> None:
    if not can_set_attendance(user, meeting, network_id):
        raise PermissionDenied(_("Only the network itself or the moderator sets its attendance."))


def require_open(meeting: Meeting) -> None:
    if not meeting.is_open:
        raise InvalidTransition(_("This meeting is closed; its minutes can no longer change."))


def require_entry_visible(entry, actor: User) -> None:
    """A confidential item's entry is changed only by those who may see it; others find nothing."""
    from tracker.items.permissions import can_view

    if entry.item is not None and not can_view(actor, entry.item):
        raise NotFound()


def document_shows(viewer: User, variant: str):
    """Which items an agenda or minutes shows in full; the others are placeholders.

    The distribution copy is the one to send on: it shows no confidential item to anyone,
    the coordination office included, so every reader gets the same text. The internal
    copy shows each reader what they may see.
    """
    from tracker.items.permissions import can_view

    if variant == "distribution":
        return lambda item: not item.confidential
    if variant == "internal":
        return lambda item: can_view(viewer, item)
    raise ValueError(f"unknown variant {variant!r}")
