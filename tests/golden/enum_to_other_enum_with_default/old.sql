CREATE TYPE status_v1 AS ENUM ('new', 'done');
CREATE TABLE tasks (id integer PRIMARY KEY, status status_v1 NOT NULL DEFAULT 'new');
