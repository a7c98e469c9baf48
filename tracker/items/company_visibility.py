"""Which companies and contacts a user may not see, by their items: the SQL of the rule.

``tracker/companies/permissions.py`` states the rule and applies it everywhere; the items
package works it out, since it is the items' confidentiality that hides a company or a
contact. Handed to the companies package when the app is built (tracker/providers.py).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, false, func, not_, or_, select

from tracker.auth.models import User
from tracker.companies.models import Company, Contact
from tracker.items.models import Item
from tracker.items.permissions import visible_clause


def _visible(user: User) -> ColumnElement[bool]:
    return func.coalesce(visible_clause(user), false())


def _hidden_items(user: User) -> ColumnElement[bool]:
    # Confidential items are few (a partial index lists them): start from them, not from all.
    return and_(Item.confidential.is_(True), not_(_visible(user)))


def hidden_company_ids(user: User) -> Select:
    """Ids of the companies known only from confidential items ``user`` may not see."""
    if user.is_authenticated and user.is_admin:
        return select(Company.id).where(false())
    seen = select(Item.id).where(Item.company_id == Company.id, _visible(user)).exists()
    # Standalone (not correlated): it is used inside queries of the companies table.
    return (
        select(Company.id)
        .where(Company.id.in_(select(Item.company_id).where(_hidden_items(user))), ~seen)
        .correlate(None)
    )


def hidden_contact_ids(user: User) -> Select:
    """Ids of the contacts of hidden companies, or known only from items ``user`` may not see."""
    if user.is_authenticated and user.is_admin:
        return select(Contact.id).where(false())
    seen = select(Item.id).where(Item.contact_id == Contact.id, _visible(user)).exists()
    only_hidden = and_(Contact.id.in_(select(Item.contact_id).where(_hidden_items(user))), ~seen)
    return (
        select(Contact.id)
        .where(or_(Contact.company_id.in_(hidden_company_ids(user)), only_hidden))
        .correlate(None)
    )
