-- retort:revision  4d00lines
-- retort:revises   3c00invoices
-- retort:message   invoice lines
-- retort:created   2026-11-23 10:00:00+00

-- retort:upgrade
CREATE TABLE invoice_lines (invoice int REFERENCES invoices);

-- retort:downgrade
SELECT 1;
