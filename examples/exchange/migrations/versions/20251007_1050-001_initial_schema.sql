-- retort:revision  001
-- retort:message   initial schema
-- retort:created   2025-10-07 10:50:00+00

-- retort:upgrade
-- The schema of the Exchange Documentation Manager, column for column as its
-- migrations README documents it (TIMESTAMP without time zone included).
CREATE TABLE documents (
    id                uuid         NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    title             varchar(255) NOT NULL,
    version           varchar(50)  NOT NULL,
    upload_date       timestamp    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    file_path         varchar(500) NOT NULL,
    page_count        integer,
    processing_status varchar(50)  NOT NULL DEFAULT 'pending',
    metadata          jsonb,
    created_at        timestamp    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at        timestamp    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Sections form a tree per document (chapter > section > subsection):
-- deleting a document deletes its sections, deleting a section its subsections.
CREATE TABLE sections (
    id            uuid         NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    document_id   uuid         NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    level         integer      NOT NULL,
    title         varchar(500) NOT NULL,
    content       text         NOT NULL,
    page_number   integer,
    parent_id     uuid         REFERENCES sections (id) ON DELETE CASCADE,
    order_index   integer      NOT NULL,
    -- Stored, so full-text search reads the index and never re-parses content.
    search_vector tsvector     GENERATED ALWAYS AS (
        to_tsvector('english', coalesce(title, '') || ' ' || coalesce(content, ''))
    ) STORED,
    created_at    timestamp    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    timestamp    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_sections_document ON sections (document_id);
CREATE INDEX idx_sections_parent ON sections (parent_id);
CREATE INDEX idx_sections_order ON sections (document_id, order_index);
CREATE INDEX idx_sections_fts ON sections USING gin (search_vector);
CREATE INDEX idx_documents_status ON documents (processing_status);

-- retort:downgrade
DROP TABLE sections;
DROP TABLE documents;
