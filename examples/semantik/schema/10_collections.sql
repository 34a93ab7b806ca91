-- One collection owns its documents, chunks and operations; deleting a collection deletes them
-- all (ON DELETE CASCADE).
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
    -- How the collection's documents are chunked; NULL means the default strategy.
    chunking_strategy text,
    chunking_config   jsonb,
    CONSTRAINT pk_collections PRIMARY KEY (id),
    CONSTRAINT uq_collections_name UNIQUE (name),
    CONSTRAINT uq_collections_vector_store_name UNIQUE (vector_store_name),
    CONSTRAINT ck_collections_chunking_config_is_object
        CHECK (chunking_config IS NULL OR jsonb_typeof(chunking_config) = 'object')
);
