CREATE OPERATOR FAMILY mixed_int_ops USING btree;
ALTER OPERATOR FAMILY mixed_int_ops USING btree ADD OPERATOR 1 < (integer, bigint), OPERATOR 3 = (integer, bigint), FUNCTION 1 (integer, bigint) btint48cmp(integer, bigint);
COMMENT ON OPERATOR FAMILY mixed_int_ops USING btree IS 'int4 against int8';
