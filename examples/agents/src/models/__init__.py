"""The agents app's ORM models: the source of truth for its schema (seed 003's src/models/).

Alembic's env.py uses Base.metadata as target_metadata; retort reads the same classes through
`[schema] sqlalchemy = "src.models:Base"` in retort.toml.
"""
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import declarative_base

metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})
Base = declarative_base(metadata=metadata)

message_role = postgresql.ENUM("user", "assistant", "tool", name="message_role")


class User(Base):
    __tablename__ = "users"
    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(sa.String(255), nullable=False, unique=True)
    status = sa.Column(sa.String(20))
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (sa.Index("idx_conversation_user", "user_id"),)
    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    title = sa.Column(sa.String(200))
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


class Message(Base):
    __tablename__ = "messages"
    id = sa.Column(sa.BigInteger, primary_key=True)
    conversation_id = sa.Column(sa.ForeignKey("conversations.id", ondelete="CASCADE"),
                                nullable=False, index=True)
    role = sa.Column(message_role, nullable=False)
    content = sa.Column(sa.Text, nullable=False)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())
