CREATE OPERATOR FAMILY mixed_int_ops USING btree;
