CREATE TYPE public.color AS ENUM ('red', 'green', 'blue');

ALTER TABLE public.items ADD COLUMN color color DEFAULT 'red'::color;
