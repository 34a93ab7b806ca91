-- Sections form a tree per document (chapter > section > subsection): deleting a document
-- deletes its sections, deleting a section its subsections.
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
