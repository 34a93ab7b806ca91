DROP INDEX CONCURRENTLY public.scores_points_idx;

DROP OPERATOR CLASS public.int_odd_ops USING btree;

CREATE OPERATOR CLASS public.int_odd_ops FOR TYPE integer USING btree FAMILY public.int_odd_ops AS OPERATOR 1 <(integer,integer), OPERATOR 2 <=(integer,integer), OPERATOR 3 =(integer,integer), OPERATOR 4 >=(integer,integer), OPERATOR 5 >(integer,integer), FUNCTION 1 (integer, integer) public.int_cmp_plain(integer, integer);

CREATE INDEX CONCURRENTLY scores_points_idx ON public.scores USING btree (points int_odd_ops);
