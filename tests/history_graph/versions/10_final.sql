-- retort:revision  a0final
-- retort:revises   6f00merge, 8b00views
-- retort:message   merge reports into main
-- retort:created   2026-11-26 10:00:00+00

-- retort:upgrade
SELECT 1;

-- retort:downgrade
SELECT 1;
