-- retort:revision  8b00views
-- retort:revises   7a00reports
-- retort:message   revenue view
-- retort:created   2026-11-24 10:00:00+00
-- retort:depends-on billing
-- retort:upgrade
CREATE VIEW reports.revenue AS SELECT count(*) FROM invoices;

-- retort:downgrade
SELECT 1;
