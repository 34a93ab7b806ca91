CREATE INDEX orders_customer_idx ON public.orders USING btree (customer);
