-- retort:revision  5e00audit
-- retort:revises   1a00users
-- retort:message   audit log
-- retort:created   2026-11-23 10:00:00+00
-- retort:branch-labels audit
-- retort:upgrade
CREATE TABLE audit_log (at timestamptz);

-- retort:downgrade
SELECT 1;
