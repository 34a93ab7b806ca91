ALTER TABLE public.cars DROP CONSTRAINT cars_plate_check;

ALTER TABLE public.vehicles DROP CONSTRAINT vehicles_id_check;

ALTER TABLE public.vehicles DROP CONSTRAINT vehicles_only_check;

-- DESTRUCTIVE: drops table public.trucks and its data
DROP TABLE public.trucks;
