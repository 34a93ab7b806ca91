DROP INDEX public.devices_natural_key;

CREATE UNIQUE INDEX devices_natural_key ON public.devices USING btree (serial);

ALTER TABLE public.devices REPLICA IDENTITY USING INDEX devices_natural_key;
