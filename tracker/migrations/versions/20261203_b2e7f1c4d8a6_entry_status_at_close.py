"""the item's status when its meeting was closed, for the frozen minutes

Revision ID: b2e7f1c4d8a6
Revises: a8d4e2f6b1c9
Create Date: 2026-12-03 15:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b2e7f1c4d8a6"
down_revision = "a8d4e2f6b1c9"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("agenda_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_at_close", sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table("agenda_entries", schema=None) as batch_op:
        batch_op.drop_column("status_at_close")
