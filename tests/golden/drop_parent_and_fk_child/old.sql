CREATE TABLE customers (id integer PRIMARY KEY);
CREATE TABLE invoices (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id));
