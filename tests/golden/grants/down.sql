REVOKE SELECT ON TABLE public.notes FROM golden_reader;

REVOKE UPDATE ON TABLE public.notes FROM golden_writer;

REVOKE SELECT ON TABLE public.note_ids FROM golden_reader;

GRANT SELECT ON TABLE public.notes TO PUBLIC;
