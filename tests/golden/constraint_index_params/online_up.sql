ALTER TABLE public.events DROP CONSTRAINT events_code_key;

ALTER TABLE public.events DROP CONSTRAINT events_pkey;

ALTER TABLE public.tags DROP CONSTRAINT tags_pkey;

-- Fails if public.events holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY events_code_key ON public.events USING btree (code) INCLUDE (id) WITH (fillfactor='80', deduplicate_items=off);

ALTER TABLE public.events ADD CONSTRAINT events_code_key UNIQUE USING INDEX events_code_key DEFERRABLE;

-- Fails if public.events holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON public.events USING btree (id) WITH (fillfactor='70');

ALTER TABLE public.events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;

-- Fails if public.tags holds duplicates: the failed build leaves an INVALID index, which the next
-- `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY tags_pkey ON public.tags USING btree (id);

ALTER TABLE public.tags ADD CONSTRAINT tags_pkey PRIMARY KEY USING INDEX tags_pkey;
