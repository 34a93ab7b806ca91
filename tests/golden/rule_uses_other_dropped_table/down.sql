CREATE TABLE public.file_links (
    file_id integer,
    ref_key integer
);

CREATE TABLE public.file_secondary (
    file_id integer,
    ref_key integer,
    source_class integer
);

CREATE RULE file_secondary_insert AS
    ON INSERT TO public.file_secondary
   WHERE (new.source_class = 2) DO INSTEAD  INSERT INTO file_links (file_id, ref_key)
  VALUES (new.file_id, new.ref_key);
