ALTER TABLE public.items DISABLE TRIGGER items_touch;

ALTER TABLE public.items ENABLE ALWAYS TRIGGER items_touch2;
