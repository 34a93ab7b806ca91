"""invoices

Revision ID: 2b0000000002
Revises: 1a0000000001
Create Date: 2024-03-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "2b0000000002"
down_revision = "1a0000000001"
branch_labels = ("billing",)
depends_on = None


def upgrade():
    op.create_table(
        "invoices",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("order_id", sa.BigInteger(), sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
    )
    op.create_index(op.f("ix_invoices_order_id"), "invoices", ["order_id"])


def downgrade():
    op.drop_index(op.f("ix_invoices_order_id"), table_name="invoices")
    op.drop_table("invoices")
