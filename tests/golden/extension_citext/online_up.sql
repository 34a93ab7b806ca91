CREATE EXTENSION citext WITH SCHEMA public VERSION '1.6';

-- Rewrites public.users and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- citext, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.users ALTER COLUMN email TYPE citext USING email::citext;

-- Fails if public.users holds duplicates: the failed build leaves an INVALID index, which the next
-- `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON public.users USING btree (email);

ALTER TABLE public.users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
