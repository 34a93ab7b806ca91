ALTER TABLE public.items ENABLE TRIGGER items_touch;

ALTER TABLE public.items DISABLE TRIGGER items_touch2;
