CREATE TABLE documents (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    data_source_id uuid        NOT NULL,
    url            text        NOT NULL,
    title          text,
    content        text,
    meta           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    -- Re-crawls skip pages whose content hash has not changed.
    content_hash   char(64),
    CONSTRAINT pk_documents PRIMARY KEY (id),
    CONSTRAINT fk_documents_data_source_id_data_sources
        FOREIGN KEY (data_source_id) REFERENCES data_sources (id) ON DELETE CASCADE,
    -- A page is stored once per source; re-crawls update it in place.
    CONSTRAINT uq_documents_data_source_id_url UNIQUE (data_source_id, url)
);
