"""an index on tasks.entry_id: an entry's tasks without reading all tasks

Revision ID: 9e3b5d7f1a20
Revises: 4d2a9e6b1c57
Create Date: 2026-11-24 04:15:00

"""

from alembic import op

revision = "9e3b5d7f1a20"
down_revision = "4d2a9e6b1c57"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(op.f("ix_tasks_entry_id"), "tasks", ["entry_id"])


def downgrade():
    op.drop_index(op.f("ix_tasks_entry_id"), table_name="tasks")
