ALTER TYPE public.address
    DROP ATTRIBUTE country,
    ADD ATTRIBUTE zip character varying(10);
