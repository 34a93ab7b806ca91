REVOKE SELECT ON TABLE public.notes FROM PUBLIC;

GRANT SELECT ON TABLE public.notes TO golden_reader WITH GRANT OPTION;

GRANT UPDATE ON TABLE public.notes TO golden_writer;

GRANT SELECT ON TABLE public.note_ids TO golden_reader;
