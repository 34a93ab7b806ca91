CREATE TABLE log (msg text);
CREATE PROCEDURE write_log(message text) LANGUAGE sql AS $$ INSERT INTO log VALUES (message) $$;
COMMENT ON PROCEDURE write_log(text) IS 'appends to log';
