DROP INDEX CONCURRENTLY public.docs_created_desc_idx;

DROP INDEX CONCURRENTLY public.docs_lower_title_idx;
