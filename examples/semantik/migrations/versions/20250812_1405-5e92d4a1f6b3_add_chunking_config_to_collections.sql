-- retort:revision  5e92d4a1f6b3
-- retort:revises   c7f03b5e8a19
-- retort:message   add chunking config to collections
-- retort:created   2025-08-12 14:05:00+00

-- retort:upgrade
-- Each collection chooses how its documents are chunked. Both columns are
-- nullable so existing collections keep the default strategy and adding them
-- does not rewrite the table.
ALTER TABLE collections
    ADD COLUMN chunking_strategy text,
    ADD COLUMN chunking_config   jsonb;

ALTER TABLE collections
    ADD CONSTRAINT ck_collections_chunking_config_is_object
    CHECK (chunking_config IS NULL OR jsonb_typeof(chunking_config) = 'object');

-- retort:downgrade
ALTER TABLE collections DROP CONSTRAINT ck_collections_chunking_config_is_object;
ALTER TABLE collections
    DROP COLUMN chunking_config,
    DROP COLUMN chunking_strategy;
