CREATE TYPE priority AS ENUM ('low', 'medium', 'high');
CREATE TABLE tasks (id integer PRIMARY KEY, priority priority);
CREATE INDEX tasks_priority_idx ON tasks (priority);
