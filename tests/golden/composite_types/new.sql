CREATE TYPE money_amount AS (amount numeric(12,2), currency text, note text);
CREATE TYPE point3 AS (x integer, z integer, y integer);
CREATE TYPE pair AS (a integer, b text COLLATE "C");
COMMENT ON COLUMN pair.a IS 'first';
CREATE TABLE ledger (id integer PRIMARY KEY, entry pair);
