"""Export and erase a contact's personal data; anonymise contacts of long-closed items."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import Enum, String, Text, and_, exists, not_, or_, select, text, update

from tracker import events
from tracker.audit import services as audit
from tracker.auth.models import User
from tracker.companies.models import Contact
from tracker.db import db, lower, utcnow
from tracker.exceptions import PermissionDenied
from tracker.i18n import _
from tracker.items.models import Activity, Item, ItemStatus
from tracker.search import fts5

REDACTED = "[…]"
# The audit log is append-only: it never holds contacts' personal data in the first place.
UNTOUCHED_TABLES = {"audit_events", "alembic_version"}
ERASED_TABLES = "erased_tables"  # session info: tables an erasure changed, for the clean-up


def _require_admin(actor: User | None) -> None:
    if actor is not None and not actor.is_admin:
        raise PermissionDenied(_("Only the coordination office handles personal data."))


def personal_strings(contact: Contact) -> list[str]:
    """The contact's identifying texts, longest first (so that a name inside an e-mail goes)."""
    values = {contact.name.strip(), contact.email.strip(), contact.phone.strip()}
    return sorted((v for v in values if len(v) >= 3), key=len, reverse=True)


def export_contact(contact: Contact, *, actor: User) -> dict[str, Any]:
    """Everything stored about one contact, as a JSON-ready dict; the export is logged."""
    _require_admin(actor)
    items = db.session.scalars(select(Item).where(Item.contact_id == contact.id)).all()
    needles = personal_strings(contact)
    mentions = (
        db.session.scalars(
            select(Activity).where(
                or_(*[lower(Activity.body).contains(n.lower(), autoescape=True) for n in needles])
            )
        ).all()
        if needles
        else []
    )
    audit.record("contact_exported", actor=actor, subject=f"contact:{contact.id}")
    return {
        "contact": {
            "id": contact.id,
            "name": contact.name,
            "function": contact.function,
            "email": contact.email,
            "phone": contact.phone,
            "created_at": contact.created_at.isoformat(),
        },
        "company": {"id": contact.company.id, "name": contact.company.name},
        "items": [
            {
                "reference": i.reference,
                "title": i.title,
                "status": i.status.value,
                "created_at": i.created_at.isoformat(),
                "description": i.description,
            }
            for i in items
        ],
        "mentions_in_activity": [
            {"item": a.item.reference, "at": a.created_at.isoformat(), "text": a.body}
            for a in mentions
        ],
    }


def _text_columns():
    for table in db.metadata.sorted_tables:
        if table.name in UNTOUCHED_TABLES:
            continue
        for column in table.columns:
            kind = column.type
            if (
                isinstance(kind, String | Text)
                and not isinstance(kind, Enum)
                and not column.primary_key
            ):
                yield table, column


def redact_everywhere(needles: list[str], touched: set[str] | None = None) -> int:
    """Replace the texts in every text column of every table, in any letter case.

    Rows are found in SQL (lower case on both sides, for every alphabet) and rewritten in
    Python, whose case-insensitive match knows Unicode. Returns the rows changed; the
    names of the tables changed are added to ``touched``.
    """
    if not needles:
        return 0
    pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)
    changed = 0
    for table, column in _text_columns():
        keys = list(table.primary_key.columns)
        found = or_(*[lower(column).contains(n.lower(), autoescape=True) for n in needles])
        for *ident, value in db.session.execute(select(*keys, column).where(found)).all():
            cleaned = pattern.sub(REDACTED, value)
            if cleaned == value:
                continue
            same_row = [key == part for key, part in zip(keys, ident, strict=True)]
            db.session.execute(
                update(table)
                .where(*same_row)
                .values({column.name: cleaned})
                .execution_options(synchronize_session=False)
            )
            changed += 1
            if touched is not None:
                touched.add(table.name)
    return changed


def erase_contact(contact: Contact, *, actor: User | None, reason: str = "request") -> int:
    """Replace the contact's personal data everywhere; items stay, anonymised.

    On SQLite the freed space is overwritten (secure_delete) and the search index merged,
    so that no old copy stays in the file; ``purge_old_copies`` after the commit clears the
    write-ahead log.
    """
    _require_admin(actor)
    needles = personal_strings(contact)
    contact_id = contact.id
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    if sqlite:
        db.session.execute(text("PRAGMA secure_delete = ON"))
    contact.name, contact.function, contact.email, contact.phone = REDACTED, "", "", ""
    contact.anonymised_at = utcnow()
    db.session.flush()
    touched = db.session.info.setdefault(ERASED_TABLES, {"contacts"})
    changed = redact_everywhere(needles, touched)
    if sqlite:
        fts5.optimize()  # PostgreSQL's search columns hold no copy of the old text
    db.session.expire_all()
    audit.record(
        "contact_erased", actor=actor, subject=f"contact:{contact_id}", reason=reason, rows=changed
    )
    events.contact_changed.send(contact, actor=actor, erased=True)
    return changed


def purge_old_copies() -> None:
    """After an erasure's commit, remove the old versions of the rows the database keeps.

    SQLite: the write-ahead log still holds the pages as they were until a checkpoint;
    a TRUNCATE checkpoint copies the new pages into the file and empties the log.
    PostgreSQL: updated rows leave dead versions in the table files until VACUUM marks
    their space free for reuse (it does not overwrite them; VACUUM FULL rewrites the
    tables, which locks them, and is left to the operator).
    """
    tables = sorted(db.session.info.pop(ERASED_TABLES, ()))
    if db.engine.dialect.name == "sqlite":
        # Outside any transaction: the engine's connections begin one for every statement.
        raw = db.engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
    elif tables:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM " + ", ".join(f'"{name}"' for name in tables))


def contacts_due_for_anonymisation(months: int) -> list[Contact]:
    """Contacts all of whose items were closed more than ``months`` ago."""
    cutoff = utcnow() - timedelta(days=round(months * 30.44))
    open_or_recent = exists().where(
        Item.contact_id == Contact.id,
        not_(
            and_(Item.status.in_((ItemStatus.DONE, ItemStatus.DECLINED)), Item.closed_at < cutoff)
        ),
    )
    has_items = exists().where(Item.contact_id == Contact.id)
    return list(
        db.session.scalars(
            select(Contact).where(Contact.anonymised_at.is_(None), has_items, ~open_or_recent)
        )
    )


def anonymise_old_contacts(months: int) -> int:
    """Erase the contacts of items closed longer than ``months`` ago; returns how many."""
    due = contacts_due_for_anonymisation(months)
    for contact in due:
        erase_contact(contact, actor=None, reason=f"closed for more than {months} months")
    return len(due)
