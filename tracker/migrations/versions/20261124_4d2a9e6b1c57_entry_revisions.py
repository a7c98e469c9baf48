"""entry revisions: the meeting revision at which each agenda entry last changed

Revision ID: 4d2a9e6b1c57
Revises: 7c1f0a2b9d31
Create Date: 2026-11-24 04:00:00

A plain ADD COLUMN (no batch copy): existing entries count as unchanged since revision 0,
which every live page has already seen.
"""

import sqlalchemy as sa
from alembic import op

revision = "4d2a9e6b1c57"
down_revision = "7c1f0a2b9d31"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "agenda_entries",
        sa.Column("changed_revision", sa.Integer(), server_default="0", nullable=False),
    )


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of agenda_entries would empty
    # tasks.entry_id through its ON DELETE SET NULL.
    op.drop_column("agenda_entries", "changed_revision")
