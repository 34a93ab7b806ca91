-- Pages cut into chunks for retrieval. The pgvector embedding column and its HNSW index are in
-- ../docuai-pgvector (see README.md).
CREATE TABLE document_chunks (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    document_id uuid        NOT NULL,
    chunk_index integer     NOT NULL,
    content     text        NOT NULL,
    token_count integer,
    meta        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_document_chunks PRIMARY KEY (id),
    CONSTRAINT fk_document_chunks_document_id_documents
        FOREIGN KEY (document_id) REFERENCES documents (id) ON DELETE CASCADE,
    CONSTRAINT uq_document_chunks_document_id_chunk_index UNIQUE (document_id, chunk_index)
);
