CREATE TABLE accounts (id integer PRIMARY KEY, code text NOT NULL, CONSTRAINT accounts_code_key UNIQUE (code));
CREATE TABLE ledger (id integer PRIMARY KEY, account_code text REFERENCES accounts (code), parent_code text);
ALTER TABLE accounts ADD CONSTRAINT accounts_self_fkey FOREIGN KEY (code) REFERENCES accounts (code) DEFERRABLE;
