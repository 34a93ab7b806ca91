REVOKE CREATE, USAGE ON SCHEMA app FROM golden_writer;

REVOKE USAGE ON SEQUENCE app.ticket_seq FROM golden_writer;

REVOKE SELECT ON SEQUENCE public.counter_seq FROM golden_reader;

GRANT USAGE ON SCHEMA app TO golden_reader;

GRANT USAGE ON SCHEMA public TO PUBLIC;

GRANT SELECT, USAGE ON SEQUENCE public.counter_seq TO golden_writer;

DROP SCHEMA reports;
