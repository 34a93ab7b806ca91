DROP INDEX public.orders_customer_idx;

CREATE INDEX orders_eu_customer_idx ON public.orders_eu USING btree (customer);
