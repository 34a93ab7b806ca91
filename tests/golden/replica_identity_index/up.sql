ALTER TABLE public.tags REPLICA IDENTITY FULL;

DROP INDEX public.sessions_id_key;

CREATE UNIQUE INDEX accounts_email_key ON public.accounts USING btree (email);

CREATE UNIQUE INDEX sessions_token_key ON public.sessions USING btree (token);

ALTER TABLE public.accounts REPLICA IDENTITY USING INDEX accounts_email_key;

ALTER TABLE public.sessions REPLICA IDENTITY USING INDEX sessions_token_key;
