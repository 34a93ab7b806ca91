-- DESTRUCTIVE: drops table public.jobs, its partitions and their data to create it again (its partitioning changes)
DROP TABLE public.jobs;

CREATE TABLE public.jobs (
    id bigint NOT NULL,
    queue text NOT NULL,
    payload jsonb
) PARTITION BY LIST (queue);

CREATE TABLE public.jobs_mail PARTITION OF public.jobs FOR VALUES IN ('mail');

CREATE INDEX jobs_mail_payload_idx ON public.jobs_mail USING gin (payload);

CREATE TRIGGER jobs_mail_touch BEFORE INSERT ON public.jobs_mail FOR EACH ROW EXECUTE FUNCTION jobs_touch();

COMMENT ON TABLE public.jobs_mail IS 'mail jobs';

GRANT SELECT ON TABLE public.jobs_mail TO golden_reader;
