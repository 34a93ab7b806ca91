ALTER TYPE public.level ADD VALUE 'mid' AFTER 'low';
