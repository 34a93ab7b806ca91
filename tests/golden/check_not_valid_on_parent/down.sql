ALTER TABLE public.shipments DROP CONSTRAINT shipments_weight_check;
