"""order notes

Revision ID: 3c0000000003
Revises: 1a0000000001
Create Date: 2024-03-02 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "3c0000000003"
down_revision = "1a0000000001"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("orders", sa.Column("note", sa.Text(), nullable=True))
    op.create_index("ix_orders_note_open", "orders", ["note"],
                    postgresql_where=sa.text("note IS NOT NULL"))


def downgrade():
    op.drop_index("ix_orders_note_open", table_name="orders")
    op.drop_column("orders", "note")
