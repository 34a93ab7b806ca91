DROP INDEX CONCURRENTLY public.devices_natural_key;

-- Fails if public.devices holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY devices_natural_key ON public.devices USING btree (serial);

ALTER TABLE public.devices REPLICA IDENTITY USING INDEX devices_natural_key;
