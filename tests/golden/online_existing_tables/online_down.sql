ALTER TABLE public.orders DROP CONSTRAINT orders_account_id_fkey;

ALTER TABLE public.accounts DROP CONSTRAINT accounts_email_key;

ALTER TABLE public.accounts DROP CONSTRAINT accounts_region_check;

ALTER TABLE public.logs DROP CONSTRAINT logs_id_check;

-- PostgreSQL cannot drop an index of a partitioned table CONCURRENTLY: the DROP takes ACCESS
-- EXCLUSIVE on the table and its partitions briefly.
-- retort:lint-ignore require-concurrent-index-deletion
DROP INDEX public.logs_at_idx;

DROP INDEX CONCURRENTLY public.orders_account_id_idx;

ALTER TABLE public.accounts ALTER COLUMN email DROP NOT NULL;

ALTER TABLE public.logs ALTER COLUMN id DROP NOT NULL;

CREATE INDEX CONCURRENTLY orders_note_idx ON public.orders USING btree (note);

-- DESTRUCTIVE: drops column public.accounts.token and its data
ALTER TABLE public.accounts DROP COLUMN token;

-- DESTRUCTIVE: drops column public.accounts.created and its data
ALTER TABLE public.accounts DROP COLUMN created;

-- DESTRUCTIVE: drops column public.events.added_at and its data
ALTER TABLE public.events DROP COLUMN added_at;

-- DESTRUCTIVE: drops table public.tags and its data
DROP TABLE public.tags;
