ALTER TABLE public.items DROP CONSTRAINT items_qty_check;

ALTER TABLE public.items ADD CONSTRAINT items_price_check CHECK (((price IS NULL) OR (price >= (0)::numeric)));

ALTER TABLE public.items ADD CONSTRAINT items_qty_check CHECK ((qty > 0));
