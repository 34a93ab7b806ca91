CREATE TABLE items (id integer PRIMARY KEY, status text DEFAULT 'draft', created timestamptz DEFAULT now(), hits integer);
