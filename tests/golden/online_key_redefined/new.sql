-- Keys whose definition changes: built beside the old ones, swapped in one statement each; the
-- foreign key resting on the primary key is dropped and added back NOT VALID, then validated.
CREATE TABLE accounts (id bigint, email text NOT NULL, code text, region text, CONSTRAINT accounts_pkey PRIMARY KEY (id) INCLUDE (email));
ALTER TABLE accounts ADD CONSTRAINT accounts_code_key UNIQUE (code, region);
CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts (id));
