ALTER OPERATOR FAMILY public.mixed_int_ops USING btree ADD FUNCTION 1 (integer, bigint) btint48cmp(integer, bigint), OPERATOR 1 <(integer,bigint), OPERATOR 3 =(integer,bigint);

COMMENT ON OPERATOR FAMILY public.mixed_int_ops USING btree IS 'int4 against int8';
