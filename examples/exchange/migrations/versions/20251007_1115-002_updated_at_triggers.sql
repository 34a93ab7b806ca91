-- retort:revision  002
-- retort:revises   001
-- retort:message   updated_at triggers
-- retort:created   2025-10-07 11:15:00+00

-- retort:upgrade
-- One trigger function shared by every table with an updated_at column, so the
-- column is right no matter which client writes the row.
CREATE FUNCTION set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := CURRENT_TIMESTAMP;
    RETURN NEW;
END
$$;

CREATE TRIGGER trg_documents_updated_at
    BEFORE UPDATE ON documents
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_sections_updated_at
    BEFORE UPDATE ON sections
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- retort:downgrade
DROP TRIGGER trg_sections_updated_at ON sections;
DROP TRIGGER trg_documents_updated_at ON documents;
DROP FUNCTION set_updated_at();
