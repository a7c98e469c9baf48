"""Companies and contacts: matching by name, creating, editing, and the pages' queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tracker import events
from tracker.addresses import clean_website
from tracker.auth.models import User
from tracker.companies.models import Company, Contact, company_key, legal_key
from tracker.companies.permissions import company_visible, contact_visible
from tracker.db import db
from tracker.exceptions import PermissionDenied, ValidationFailed
from tracker.i18n import _
from tracker.versioning import check_version, flush_or_conflict

COMPANY_FIELDS = ("name", "city", "website", "notes")
CONTACT_FIELDS = ("name", "function", "email", "phone")


def _require_editor(actor: User) -> None:
    if not actor.is_authenticated or actor.is_observer:
        raise PermissionDenied(_("Observers cannot change data."))


def find_company(name: str, viewer: User | None = None) -> Company | None:
    """Return the company whose name matches ``name`` (case, legal form, spaces ignored).

    Of firms that differ only in legal form, the one with the same legal form comes first.
    With ``viewer``, only companies the viewer may see match: a company known only from
    confidential items is not found, so that typing its name neither reveals it nor links
    a new item (and the company's notes) to it; a record of the viewer's own is made instead.
    """
    key = company_key(name)
    if not key:
        return None
    stmt = select(Company).where(Company.name_key == key)
    if viewer is not None:
        stmt = stmt.where(company_visible(viewer))
    found = list(db.session.scalars(stmt))
    same = [c for c in found if legal_key(c.name) == legal_key(name)]
    return (same or sorted(found, key=lambda c: c.id) or [None])[0]


def find_or_create_company(name: str, *, actor: User) -> Company:
    """Return the matching company, or register a new one under ``name``."""
    company = find_company(name, viewer=actor)
    return company or create_company(actor=actor, name=name)


def create_company(
    *,
    actor: User,
    name: str,
    city: str = "",
    website: str = "",
    notes: str = "",
    other_legal_form: bool = False,
) -> Company:
    """Register a company; its name must not match an existing one.

    ``other_legal_form`` allows a firm whose name differs from one only in its legal form
    ("Optik UG" beside "Optik AG"), when someone has decided they are two firms.
    """
    _require_editor(actor)
    name = " ".join((name or "").split())
    if not company_key(name):
        raise ValidationFailed(_("A company name is required."), field="name")
    existing = find_company(name, viewer=actor)
    if existing and (not other_legal_form or legal_key(existing.name) == legal_key(name)):
        raise ValidationFailed(_("This company exists already."), field="name")
    company = Company(
        name=name,
        name_key=company_key(name),
        city=city.strip(),
        website=clean_website(website),
        notes=notes,
    )
    db.session.add(company)
    db.session.flush()
    return company


def update_company(
    company: Company, *, actor: User, expected_version: int | None, **changes: Any
) -> None:
    """Change a company's details."""
    _require_editor(actor)
    check_version(company, expected_version)
    if "name" in changes:
        name = " ".join((changes["name"] or "").split())
        other = find_company(name, viewer=actor)
        if not company_key(name):
            raise ValidationFailed(_("A company name is required."), field="name")
        if other is not None and other.id != company.id:
            raise ValidationFailed(_("This company exists already."), field="name")
        company.name, company.name_key = name, company_key(name)
    if "website" in changes:
        company.website = clean_website(changes["website"])
    for field in ("city", "notes"):
        if field in changes:
            setattr(company, field, changes[field] or "")
    flush_or_conflict(company, expected_version)


def save_contact(
    company: Company,
    *,
    actor: User,
    contact: Contact | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> Contact:
    """Add a contact to a company, or change one."""
    _require_editor(actor)
    if not (values.get("name") or "").strip():
        raise ValidationFailed(_("A name is required."), field="name")
    if contact is None:
        contact = Contact(company=company)
        db.session.add(contact)
    else:
        check_version(contact, expected_version)
    for field in CONTACT_FIELDS:
        if field in values:
            setattr(contact, field, (values[field] or "").strip())
    flush_or_conflict(contact, expected_version)
    events.contact_changed.send(contact, actor=actor, erased=False)
    return contact


def company_list(user: User, text: str = ""):
    """Statement for the companies ``user`` may see, by name, optionally by a part of the name."""
    stmt = select(Company).where(company_visible(user)).order_by(Company.name, Company.id)
    if text.strip():
        stmt = stmt.where(Company.name.ilike(f"%{text.strip()}%"))
    return stmt


def company_contacts(company: Company, user: User) -> list[Contact]:
    """The company's contacts that ``user`` may see, by name."""
    return list(
        db.session.scalars(
            select(Contact)
            .where(Contact.company_id == company.id, contact_visible(user))
            .order_by(Contact.name, Contact.id)
        )
    )


def suggest_names(prefix: str, user: User, limit: int = 10) -> list[str]:
    """Names of companies ``user`` may see containing ``prefix``, for the item form."""
    prefix = prefix.strip()
    if len(prefix) < 2:
        return []
    return list(
        db.session.scalars(
            select(Company.name)
            .where(Company.name.ilike(f"%{prefix}%"), company_visible(user))
            .order_by(Company.name)
            .limit(limit)
        )
    )


def find_or_create_contact(company: Company, name: str, *, actor: User) -> Contact:
    """Return the company's contact of this name, or add one."""
    name = " ".join(name.split())
    for contact in company.contacts:
        if contact.name.casefold() == name.casefold():
            return contact
    return save_contact(company, actor=actor, name=name)
