-- retort:revision  f83a60c2d971
-- retort:revises   b2d47e9a1c05
-- retort:message   add crawl tracking
-- retort:created   2025-03-08 09:15:00+00

-- retort:upgrade
-- Re-crawls skip pages whose content hash has not changed, and the crawler
-- picks the sources that have waited longest.
ALTER TABLE data_sources
    ADD COLUMN last_crawled_at  timestamptz,
    ADD COLUMN last_crawl_error text;
ALTER TABLE documents ADD COLUMN content_hash char(64);
CREATE INDEX ix_data_sources_last_crawled_at ON data_sources (last_crawled_at NULLS FIRST)
    WHERE is_active;

-- retort:downgrade
DROP INDEX ix_data_sources_last_crawled_at;
ALTER TABLE documents DROP COLUMN content_hash;
ALTER TABLE data_sources
    DROP COLUMN last_crawl_error,
    DROP COLUMN last_crawled_at;
