CREATE TABLE public.trucks (
    axles integer
) INHERITS (public.vehicles);

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.cars ADD CONSTRAINT cars_plate_check CHECK ((plate <> ''::text)) NOT VALID;

ALTER TABLE public.cars VALIDATE CONSTRAINT cars_plate_check;

ALTER TABLE public.trucks ADD CONSTRAINT vehicles_id_check CHECK ((id > 0));

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.vehicles ADD CONSTRAINT vehicles_id_check CHECK ((id > 0)) NOT VALID;

ALTER TABLE public.vehicles VALIDATE CONSTRAINT vehicles_id_check;

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.vehicles ADD CONSTRAINT vehicles_only_check CHECK ((wheels < 100)) NO INHERIT NOT VALID;

ALTER TABLE public.vehicles VALIDATE CONSTRAINT vehicles_only_check;
