ALTER TABLE public.joining NO INHERIT public.base;

ALTER TABLE public.joining DROP CONSTRAINT base_id_check;

ALTER TABLE public.leaving INHERIT public.base;
