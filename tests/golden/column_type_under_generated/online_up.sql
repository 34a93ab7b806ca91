DROP INDEX CONCURRENTLY public.measurements_kilowatts_idx;

ALTER TABLE public.measurements DROP COLUMN kilowatts;

-- Rewrites public.measurements and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types
-- are binary coercible). Online, over several releases (expand and contract): add a column of type
-- bigint, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.measurements ALTER COLUMN watts TYPE bigint USING watts::bigint;

-- Rewrites public.measurements under ACCESS EXCLUSIVE: a stored generated column has no online
-- form. Online: a plain column filled in batches and kept current by a trigger.
-- retort:lint-ignore adding-generated-column
ALTER TABLE public.measurements ADD COLUMN kilowatts numeric GENERATED ALWAYS AS (((watts)::numeric / 1000.0)) STORED;

CREATE INDEX CONCURRENTLY measurements_kilowatts_idx ON public.measurements USING btree (kilowatts);

COMMENT ON COLUMN public.measurements.kilowatts IS 'derived';
