-- retort:revision  a41c7e9b20d5
-- retort:message   initial unified schema
-- retort:created   2025-08-01 09:12:00+00

-- retort:upgrade
-- One collection owns its documents and the operations run on it; deleting a
-- collection deletes both (ON DELETE CASCADE), so the application never has to
-- clean up in the right order itself.
CREATE TYPE collection_status AS ENUM ('pending', 'ready', 'processing', 'error', 'degraded');
CREATE TYPE document_status AS ENUM ('pending', 'processing', 'completed', 'failed', 'deleted');
CREATE TYPE operation_type AS ENUM ('index', 'append', 'reindex', 'remove_source', 'delete');
CREATE TYPE operation_status AS ENUM ('pending', 'processing', 'completed', 'failed', 'cancelled');

CREATE TABLE collections (
    id                uuid              NOT NULL DEFAULT gen_random_uuid(),
    name              varchar(255)      NOT NULL,
    description       text,
    owner_id          integer,
    vector_store_name varchar(255)      NOT NULL,
    embedding_model   varchar(255)      NOT NULL,
    status            collection_status NOT NULL DEFAULT 'pending',
    meta              jsonb             NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz       NOT NULL DEFAULT now(),
    updated_at        timestamptz       NOT NULL DEFAULT now(),
    CONSTRAINT pk_collections PRIMARY KEY (id),
    CONSTRAINT uq_collections_name UNIQUE (name),
    CONSTRAINT uq_collections_vector_store_name UNIQUE (vector_store_name)
);

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

CREATE TABLE operations (
    id            uuid             NOT NULL DEFAULT gen_random_uuid(),
    collection_id uuid             NOT NULL,
    type          operation_type   NOT NULL,
    status        operation_status NOT NULL DEFAULT 'pending',
    config        jsonb            NOT NULL DEFAULT '{}'::jsonb,
    error_message text,
    created_at    timestamptz      NOT NULL DEFAULT now(),
    started_at    timestamptz,
    completed_at  timestamptz,
    CONSTRAINT pk_operations PRIMARY KEY (id),
    CONSTRAINT fk_operations_collection_id_collections
        FOREIGN KEY (collection_id) REFERENCES collections (id) ON DELETE CASCADE
);
CREATE INDEX ix_operations_collection_id_created_at ON operations (collection_id, created_at DESC);
-- Workers poll for unfinished operations; finished ones are the vast majority
-- and stay out of this index.
CREATE INDEX ix_operations_unfinished ON operations (created_at)
    WHERE status IN ('pending', 'processing');

-- retort:downgrade
DROP TABLE operations;
DROP TABLE documents;
DROP TABLE collections;
DROP TYPE operation_status;
DROP TYPE operation_type;
DROP TYPE document_status;
DROP TYPE collection_status;
