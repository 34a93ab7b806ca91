ALTER TABLE public.events DROP CONSTRAINT events_pkey;

DROP INDEX public.events_at_idx;

DROP INDEX public.events_at_kind_idx1;

CREATE INDEX events_view_at_idx ON public.events_view USING btree (at);
