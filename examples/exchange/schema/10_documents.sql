-- The schema of the Exchange Documentation Manager, column for column as its migrations README
-- documents it (TIMESTAMP without time zone included).
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
    updated_at        timestamp    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT ck_documents_processing_status
        CHECK (processing_status IN ('pending', 'processing', 'completed', 'failed'))
);

CREATE INDEX idx_documents_status ON documents (processing_status);
