DROP INDEX public.orders_note_idx;

CREATE TABLE public.tags (
    id integer NOT NULL,
    name text DEFAULT md5((random())::text) NOT NULL
);

ALTER TABLE public.accounts ALTER COLUMN email SET NOT NULL;

ALTER TABLE public.accounts ADD COLUMN token uuid DEFAULT gen_random_uuid() NOT NULL;

ALTER TABLE public.accounts ADD COLUMN created timestamp with time zone DEFAULT now() NOT NULL;

ALTER TABLE public.events ADD COLUMN added_at timestamp with time zone DEFAULT clock_timestamp();

ALTER TABLE public.logs ALTER COLUMN id SET NOT NULL;

ALTER TABLE public.accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);

ALTER TABLE public.accounts ADD CONSTRAINT accounts_region_check CHECK ((region <> ''::text));

ALTER TABLE public.logs ADD CONSTRAINT logs_id_check CHECK ((id >= 0));

ALTER TABLE public.tags ADD CONSTRAINT tags_pkey PRIMARY KEY (id);

CREATE INDEX logs_at_idx ON public.logs USING btree (at);

CREATE INDEX orders_account_id_idx ON public.orders USING btree (account_id);

CREATE INDEX tags_name_idx ON public.tags USING btree (name);

ALTER TABLE public.orders ADD CONSTRAINT orders_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts(id);
