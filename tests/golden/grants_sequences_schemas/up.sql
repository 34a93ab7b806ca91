CREATE SCHEMA reports;

REVOKE USAGE ON SCHEMA app FROM golden_reader;

REVOKE USAGE ON SCHEMA public FROM PUBLIC;

REVOKE SELECT, USAGE ON SEQUENCE public.counter_seq FROM golden_writer;

GRANT CREATE, USAGE ON SCHEMA app TO golden_writer;

GRANT USAGE ON SCHEMA reports TO golden_reader;

GRANT USAGE ON SEQUENCE app.ticket_seq TO golden_writer;

GRANT SELECT ON SEQUENCE public.counter_seq TO golden_reader;
