DROP INDEX public.measurements_kilowatts_idx;

ALTER TABLE public.measurements DROP COLUMN kilowatts;

ALTER TABLE public.measurements ALTER COLUMN watts TYPE integer USING watts::integer;

ALTER TABLE public.measurements ADD COLUMN kilowatts numeric GENERATED ALWAYS AS (((watts)::numeric / 1000.0)) STORED;

CREATE INDEX measurements_kilowatts_idx ON public.measurements USING btree (kilowatts);

COMMENT ON COLUMN public.measurements.kilowatts IS 'derived';
