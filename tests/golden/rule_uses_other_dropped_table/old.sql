-- ledgersmb's file_secondary_attachment: a rule on one table writes into another, and both go.
-- DROP TABLE of the table the rule writes into fails while the rule exists, and the rule's own
-- table sorts after it.
CREATE TABLE file_links (file_id integer, ref_key integer);
CREATE TABLE file_secondary (file_id integer, ref_key integer, source_class integer);
CREATE RULE file_secondary_insert AS ON INSERT TO file_secondary
  WHERE new.source_class = 2
  DO INSTEAD INSERT INTO file_links (file_id, ref_key) VALUES (new.file_id, new.ref_key);
CREATE TABLE kept (id integer);
