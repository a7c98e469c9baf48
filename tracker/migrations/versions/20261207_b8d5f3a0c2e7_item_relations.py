"""item relations: related, duplicate of, follows from

Revision ID: b8d5f3a0c2e7
Revises: a7c4e2f9b1d6
Create Date: 2026-12-07 16:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b8d5f3a0c2e7"
down_revision = "a7c4e2f9b1d6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "item_relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "related",
                "duplicate",
                "follows",
                name="relationkind",
                native_enum=False,
                create_constraint=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["items.id"],
            name=op.f("fk_item_relations_source_id_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["items.id"],
            name=op.f("fk_item_relations_target_id_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_item_relations_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_relations")),
        sa.UniqueConstraint("source_id", "target_id", name="uq_item_relations_pair"),
    )
    with op.batch_alter_table("item_relations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_item_relations_source_id"), ["source_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_item_relations_target_id"), ["target_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("item_relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_relations_target_id"))
        batch_op.drop_index(batch_op.f("ix_item_relations_source_id"))
    op.drop_table("item_relations")
