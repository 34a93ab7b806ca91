CREATE TABLE public.entity_notes (
    ref_key integer NOT NULL
) INHERITS (public.notes);

CREATE TABLE public.invoice_notes (
    note_class integer DEFAULT 2 NOT NULL,
    body text
) INHERITS (public.notes);

ALTER TABLE public.entity_notes ALTER COLUMN note_class SET DEFAULT 1;

ALTER TABLE public.entity_notes ALTER COLUMN subject SET NOT NULL;

COMMENT ON COLUMN public.entity_notes.body IS 'markdown';
