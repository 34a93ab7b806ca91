-- retort:revision  c6e1f0a94b38
-- retort:revises   f83a60c2d971
-- retort:message   add chunk embeddings
-- retort:created   2025-03-15 10:30:00+00

-- retort:upgrade
-- The embedding column is nullable, so adding it does not rewrite the table; the embedding
-- worker fills it in. HNSW with cosine distance, pgvector's default m and ef_construction.
CREATE EXTENSION IF NOT EXISTS vector;
ALTER TABLE document_chunks ADD COLUMN embedding vector(1536);
CREATE INDEX ix_document_chunks_embedding ON document_chunks
    USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);

-- retort:downgrade
DROP INDEX ix_document_chunks_embedding;
ALTER TABLE document_chunks DROP COLUMN embedding;
DROP EXTENSION vector;
