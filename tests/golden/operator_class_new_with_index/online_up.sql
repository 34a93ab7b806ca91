CREATE OPERATOR FAMILY public.int_reverse_ops USING btree;

CREATE OPERATOR CLASS public.int_reverse_ops FOR TYPE integer USING btree FAMILY public.int_reverse_ops AS OPERATOR 1 >(integer,integer), OPERATOR 2 >=(integer,integer), OPERATOR 3 =(integer,integer), OPERATOR 4 <=(integer,integer), OPERATOR 5 <(integer,integer), FUNCTION 1 (integer, integer) public.int_cmp_reverse(integer, integer);

CREATE INDEX CONCURRENTLY scores_points_idx ON public.scores USING btree (points int_reverse_ops);

COMMENT ON OPERATOR CLASS public.int_reverse_ops USING btree IS 'largest first';
