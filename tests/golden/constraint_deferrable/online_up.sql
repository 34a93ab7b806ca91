ALTER TABLE public.children DROP CONSTRAINT children_parent_id_fkey;

ALTER TABLE public.children ADD CONSTRAINT children_position_check CHECK (("position" >= 0)) NOT VALID;

-- Fails if public.children holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY children_position_key__retort_new ON public.children USING btree (parent_id, "position");

-- The old key and the new one swapped in one statement (ACCESS EXCLUSIVE, briefly): the index
-- built above takes the constraint's name.
ALTER TABLE public.children DROP CONSTRAINT children_position_key, ADD CONSTRAINT children_position_key UNIQUE USING INDEX children_position_key__retort_new DEFERRABLE;

-- Fails if public.parents holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY parents_code_key__retort_new ON public.parents USING btree (code);

-- The old key and the new one swapped in one statement (ACCESS EXCLUSIVE, briefly): the index
-- built above takes the constraint's name.
ALTER TABLE public.parents DROP CONSTRAINT parents_code_key, ADD CONSTRAINT parents_code_key UNIQUE USING INDEX parents_code_key__retort_new DEFERRABLE;

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.children ADD CONSTRAINT children_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED NOT VALID;

ALTER TABLE public.children VALIDATE CONSTRAINT children_parent_id_fkey;
