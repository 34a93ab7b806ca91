CREATE TABLE accounts (id integer PRIMARY KEY, email text, tenant integer, CONSTRAINT accounts_email_key UNIQUE (email));
