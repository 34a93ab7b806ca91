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
-- Workers poll for unfinished operations; finished ones are the vast majority and stay out of
-- this index.
CREATE INDEX ix_operations_unfinished ON operations (created_at)
    WHERE status IN ('pending', 'processing');
