-- PostgreSQL cannot build an index on a partitioned table CONCURRENTLY. Online: CREATE INDEX ...
-- ON ONLY the parent, CREATE INDEX CONCURRENTLY on each partition, then ALTER INDEX ... ATTACH
-- PARTITION each one.
-- retort:lint-ignore require-concurrent-index-creation
CREATE INDEX orders_customer_idx ON public.orders USING btree (customer);
