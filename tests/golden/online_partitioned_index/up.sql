ALTER TABLE public.events ADD CONSTRAINT events_pkey PRIMARY KEY (id, kind, shard);

CREATE INDEX events_at_idx ON public.events USING btree (at);

CREATE INDEX events_at_kind_idx1 ON public.events USING btree (at, kind);
