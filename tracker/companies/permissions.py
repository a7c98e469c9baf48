"""Who may see a company or a contact person: the one rule, for every page, list and search.

A company or contact known only from confidential items that a user may not see does not
exist for that user: it is left out of lists, suggestions and search, and loading it by id
answers 404, so that nobody learns which company has a confidential concern. A company or
contact without any item (registered on the company page) is seen by everyone, and a
contact of a hidden company is hidden with it.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import ColumnElement, Select, exists, select

from tracker import providers
from tracker.auth.models import User
from tracker.companies.models import Company, Contact
from tracker.db import db


def hidden_company_ids(user: User) -> Select:
    """Ids of the companies known only from confidential items ``user`` may not see."""
    return providers.provided(providers.HIDDEN_COMPANIES)(user)


def hidden_contact_ids(user: User) -> Select:
    """Ids of the contacts of hidden companies, or known only from items ``user`` may not see."""
    return providers.provided(providers.HIDDEN_CONTACTS)(user)


def company_visible(user: User) -> ColumnElement[bool]:
    """SQL condition for the companies ``user`` may see."""
    return Company.id.not_in(hidden_company_ids(user))


def contact_visible(user: User) -> ColumnElement[bool]:
    """SQL condition for the contacts ``user`` may see."""
    return Contact.id.not_in(hidden_contact_ids(user))


def can_view_company(user: User, company: Company) -> bool:
    """Whether ``user`` may see ``company`` (anyone logged in, unless it is hidden)."""
    hidden = hidden_company_ids(user).where(Company.id == company.id)
    return user.is_authenticated and not db.session.scalar(select(exists(hidden)))


def can_view_contact(user: User, contact: Contact) -> bool:
    """Whether ``user`` may see ``contact``."""
    hidden = hidden_contact_ids(user).where(Contact.id == contact.id)
    return user.is_authenticated and not db.session.scalar(select(exists(hidden)))


def company_or_404(company_id: int, user: User) -> Company:
    """Load a company that ``user`` may see; a hidden one does not exist for them (404)."""
    company = db.get_or_404(Company, company_id)
    if not can_view_company(user, company):
        abort(404)
    return company


def contact_or_404(contact_id: int, user: User) -> Contact:
    """Load a contact that ``user`` may see; a hidden one does not exist for them (404)."""
    contact = db.get_or_404(Contact, contact_id)
    if not can_view_contact(user, contact):
        abort(404)
    return contact
