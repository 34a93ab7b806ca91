ALTER TABLE public.children DROP CONSTRAINT children_parent_id_fkey;

ALTER TABLE public.children DROP CONSTRAINT children_position_key;

ALTER TABLE public.parents DROP CONSTRAINT parents_code_key;

ALTER TABLE public.children DROP CONSTRAINT children_position_check;

ALTER TABLE public.children ADD CONSTRAINT children_position_key UNIQUE (parent_id, "position");

ALTER TABLE public.parents ADD CONSTRAINT parents_code_key UNIQUE (code);

ALTER TABLE public.children ADD CONSTRAINT children_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES parents(id);
