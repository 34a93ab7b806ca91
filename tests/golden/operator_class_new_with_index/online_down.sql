DROP INDEX CONCURRENTLY public.scores_points_idx;

DROP OPERATOR CLASS public.int_reverse_ops USING btree;

DROP OPERATOR FAMILY public.int_reverse_ops USING btree;
