ALTER TABLE public.accounts REPLICA IDENTITY DEFAULT;

DROP INDEX CONCURRENTLY public.accounts_email_key;

DROP INDEX CONCURRENTLY public.sessions_token_key;

-- Fails if public.sessions holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY sessions_id_key ON public.sessions USING btree (id);

ALTER TABLE public.sessions REPLICA IDENTITY USING INDEX sessions_id_key;

ALTER TABLE public.tags REPLICA IDENTITY USING INDEX tags_name_key;
