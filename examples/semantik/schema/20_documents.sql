CREATE TABLE documents (
    id            uuid            NOT NULL DEFAULT gen_random_uuid(),
    collection_id uuid            NOT NULL,
    file_path     text            NOT NULL,
    file_name     varchar(255)    NOT NULL,
    file_size     bigint          NOT NULL,
    mime_type     varchar(255),
    content_hash  char(64)        NOT NULL,
    status        document_status NOT NULL DEFAULT 'pending',
    error_message text,
    chunk_count   integer         NOT NULL DEFAULT 0,
    meta          jsonb           NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz     NOT NULL DEFAULT now(),
    updated_at    timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT pk_documents PRIMARY KEY (id),
    CONSTRAINT fk_documents_collection_id_collections
        FOREIGN KEY (collection_id) REFERENCES collections (id) ON DELETE CASCADE,
    -- The same file added twice to one collection is one document.
    CONSTRAINT uq_documents_collection_id_content_hash UNIQUE (collection_id, content_hash),
    CONSTRAINT ck_documents_file_size_not_negative CHECK (file_size >= 0)
);
CREATE INDEX ix_documents_collection_id_status ON documents (collection_id, status);
