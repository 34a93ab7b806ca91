CREATE TABLE notes (id integer NOT NULL, note_class integer NOT NULL, subject text, body text);
-- As LedgerSMB's note tables: the columns come from the parent only (attislocal false), with a
-- default, NOT NULL and a comment of the child's own. A create script that listed them in
-- CREATE TABLE would make them the child's own columns.
CREATE TABLE entity_notes (ref_key integer NOT NULL) INHERITS (notes);
ALTER TABLE entity_notes ALTER COLUMN note_class SET DEFAULT 1;
ALTER TABLE entity_notes ALTER COLUMN subject SET NOT NULL;
COMMENT ON COLUMN entity_notes.body IS 'markdown';
-- Declared in the child as well as inherited: the child's own, whatever the parent does.
CREATE TABLE invoice_notes (note_class integer DEFAULT 2, body text) INHERITS (notes);
