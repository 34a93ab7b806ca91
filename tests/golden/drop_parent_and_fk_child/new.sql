CREATE TABLE invoices (id integer PRIMARY KEY, customer_id integer);
