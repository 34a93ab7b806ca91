CREATE TABLE accounts (id bigint, email text NOT NULL, code text, region text, CONSTRAINT accounts_pkey PRIMARY KEY (id));
ALTER TABLE accounts ADD CONSTRAINT accounts_code_key UNIQUE (code);
CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts (id));
