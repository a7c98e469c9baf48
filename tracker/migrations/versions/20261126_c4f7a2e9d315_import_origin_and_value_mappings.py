"""imported items keep their file and row; networks carry aliases; value mappings of imports;
companies differing only in legal form may coexist

Revision ID: c4f7a2e9d315
Revises: d5a1c3e7f902
Create Date: 2026-11-26 12:00:00

Columns are added without a batch operation. Only the companies' unique key needs one on
SQLite: the table is rebuilt, so the full-text search triggers that name it (revision
2e36372559e0) are kept aside and created again as they were.
"""

import sqlalchemy as sa
from alembic import op

revision = "c4f7a2e9d315"
down_revision = "d5a1c3e7f902"
branch_labels = None
depends_on = None


def _rebuild_companies(change) -> None:
    """Run ``change(batch_op)`` on companies; on SQLite keep the triggers naming the table."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        change(op)
        return
    triggers = bind.execute(
        sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
            " AND (tbl_name = 'companies' OR sql LIKE '%companies%')"
        )
    ).all()
    for name, _sql in triggers:
        op.execute(f'DROP TRIGGER "{name}"')
    with op.batch_alter_table("companies", schema=None) as batch_op:
        change(batch_op)
    for _name, sql in triggers:
        op.execute(sql)


def _non_unique(ops) -> None:
    ops.drop_constraint("uq_companies_name_key", type_="unique", **_table(ops))
    ops.create_index("ix_companies_name_key", columns=["name_key"], **_table(ops))


def _unique(ops) -> None:
    ops.drop_index("ix_companies_name_key", **_table(ops))
    ops.create_unique_constraint("uq_companies_name_key", columns=["name_key"], **_table(ops))


def _table(ops) -> dict:
    """Plain operations name the table; a batch operation knows it."""
    return {"table_name": "companies"} if ops is op else {}


def upgrade():
    op.add_column("items", sa.Column("import_digest", sa.String(length=64), nullable=True))
    op.add_column("items", sa.Column("import_file", sa.String(length=200), nullable=True))
    op.add_column("items", sa.Column("import_row", sa.Integer(), nullable=True))
    op.add_column("items", sa.Column("import_version", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_items_import_digest"), "items", ["import_digest"])
    # Keys of earlier imports fingerprinted the whole row: they are the rows' digests now.
    op.execute("UPDATE items SET import_digest = import_key WHERE import_key IS NOT NULL")
    op.add_column("networks", sa.Column("aliases", sa.Text(), server_default="", nullable=False))
    _rebuild_companies(_non_unique)
    op.create_table(
        "import_value_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value_key", sa.String(length=200), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=True),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_import_value_mappings_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_import_value_mappings_topic_id_topics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_value_mappings")),
        sa.UniqueConstraint(
            "kind", "value_key", name=op.f("uq_import_value_mappings_kind")
        ),
    )


def downgrade():
    op.drop_table("import_value_mappings")
    _rebuild_companies(_unique)
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.drop_column("aliases")
    op.drop_index(op.f("ix_items_import_digest"), table_name="items")
    for column in ("import_version", "import_row", "import_file", "import_digest"):
        op.drop_column("items", column)
