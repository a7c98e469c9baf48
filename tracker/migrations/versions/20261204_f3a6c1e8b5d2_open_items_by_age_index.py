"""an index on items by status and creation time: the overview's open items per age bucket
counted from index ranges instead of every open item

Revision ID: f3a6c1e8b5d2
Revises: c7e3a9d2f5b1
Create Date: 2026-12-04 21:05:00

"""

from alembic import op

revision = "f3a6c1e8b5d2"
down_revision = "c7e3a9d2f5b1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_items_status_created", "items", ["status", "created_at"])


def downgrade():
    op.drop_index("ix_items_status_created", table_name="items")
