"""customers

Revision ID: 6f0000000006
Revises: 5e0000000005
Create Date: 2024-03-05 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "6f0000000006"
down_revision = "5e0000000005"
branch_labels = None
depends_on = "2b0000000002"


def upgrade():
    op.create_table(
        "customers",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("email", sa.String(200), nullable=False, unique=True),
        comment="people who order",
    )


def downgrade():
    op.drop_table("customers")
