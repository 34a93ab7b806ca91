"""users

Revision ID: a10000000001
Revises:
Create Date: 2024-02-01 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "a10000000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("email", sa.Text(), nullable=False),
    )
    op.bulk_insert(sa.table("users", sa.column("id", sa.BigInteger), sa.column("email", sa.Text)),
                   [{"id": 1, "email": "Ada@Example.com"}])


def downgrade():
    op.drop_table("users")
