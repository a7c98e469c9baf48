"""data revision: one counter that every committed change raises

Revision ID: 7c1f0a2b9d31
Revises: 5b7e2c1d9a40
Create Date: 2026-11-24 03:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "7c1f0a2b9d31"
down_revision = "5b7e2c1d9a40"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "data_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_revision")),
    )
    op.bulk_insert(table, [{"id": 1, "value": 1}])


def downgrade():
    op.drop_table("data_revision")
