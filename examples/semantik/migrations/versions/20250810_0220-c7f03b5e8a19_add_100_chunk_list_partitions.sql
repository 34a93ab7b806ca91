-- retort:revision  c7f03b5e8a19
-- retort:revises   a41c7e9b20d5
-- retort:message   add 100 chunk list partitions
-- retort:created   2025-08-10 02:20:00+00

-- retort:upgrade
-- chunks is LIST-partitioned 100 ways on partition_key, which is
-- abs(hashtext(collection_id::text)) % 100, so all chunks of one collection live
-- in one partition and a query that names collection_id touches one partition.
--
-- partition_key is a plain column rather than an expression key because every
-- column of a partitioned table's primary key must be a partition key column;
-- with an expression key there could be no (id, partition_key) primary key.
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

-- Indexes created on the parent are created on, and attached to, every partition.
CREATE INDEX ix_chunks_collection_id_chunk_index ON chunks (collection_id, chunk_index);
CREATE INDEX ix_chunks_document_id ON chunks (document_id) WHERE document_id IS NOT NULL;

-- What writers put into partition_key.
CREATE FUNCTION chunk_partition_key(p_collection_id uuid) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT abs(hashtext(p_collection_id::text)) % 100 $$;

-- PostgreSQL chooses the partition before BEFORE ROW triggers run, and a
-- BEFORE trigger may not send a row to another partition. So this trigger
-- cannot fill in a missing partition_key (such an INSERT fails with "no
-- partition of relation "chunks" found for row"); what it does is recompute
-- the key, so an INSERT with a wrong key is rejected instead of storing a chunk
-- where collection queries will never find it. On UPDATE the trigger runs
-- before the partition check, so changing collection_id moves the chunk to its
-- new partition and a hand-edited partition_key is put back.
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

-- retort:downgrade
-- Dropping the parent drops its 100 partitions, their indexes and the trigger.
DROP TABLE chunks;
DROP FUNCTION chunk_partition_trigger();
DROP FUNCTION chunk_partition_key(uuid);
