-- NOT NULL without a scan under ACCESS EXCLUSIVE: a CHECK validated apart, which SET NOT NULL then
-- relies on.
ALTER TABLE public.items ADD CONSTRAINT items_name_not_null CHECK (name IS NOT NULL) NOT VALID;

ALTER TABLE public.items VALIDATE CONSTRAINT items_name_not_null;

ALTER TABLE public.items ALTER COLUMN name SET NOT NULL;

ALTER TABLE public.items DROP CONSTRAINT items_name_not_null;

ALTER TABLE public.items ALTER COLUMN note DROP NOT NULL;
