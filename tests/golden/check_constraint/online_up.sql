ALTER TABLE public.items DROP CONSTRAINT items_qty_check;

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.items ADD CONSTRAINT items_price_check CHECK (((price IS NULL) OR (price >= (0)::numeric))) NOT VALID;

ALTER TABLE public.items VALIDATE CONSTRAINT items_price_check;

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.items ADD CONSTRAINT items_qty_check CHECK ((qty > 0)) NOT VALID;

ALTER TABLE public.items VALIDATE CONSTRAINT items_qty_check;
