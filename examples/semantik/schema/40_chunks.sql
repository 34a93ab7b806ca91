-- chunks is LIST-partitioned 100 ways on partition_key = abs(hashtext(collection_id::text)) % 100,
-- so all chunks of one collection live in one partition. partition_key is a plain column, not an
-- expression key, because every column of a partitioned table's primary key must be a partition
-- key column.
CREATE TABLE chunks (
    id                  uuid         NOT NULL DEFAULT gen_random_uuid(),
    collection_id       uuid         NOT NULL,
    partition_key       integer      NOT NULL,
    document_id         uuid,
    chunk_index         integer      NOT NULL,
    content             text         NOT NULL,
    start_offset        integer,
    end_offset          integer,
    token_count         integer,
    embedding_vector_id varchar(255),
    meta                jsonb        NOT NULL DEFAULT '{}'::jsonb,
    created_at          timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT pk_chunks PRIMARY KEY (id, partition_key),
    CONSTRAINT fk_chunks_collection_id_collections
        FOREIGN KEY (collection_id) REFERENCES collections (id) ON DELETE CASCADE,
    CONSTRAINT fk_chunks_document_id_documents
        FOREIGN KEY (document_id) REFERENCES documents (id) ON DELETE CASCADE
) PARTITION BY LIST (partition_key);

DO $$
BEGIN
    FOR i IN 0..99 LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF chunks FOR VALUES IN (%s)',
                       'chunk_part_' || i, i);
    END LOOP;
END
$$;

-- Created on the parent, so created on and attached to every partition.
CREATE INDEX ix_chunks_collection_id_chunk_index ON chunks (collection_id, chunk_index);
CREATE INDEX ix_chunks_document_id ON chunks (document_id) WHERE document_id IS NOT NULL;

-- What writers put into partition_key.
CREATE FUNCTION chunk_partition_key(p_collection_id uuid) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT abs(hashtext(p_collection_id::text)) % 100 $$;

-- PostgreSQL picks the partition before BEFORE ROW triggers run, so this trigger cannot fill in
-- a missing key; it recomputes it, so an INSERT with a wrong key is rejected and an UPDATE of
-- collection_id moves the chunk to its new partition.
CREATE FUNCTION chunk_partition_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.partition_key := abs(hashtext(NEW.collection_id::text)) % 100;
    RETURN NEW;
END
$$;

CREATE TRIGGER chunk_partition_trigger
    BEFORE INSERT OR UPDATE OF collection_id, partition_key ON chunks
    FOR EACH ROW EXECUTE FUNCTION chunk_partition_trigger();
