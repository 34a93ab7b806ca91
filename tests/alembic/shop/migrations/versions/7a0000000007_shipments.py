"""shipments

Revision ID: 7a0000000007
Revises: 5e0000000005
Create Date: 2024-03-05 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "7a0000000007"
down_revision = "5e0000000005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "shipments",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("order_id", sa.BigInteger(), sa.ForeignKey("orders.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("carrier", sa.String(40), nullable=False, server_default="post"),
    )


def downgrade():
    op.drop_table("shipments")
