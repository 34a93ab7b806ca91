ALTER TABLE public.leaving NO INHERIT public.base;

ALTER TABLE public.joining ADD CONSTRAINT base_id_check CHECK ((id > 0));

ALTER TABLE public.joining INHERIT public.base;
