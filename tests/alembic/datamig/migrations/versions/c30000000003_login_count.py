"""login count

Revision ID: c30000000003
Revises: b20000000002
Create Date: 2024-02-03 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "c30000000003"
down_revision = "b20000000002"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("logins", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    raise NotImplementedError("logins are kept")
