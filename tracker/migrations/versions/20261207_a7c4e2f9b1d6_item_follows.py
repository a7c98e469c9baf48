"""following items: a person's own choice to follow an item or not

Revision ID: a7c4e2f9b1d6
Revises: 4873846d002b
Create Date: 2026-12-07 16:20:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a7c4e2f9b1d6"
down_revision = "4873846d002b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "item_follows",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("following", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["items.id"],
            name=op.f("fk_item_follows_item_id_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_item_follows_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "user_id", name=op.f("pk_item_follows")),
    )
    with op.batch_alter_table("item_follows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_follows_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("item_follows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_follows_user_id"))
    op.drop_table("item_follows")
