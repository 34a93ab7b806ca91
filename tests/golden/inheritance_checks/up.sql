CREATE TABLE public.trucks (
    axles integer
) INHERITS (public.vehicles);

ALTER TABLE public.cars ADD CONSTRAINT cars_plate_check CHECK ((plate <> ''::text));

ALTER TABLE public.trucks ADD CONSTRAINT vehicles_id_check CHECK ((id > 0));

ALTER TABLE public.vehicles ADD CONSTRAINT vehicles_id_check CHECK ((id > 0));

ALTER TABLE public.vehicles ADD CONSTRAINT vehicles_only_check CHECK ((wheels < 100)) NO INHERIT;
