-- Fails if public.events_buy_0 holds duplicates: the failed build leaves an INVALID index, which
-- the next `retort upgrade` drops before it builds again; remove the duplicates, then run it
-- again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY events_buy_0_pkey ON public.events_buy_0 USING btree (id, kind, shard);

ALTER TABLE public.events_buy_0 ADD CONSTRAINT events_buy_0_pkey PRIMARY KEY USING INDEX events_buy_0_pkey;

-- Fails if public.events_buy_1 holds duplicates: the failed build leaves an INVALID index, which
-- the next `retort upgrade` drops before it builds again; remove the duplicates, then run it
-- again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY events_buy_1_pkey ON public.events_buy_1 USING btree (id, kind, shard);

ALTER TABLE public.events_buy_1 ADD CONSTRAINT events_buy_1_pkey PRIMARY KEY USING INDEX events_buy_1_pkey;

-- Builds nothing: its partitions' constraints (above) are attached.
-- retort:lint-ignore adding-unique-constraint
ALTER TABLE public.events_buy ADD CONSTRAINT events_buy_pkey PRIMARY KEY (id, kind, shard);

-- Fails if public.events_click holds duplicates: the failed build leaves an INVALID index, which
-- the next `retort upgrade` drops before it builds again; remove the duplicates, then run it
-- again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY events_click_pkey ON public.events_click USING btree (id, kind, shard);

ALTER TABLE public.events_click ADD CONSTRAINT events_click_pkey PRIMARY KEY USING INDEX events_click_pkey;

-- Fails if public.events_view holds duplicates: the failed build leaves an INVALID index, which
-- the next `retort upgrade` drops before it builds again; remove the duplicates, then run it
-- again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY events_view_pkey ON public.events_view USING btree (id, kind, shard);

ALTER TABLE public.events_view ADD CONSTRAINT events_view_pkey PRIMARY KEY USING INDEX events_view_pkey;

-- Builds nothing: every partition has its matching constraint (above), which PostgreSQL attaches
-- (ACCESS EXCLUSIVE on public.events briefly).
-- retort:lint-ignore adding-unique-constraint
ALTER TABLE public.events ADD CONSTRAINT events_pkey PRIMARY KEY (id, kind, shard);

-- PostgreSQL cannot build an index on a partitioned table CONCURRENTLY: the index of the parent
-- alone (ON ONLY: builds nothing, invalid for now), then each partition's index built CONCURRENTLY
-- and attached to it; the last ATTACH makes it valid.
-- retort:lint-ignore require-concurrent-index-creation
CREATE INDEX events_at_idx ON ONLY public.events USING btree (at);

-- A partitioned partition: its own index ON ONLY, attached once its partitions' are.
-- retort:lint-ignore require-concurrent-index-creation
CREATE INDEX events_buy_at_idx ON ONLY public.events_buy USING btree (at);

CREATE INDEX CONCURRENTLY events_buy_0_at_idx ON public.events_buy_0 USING btree (at);

ALTER INDEX public.events_buy_at_idx ATTACH PARTITION public.events_buy_0_at_idx;

CREATE INDEX CONCURRENTLY events_buy_1_at_idx ON public.events_buy_1 USING btree (at);

ALTER INDEX public.events_buy_at_idx ATTACH PARTITION public.events_buy_1_at_idx;

ALTER INDEX public.events_at_idx ATTACH PARTITION public.events_buy_at_idx;

CREATE INDEX CONCURRENTLY events_click_at_idx ON public.events_click USING btree (at);

ALTER INDEX public.events_at_idx ATTACH PARTITION public.events_click_at_idx;

-- public.events_view has an index of this shape (events_view_at_idx): attached, not built again.
ALTER INDEX public.events_at_idx ATTACH PARTITION public.events_view_at_idx;

-- PostgreSQL cannot build an index on a partitioned table CONCURRENTLY: the index of the parent
-- alone (ON ONLY: builds nothing, invalid for now), then each partition's index built CONCURRENTLY
-- and attached to it; the last ATTACH makes it valid.
-- retort:lint-ignore require-concurrent-index-creation
CREATE INDEX events_at_kind_idx1 ON ONLY public.events USING btree (at, kind);

-- A partitioned partition: its own index ON ONLY, attached once its partitions' are.
-- retort:lint-ignore require-concurrent-index-creation
CREATE INDEX events_buy_at_kind_idx1 ON ONLY public.events_buy USING btree (at, kind);

CREATE INDEX CONCURRENTLY events_buy_0_at_kind_idx1 ON public.events_buy_0 USING btree (at, kind);

ALTER INDEX public.events_buy_at_kind_idx1 ATTACH PARTITION public.events_buy_0_at_kind_idx1;

CREATE INDEX CONCURRENTLY events_buy_1_at_kind_idx1 ON public.events_buy_1 USING btree (at, kind);

ALTER INDEX public.events_buy_at_kind_idx1 ATTACH PARTITION public.events_buy_1_at_kind_idx1;

ALTER INDEX public.events_at_kind_idx1 ATTACH PARTITION public.events_buy_at_kind_idx1;

CREATE INDEX CONCURRENTLY events_click_at_kind_idx1 ON public.events_click USING btree (at, kind);

ALTER INDEX public.events_at_kind_idx1 ATTACH PARTITION public.events_click_at_kind_idx1;

CREATE INDEX CONCURRENTLY events_view_at_kind_idx1 ON public.events_view USING btree (at, kind);

ALTER INDEX public.events_at_kind_idx1 ATTACH PARTITION public.events_view_at_kind_idx1;
