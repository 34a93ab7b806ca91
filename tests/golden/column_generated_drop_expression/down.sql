-- DESTRUCTIVE: drops column public.items.doubled and adds it again as a generated column (PostgreSQL 15 cannot change a generation expression)
ALTER TABLE public.items DROP COLUMN doubled;

ALTER TABLE public.items ADD COLUMN doubled numeric GENERATED ALWAYS AS ((price * (2)::numeric)) STORED;
