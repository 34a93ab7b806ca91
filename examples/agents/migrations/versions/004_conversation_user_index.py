"""conversation_user_index

Revision ID: 004
Revises: 003
Create Date: 2024-01-22 00:00:00.000000

"""
from alembic import op

revision = '004'
down_revision = '003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('idx_conversation_user', 'conversations', ['user_id'])


def downgrade() -> None:
    op.drop_index('idx_conversation_user')
