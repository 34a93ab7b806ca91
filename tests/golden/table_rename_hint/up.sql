CREATE TABLE public.audit_entries (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    entry text
);

ALTER TABLE public.notes ADD COLUMN extra text;

ALTER TABLE public.audit_entries ADD CONSTRAINT audit_entries_pkey PRIMARY KEY (id);

-- DESTRUCTIVE: drops table public.audit_log and its data
-- Probably a rename: public.audit_entries, which this migration creates, has the same columns and
-- constraints. If it is, autogenerate again with the flag below: ALTER TABLE ... RENAME keeps the
-- data this DROP destroys.
-- --rename public.audit_log=audit_entries
DROP TABLE public.audit_log;
