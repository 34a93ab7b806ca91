ALTER TABLE public.events DROP CONSTRAINT events_code_key;

ALTER TABLE public.events DROP CONSTRAINT events_pkey;

ALTER TABLE public.tags DROP CONSTRAINT tags_pkey;

ALTER TABLE public.events ADD CONSTRAINT events_code_key UNIQUE (code);

ALTER TABLE public.events ADD CONSTRAINT events_pkey PRIMARY KEY (id);

ALTER TABLE public.tags ADD CONSTRAINT tags_pkey PRIMARY KEY (id) WITH (fillfactor='90');
