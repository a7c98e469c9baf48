"""Indexes for the overview: open items by status and network, items closed per week.

Plain CREATE INDEX, not a batch operation: on SQLite a batch could rebuild the items table
and lose the full-text search triggers of revision 2e36372559e0.

Revision ID: 2bc9a24aadea
Revises: 2e36372559e0
Create Date: 2026-11-24 01:27:19.925131

"""

from alembic import op

revision = "2bc9a24aadea"
down_revision = "2e36372559e0"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_items_closed_at", "items", ["closed_at"], unique=False)
    op.create_index(
        "ix_items_status_responsible",
        "items",
        ["status", "responsible_network_id", "follow_up_date", "created_at"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_items_status_responsible", table_name="items")
    op.drop_index("ix_items_closed_at", table_name="items")
