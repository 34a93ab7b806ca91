ALTER TABLE public.shipments ADD CONSTRAINT shipments_weight_check CHECK ((weight > (0)::numeric)) NOT VALID;

ALTER TABLE public.shipments_1 VALIDATE CONSTRAINT shipments_weight_check;
