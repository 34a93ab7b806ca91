-- Pages cut into chunks for retrieval, each with its embedding (1536 dimensions: OpenAI's
-- text-embedding-3-small / ada-002).
CREATE TABLE document_chunks (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    document_id uuid        NOT NULL,
    chunk_index integer     NOT NULL,
    content     text        NOT NULL,
    token_count integer,
    meta        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- NULL until the embedding worker has processed the chunk.
    embedding   vector(1536),
    CONSTRAINT pk_document_chunks PRIMARY KEY (id),
    CONSTRAINT fk_document_chunks_document_id_documents
        FOREIGN KEY (document_id) REFERENCES documents (id) ON DELETE CASCADE,
    CONSTRAINT uq_document_chunks_document_id_chunk_index UNIQUE (document_id, chunk_index)
);

-- Nearest-neighbour search by cosine distance (ORDER BY embedding <=> $1 LIMIT k). m and
-- ef_construction are pgvector's defaults, spelled out so that a change shows in a diff.
CREATE INDEX ix_document_chunks_embedding ON document_chunks
    USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
