ALTER TABLE public.accounts REPLICA IDENTITY DEFAULT;

DROP INDEX public.accounts_email_key;

DROP INDEX public.sessions_token_key;

CREATE UNIQUE INDEX sessions_id_key ON public.sessions USING btree (id);

ALTER TABLE public.sessions REPLICA IDENTITY USING INDEX sessions_id_key;

ALTER TABLE public.tags REPLICA IDENTITY USING INDEX tags_name_key;
