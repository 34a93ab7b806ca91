CREATE TABLE public.audit_log (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    entry text
);

ALTER TABLE public.audit_log ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);

-- DESTRUCTIVE: drops column public.notes.extra and its data
ALTER TABLE public.notes DROP COLUMN extra;

-- DESTRUCTIVE: drops table public.audit_entries and its data
-- Probably a rename: public.audit_log, which this migration creates, has the same columns and
-- constraints. If it is, autogenerate again with the flag below: ALTER TABLE ... RENAME keeps the
-- data this DROP destroys.
-- --rename public.audit_log=audit_entries
DROP TABLE public.audit_entries;
