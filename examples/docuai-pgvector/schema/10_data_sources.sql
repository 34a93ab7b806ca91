-- Documentation sites the crawler visits. Constraint and index names follow the project's
-- naming convention (pk_<table>, uq_<table>_<column>, fk_<table>_<column>_<referred table>,
-- ix_<table>_<column>).
CREATE TABLE data_sources (
    id               uuid         NOT NULL DEFAULT gen_random_uuid(),
    name             varchar(255) NOT NULL,
    base_url         text         NOT NULL,
    source_type      varchar(50)  NOT NULL DEFAULT 'website',
    crawl_config     jsonb        NOT NULL DEFAULT '{}'::jsonb,
    is_active        boolean      NOT NULL DEFAULT true,
    created_at       timestamptz  NOT NULL DEFAULT now(),
    updated_at       timestamptz  NOT NULL DEFAULT now(),
    last_crawled_at  timestamptz,
    last_crawl_error text,
    CONSTRAINT pk_data_sources PRIMARY KEY (id),
    CONSTRAINT uq_data_sources_name UNIQUE (name)
);

-- The crawler picks the active sources that have waited longest.
CREATE INDEX ix_data_sources_last_crawled_at ON data_sources (last_crawled_at NULLS FIRST)
    WHERE is_active;
