"""secret subscription addresses of meeting series' calendar feeds

Revision ID: a8d4e2f6b1c9
Revises: e6b2d4f8a1c3
Create Date: 2026-12-03 14:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a8d4e2f6b1c9"
down_revision = "e6b2d4f8a1c3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meeting_series", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feed_token", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_meeting_series_feed_token"), ["feed_token"]
        )


def downgrade():
    with op.batch_alter_table("meeting_series", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_meeting_series_feed_token"), type_="unique")
        batch_op.drop_column("feed_token")
