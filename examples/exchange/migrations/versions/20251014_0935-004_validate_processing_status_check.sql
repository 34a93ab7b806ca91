-- retort:revision  004
-- retort:revises   003
-- retort:message   validate processing status check
-- retort:created   2025-10-14 09:35:00+00

-- retort:upgrade
-- Runs in its own transaction, after 003 committed: VALIDATE CONSTRAINT scans
-- the table under a SHARE UPDATE EXCLUSIVE lock, which lets reads and writes
-- go on during the scan.
ALTER TABLE documents VALIDATE CONSTRAINT ck_documents_processing_status;

-- retort:downgrade
-- A constraint cannot be marked NOT VALID again; re-adding it unvalidated
-- restores exactly the state of revision 003.
ALTER TABLE documents DROP CONSTRAINT ck_documents_processing_status;
ALTER TABLE documents
    ADD CONSTRAINT ck_documents_processing_status
    CHECK (processing_status IN ('pending', 'processing', 'completed', 'failed'))
    NOT VALID;
