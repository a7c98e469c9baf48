"""A meeting as an iCalendar invitation to one person (METHOD:REQUEST, RFC 5546).

Mail programs show such a part as an invitation that can be accepted into the calendar.
Its UID is the meeting's own (the same as the downloadable invitation's), so every resend
updates the one event; a higher SEQUENCE tells the calendar that this copy is newer.
"""

from __future__ import annotations

from icalendar import vCalAddress, vText

from tracker.exports import ical
from tracker.exports.data import MeetingDocument


def _address(email: str, name: str, **parameters: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    for key, value in parameters.items():
        address.params[key] = vText(value)
    return address


def meeting_request(
    doc: MeetingDocument,
    *,
    sequence: int,
    organizer: tuple[str, str],
    attendee: tuple[str, str],
) -> bytes:
    """The meeting as a REQUEST from ``organizer`` to ``attendee`` ((address, name) each)."""
    calendar = ical._calendar(doc.title, doc.timezone)
    calendar["method"] = "REQUEST"
    uid = f"meeting-{doc.meeting_id}@{ical.DOMAIN}"  # as the downloaded invitation's
    event = ical._event(uid, doc.title, doc.starts_at, doc.ends_at, doc.video_link)
    event.add("description", ical.agenda_text(doc))
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if doc.cancelled else "CONFIRMED")
    event.add("organizer", _address(*organizer))
    # No RSVP: attendance is answered per network with the mail's links, not by calendar.
    event.add(
        "attendee",
        _address(*attendee, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="FALSE"),
    )
    calendar.add_component(event)
    return ical._finish(calendar, doc.starts_at.date(), 2)
