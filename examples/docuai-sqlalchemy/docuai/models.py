"""DocuAI's tables as SQLAlchemy models: the source of truth of this example.

retort reads them through `[schema] sqlalchemy = "docuai.models:Base"` (the provider retort
ships renders them with SQLAlchemy's PostgreSQL compiler), so `retort check` compares the
migrations with these classes, and `retort revision --autogenerate` writes the migration for an
edit here. Written for SQLAlchemy 1.4 and 2.x (no Mapped[] annotations).
"""
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import declarative_base

# The names the migrations already use come from this convention, not from each model.
metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})
Base = declarative_base(metadata=metadata)

EMPTY_JSON = sa.text("'{}'::jsonb")


class DataSource(Base):
    """Documentation sites the crawler visits."""

    __tablename__ = "data_sources"
    __table_args__ = (
        # The crawler picks the active sources that have waited longest.
        sa.Index("ix_data_sources_last_crawled_at", sa.text("last_crawled_at NULLS FIRST"),
                 postgresql_where=sa.text("is_active")),
    )

    id = sa.Column(UUID(as_uuid=True), primary_key=True, server_default=sa.func.gen_random_uuid())
    name = sa.Column(sa.String(255), nullable=False, unique=True)
    base_url = sa.Column(sa.Text, nullable=False)
    source_type = sa.Column(sa.String(50), nullable=False, server_default="website")
    crawl_config = sa.Column(JSONB, nullable=False, server_default=EMPTY_JSON)
    is_active = sa.Column(sa.Boolean, nullable=False, server_default=sa.true())
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())
    last_crawled_at = sa.Column(sa.DateTime(timezone=True))
    last_crawl_error = sa.Column(sa.Text)


class Document(Base):
    __tablename__ = "documents"
    # A page is stored once per source; re-crawls update it in place.
    __table_args__ = (sa.UniqueConstraint("data_source_id", "url"),)

    id = sa.Column(UUID(as_uuid=True), primary_key=True, server_default=sa.func.gen_random_uuid())
    data_source_id = sa.Column(sa.ForeignKey("data_sources.id", ondelete="CASCADE"),
                               nullable=False)
    url = sa.Column(sa.Text, nullable=False)
    title = sa.Column(sa.Text)
    content = sa.Column(sa.Text)
    meta = sa.Column(JSONB, nullable=False, server_default=EMPTY_JSON)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())
    # Re-crawls skip pages whose content hash has not changed.
    content_hash = sa.Column(sa.CHAR(64))


class DocumentChunk(Base):
    """Pages cut into chunks for retrieval (the embedding lives in ../docuai-pgvector)."""

    __tablename__ = "document_chunks"
    __table_args__ = (sa.UniqueConstraint("document_id", "chunk_index"),)

    id = sa.Column(UUID(as_uuid=True), primary_key=True, server_default=sa.func.gen_random_uuid())
    document_id = sa.Column(sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    chunk_index = sa.Column(sa.Integer, nullable=False)
    content = sa.Column(sa.Text, nullable=False)
    token_count = sa.Column(sa.Integer)
    meta = sa.Column(JSONB, nullable=False, server_default=EMPTY_JSON)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())
