-- PostgreSQL cannot drop an index of a partitioned table CONCURRENTLY: the DROP takes ACCESS
-- EXCLUSIVE on the table and its partitions briefly.
-- retort:lint-ignore require-concurrent-index-deletion
DROP INDEX public.orders_customer_idx;

CREATE INDEX CONCURRENTLY orders_eu_customer_idx ON public.orders_eu USING btree (customer);
