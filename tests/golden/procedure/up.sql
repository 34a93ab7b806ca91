SET check_function_bodies = off;

CREATE OR REPLACE PROCEDURE public.write_log(IN message text)
 LANGUAGE sql
AS $procedure$ INSERT INTO log VALUES (message) $procedure$;

CREATE TABLE public.log (
    msg text
);

COMMENT ON PROCEDURE public.write_log(IN message text) IS 'appends to log';
