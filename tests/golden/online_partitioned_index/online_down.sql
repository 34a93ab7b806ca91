ALTER TABLE public.events DROP CONSTRAINT events_pkey;

-- PostgreSQL cannot drop an index of a partitioned table CONCURRENTLY: the DROP takes ACCESS
-- EXCLUSIVE on the table and its partitions briefly.
-- retort:lint-ignore require-concurrent-index-deletion
DROP INDEX public.events_at_idx;

-- PostgreSQL cannot drop an index of a partitioned table CONCURRENTLY: the DROP takes ACCESS
-- EXCLUSIVE on the table and its partitions briefly.
-- retort:lint-ignore require-concurrent-index-deletion
DROP INDEX public.events_at_kind_idx1;

CREATE INDEX CONCURRENTLY events_view_at_idx ON public.events_view USING btree (at);
