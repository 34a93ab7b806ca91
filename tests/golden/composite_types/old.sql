CREATE TYPE money_amount AS (amount numeric, currency text);
CREATE TYPE point3 AS (x integer, y integer, z integer);
