"""lowercase emails

Revision ID: b20000000002
Revises: a10000000001
Create Date: 2024-02-02 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "b20000000002"
down_revision = "a10000000001"
branch_labels = None
depends_on = None


def upgrade():
    # Reads every row and rewrites it in Python: there is no SQL for this offline.
    connection = op.get_bind()
    users = sa.table("users", sa.column("id"), sa.column("email"))
    for row in connection.execute(sa.select(users.c.id, users.c.email)).fetchall():
        connection.execute(users.update().where(users.c.id == row.id)
                           .values(email=row.email.lower()))


def downgrade():
    pass
