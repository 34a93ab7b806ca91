CREATE TABLE cache (k text PRIMARY KEY, v jsonb);
CREATE UNLOGGED TABLE durable (k text PRIMARY KEY);
CREATE UNLOGGED TABLE scratch (v text);
