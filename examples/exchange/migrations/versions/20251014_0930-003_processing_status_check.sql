-- retort:revision  003
-- retort:revises   002
-- retort:message   processing status check
-- retort:created   2025-10-14 09:30:00+00

-- retort:upgrade
-- NOT VALID: new and updated rows are checked from now on, but existing rows
-- are not scanned, so the ACCESS EXCLUSIVE lock this takes is held only for a
-- moment. Revision 004 validates the existing rows separately.
ALTER TABLE documents
    ADD CONSTRAINT ck_documents_processing_status
    CHECK (processing_status IN ('pending', 'processing', 'completed', 'failed'))
    NOT VALID;

-- retort:downgrade
ALTER TABLE documents DROP CONSTRAINT ck_documents_processing_status;
