DROP POLICY notes_insert ON public.notes;

DROP POLICY notes_old ON public.notes;

CREATE POLICY notes_insert ON public.notes AS RESTRICTIVE FOR INSERT WITH CHECK ((owner = CURRENT_USER));

ALTER POLICY notes_owner ON public.notes TO golden_reader, golden_writer USING (((owner = CURRENT_USER) OR (body IS NULL)));

CREATE POLICY notes_update ON public.notes FOR UPDATE USING ((owner = CURRENT_USER)) WITH CHECK ((body IS NOT NULL));

COMMENT ON POLICY notes_update ON public.notes IS 'owners edit';
