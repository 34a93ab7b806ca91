DROP POLICY notes_owner ON public.notes;

ALTER TABLE public.notes ALTER COLUMN owner TYPE text USING owner::text;

CREATE POLICY notes_owner ON public.notes FOR SELECT USING ((owner = CURRENT_USER));
