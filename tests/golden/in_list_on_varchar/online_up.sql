CREATE DOMAIN public.sales_channel AS character varying(10)
    CONSTRAINT sales_channel_check CHECK (((VALUE)::text = ANY (ARRAY['web'::character varying, 'shop'::character varying])));

ALTER TABLE public.orders ADD COLUMN sold_by sales_channel;

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.orders ADD CONSTRAINT orders_channel_check CHECK (((channel)::text <> ALL (ARRAY['fax'::character varying, 'telex'::character varying]))) NOT VALID;

ALTER TABLE public.orders VALIDATE CONSTRAINT orders_channel_check;

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.orders ADD CONSTRAINT orders_status_check CHECK (((status)::text = ANY (ARRAY['new'::character varying, 'paid'::character varying, 'it''s'::character varying]))) NOT VALID;

ALTER TABLE public.orders VALIDATE CONSTRAINT orders_status_check;

CREATE INDEX CONCURRENTLY orders_open ON public.orders USING btree (id) WHERE ((status)::text = ANY (ARRAY['new'::character varying, 'paid'::character varying]));

CREATE VIEW public.open_orders AS
 SELECT orders.id,
    orders.status
   FROM orders
  WHERE ((orders.status)::text = ANY (ARRAY['new'::character varying, 'paid'::character varying]));
