ALTER TYPE public.address
    DROP ATTRIBUTE zip,
    ADD ATTRIBUTE country text COLLATE "C";

COMMENT ON COLUMN public.address.country IS 'ISO code';
