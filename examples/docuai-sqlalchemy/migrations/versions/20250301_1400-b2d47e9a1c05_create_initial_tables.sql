-- retort:revision  b2d47e9a1c05
-- retort:message   create initial tables
-- retort:created   2025-03-01 14:00:00+00

-- retort:upgrade
-- Constraint and index names follow the project's naming convention
-- (pk_<table>, uq_<table>_<column>, fk_<table>_<column>_<referred table>,
-- ix_<table>_<column>), so a later autogenerate compares names that match.
CREATE TABLE data_sources (
    id           uuid         NOT NULL DEFAULT gen_random_uuid(),
    name         varchar(255) NOT NULL,
    base_url     text         NOT NULL,
    source_type  varchar(50)  NOT NULL DEFAULT 'website',
    crawl_config jsonb        NOT NULL DEFAULT '{}'::jsonb,
    is_active    boolean      NOT NULL DEFAULT true,
    created_at   timestamptz  NOT NULL DEFAULT now(),
    updated_at   timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT pk_data_sources PRIMARY KEY (id),
    CONSTRAINT uq_data_sources_name UNIQUE (name)
);

CREATE TABLE documents (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    data_source_id uuid        NOT NULL,
    url            text        NOT NULL,
    title          text,
    content        text,
    meta           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_documents PRIMARY KEY (id),
    CONSTRAINT fk_documents_data_source_id_data_sources
        FOREIGN KEY (data_source_id) REFERENCES data_sources (id) ON DELETE CASCADE,
    -- A page is stored once per source; re-crawls update it in place.
    CONSTRAINT uq_documents_data_source_id_url UNIQUE (data_source_id, url)
);

-- The embedding column and its HNSW index are not here yet; see README.md.
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

-- retort:downgrade
DROP TABLE document_chunks;
DROP TABLE documents;
DROP TABLE data_sources;
