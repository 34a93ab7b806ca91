-- DESTRUCTIVE: drops table public.entity_notes and its data
DROP TABLE public.entity_notes;

-- DESTRUCTIVE: drops table public.invoice_notes and its data
DROP TABLE public.invoice_notes;
