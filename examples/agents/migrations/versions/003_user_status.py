"""user_status

Revision ID: 003
Revises: 002
Create Date: 2024-01-15 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = '003'
down_revision = '002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('users', sa.Column('status', sa.String(20), nullable=True))
    # Data migration in SQL: it converts as it is.
    op.execute("UPDATE users SET status = 'active' WHERE created_at > '2024-01-01'")


def downgrade() -> None:
    op.drop_column('users', 'status')
