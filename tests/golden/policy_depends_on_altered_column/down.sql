DROP POLICY notes_owner ON public.notes;

ALTER TABLE public.notes ALTER COLUMN owner TYPE character varying(40) USING owner::character varying(40);

CREATE POLICY notes_owner ON public.notes FOR SELECT USING (((owner)::text = CURRENT_USER));
