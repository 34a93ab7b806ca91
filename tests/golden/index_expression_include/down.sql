DROP INDEX public.docs_created_desc_idx;

DROP INDEX public.docs_lower_title_idx;
