CREATE TYPE status_v2 AS ENUM ('new', 'doing', 'done');
CREATE TABLE tasks (id integer PRIMARY KEY, status status_v2 NOT NULL DEFAULT 'doing');
