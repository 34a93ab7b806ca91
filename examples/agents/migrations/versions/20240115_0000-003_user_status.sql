-- retort:revision  003
-- retort:revises   002
-- retort:message   user_status
-- retort:created   2024-01-15 00:00:00+00

-- Imported from Alembic: migrations/versions/003_user_status.py

-- retort:upgrade
ALTER TABLE users ADD COLUMN status VARCHAR(20);

UPDATE users SET status = 'active' WHERE created_at > '2024-01-01';

-- retort:downgrade
ALTER TABLE users DROP COLUMN status;
