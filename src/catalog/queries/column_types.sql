-- What retort reads of a column's type, for every type (a few thousand rows, one per table's
-- row type and array type beside the built-in ones): cheaper than joining pg_type to each of
-- columns.sql's rows. kind (typtype) and category (typcategory) decide whether an index's
-- operator class is the default for the column; storage (typstorage) and collation
-- (typcollation) are the defaults a column's own storage and collation are compared with.
SELECT t.oid,
       t.typtype AS kind,
       t.typcategory AS category,
       t.typstorage AS storage,
       t.typcollation AS collation_oid
FROM pg_type t;
