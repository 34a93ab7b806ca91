ALTER TABLE public.leaving NO INHERIT public.base;

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.joining ADD CONSTRAINT base_id_check CHECK ((id > 0)) NOT VALID;

ALTER TABLE public.joining VALIDATE CONSTRAINT base_id_check;

ALTER TABLE public.joining INHERIT public.base;
