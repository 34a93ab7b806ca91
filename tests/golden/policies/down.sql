DROP POLICY notes_insert ON public.notes;

DROP POLICY notes_update ON public.notes;

CREATE POLICY notes_insert ON public.notes FOR INSERT WITH CHECK ((owner = CURRENT_USER));

CREATE POLICY notes_old ON public.notes FOR DELETE TO golden_writer USING (false);

ALTER POLICY notes_owner ON public.notes TO PUBLIC USING ((owner = CURRENT_USER));
