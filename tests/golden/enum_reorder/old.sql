CREATE TYPE priority AS ENUM ('high', 'low', 'medium');
CREATE TABLE tasks (id integer PRIMARY KEY, priority priority);
CREATE INDEX tasks_priority_idx ON tasks (priority);
