-- retort:revision  3c00invoices
-- retort:revises   1a00users
-- retort:message   create invoices
-- retort:created   2026-11-22 10:00:00+00
-- retort:branch-labels billing
-- retort:upgrade
CREATE TABLE invoices (id int PRIMARY KEY);

-- retort:downgrade
SELECT 1;
