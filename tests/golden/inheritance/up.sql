ALTER TABLE public.base ADD COLUMN note text;

ALTER TABLE public.other ADD COLUMN note text;

ALTER TABLE public.other INHERIT public.base;
