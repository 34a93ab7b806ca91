"""refunded status, and an index built concurrently

Revision ID: 5e0000000005
Revises: 4d0000000004
Create Date: 2024-03-04 08:00:00.000000

"""
from alembic import op

revision = "5e0000000005"
down_revision = "4d0000000004"
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.execute("ALTER TYPE order_status ADD VALUE 'refunded'")
        op.create_index("ix_orders_created_at", "orders", ["created_at"],
                        postgresql_concurrently=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index("ix_orders_created_at", table_name="orders", postgresql_concurrently=True)
    # PostgreSQL cannot drop an enum value: the type is made again without it.
    op.execute("ALTER TYPE order_status RENAME TO order_status_old")
    op.execute("CREATE TYPE order_status AS ENUM ('new', 'paid')")
    op.execute("ALTER TABLE orders ALTER COLUMN status DROP DEFAULT")
    op.execute("ALTER TABLE orders ALTER COLUMN status TYPE order_status "
               "USING status::text::order_status")
    op.execute("ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new'")
    op.execute("DROP TYPE order_status_old")
