ALTER OPERATOR FAMILY public.mixed_int_ops USING btree DROP FUNCTION 1 (integer, bigint), OPERATOR 1 (integer, bigint), OPERATOR 3 (integer, bigint);

COMMENT ON OPERATOR FAMILY public.mixed_int_ops USING btree IS NULL;
