-- PostgreSQL cannot build an index on a partitioned table CONCURRENTLY: the index of the parent
-- alone (ON ONLY: builds nothing, invalid for now), then each partition's index built CONCURRENTLY
-- and attached to it; the last ATTACH makes it valid.
-- retort:lint-ignore require-concurrent-index-creation
CREATE INDEX orders_customer_idx ON ONLY public.orders USING btree (customer);

-- public.orders_eu has an index of this shape (orders_eu_customer_idx): attached, not built again.
ALTER INDEX public.orders_customer_idx ATTACH PARTITION public.orders_eu_customer_idx;

CREATE INDEX CONCURRENTLY orders_us_customer_idx ON public.orders_us USING btree (customer);

ALTER INDEX public.orders_customer_idx ATTACH PARTITION public.orders_us_customer_idx;
