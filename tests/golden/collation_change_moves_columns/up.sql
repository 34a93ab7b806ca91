DROP VIEW public.sorted_people;

DROP INDEX public.people_name_idx;

ALTER COLLATION public.names RENAME TO names__retort_old;

CREATE COLLATION public.names (provider = icu, locale = 'sv');

ALTER TABLE public.people ALTER COLUMN name TYPE text COLLATE public.names;

ALTER TABLE public.people ALTER COLUMN nickname TYPE text COLLATE "default";

CREATE INDEX people_name_idx ON public.people USING btree (name);

CREATE VIEW public.sorted_people AS
 SELECT people.id,
    people.name
   FROM people
  ORDER BY people.name;

COMMENT ON COLLATION public.names IS 'Swedish order';

DROP COLLATION public.names__retort_old;
