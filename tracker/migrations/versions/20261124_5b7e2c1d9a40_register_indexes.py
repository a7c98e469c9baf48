"""covering indexes for the register list and the start page

Revision ID: 5b7e2c1d9a40
Revises: 2bc9a24aadea
Create Date: 2026-11-24 03:00:00

"""
from alembic import op

revision = '5b7e2c1d9a40'
down_revision = '2bc9a24aadea'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_items_status_visible',
        'items',
        ['status', 'confidential', 'reporting_network_id', 'responsible_network_id'],
    )
    op.create_index(
        'ix_items_responsible_status',
        'items',
        ['responsible_network_id', 'status', 'follow_up_date', 'confidential',
         'reporting_network_id'],
    )
    op.drop_index('ix_items_responsible_network_id', table_name='items')
    op.create_index('ix_items_assignee_status', 'items', ['assignee_id', 'status', 'follow_up_date'])
    op.drop_index('ix_items_assignee_id', table_name='items')


def downgrade():
    op.create_index('ix_items_assignee_id', 'items', ['assignee_id'])
    op.drop_index('ix_items_assignee_status', table_name='items')
    op.create_index('ix_items_responsible_network_id', 'items', ['responsible_network_id'])
    op.drop_index('ix_items_responsible_status', table_name='items')
    op.drop_index('ix_items_status_visible', table_name='items')
