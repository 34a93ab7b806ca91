"""merge billing and notes

Revision ID: 4d0000000004
Revises: 2b0000000002, 3c0000000003
Create Date: 2024-03-03 08:00:00.000000

"""
revision = "4d0000000004"
down_revision = ("2b0000000002", "3c0000000003")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
