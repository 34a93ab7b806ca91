-- Fails if public.events holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY events_code_key__retort_new ON public.events USING btree (code) INCLUDE (id) WITH (fillfactor='80', deduplicate_items=off);

-- The old key and the new one swapped in one statement (ACCESS EXCLUSIVE, briefly): the index
-- built above takes the constraint's name.
ALTER TABLE public.events DROP CONSTRAINT events_code_key, ADD CONSTRAINT events_code_key UNIQUE USING INDEX events_code_key__retort_new DEFERRABLE;

-- Fails if public.events holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY events_pkey__retort_new ON public.events USING btree (id) WITH (fillfactor='70');

-- The old key and the new one swapped in one statement (ACCESS EXCLUSIVE, briefly): the index
-- built above takes the constraint's name.
ALTER TABLE public.events DROP CONSTRAINT events_pkey, ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey__retort_new;

-- Fails if public.tags holds duplicates: the failed build leaves an INVALID index, which the next
-- `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY tags_pkey__retort_new ON public.tags USING btree (id);

-- The old key and the new one swapped in one statement (ACCESS EXCLUSIVE, briefly): the index
-- built above takes the constraint's name.
ALTER TABLE public.tags DROP CONSTRAINT tags_pkey, ADD CONSTRAINT tags_pkey PRIMARY KEY USING INDEX tags_pkey__retort_new;
