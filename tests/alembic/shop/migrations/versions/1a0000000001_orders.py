"""orders and their status

Revision ID: 1a0000000001
Revises:
Create Date: 2024-03-01 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "1a0000000001"
down_revision = None
branch_labels = None
depends_on = None

status = postgresql.ENUM("new", "paid", name="order_status")


def upgrade():
    op.create_table(
        "orders",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("status", status, nullable=False, server_default="new"),
        sa.Column("total", sa.Numeric(12, 2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        sa.CheckConstraint("total >= 0", name="total_positive"),
    )


def downgrade():
    op.drop_table("orders")
    status.drop(op.get_bind(), checkfirst=False)
