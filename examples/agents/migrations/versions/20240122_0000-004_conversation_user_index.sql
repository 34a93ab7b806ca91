-- retort:revision  004
-- retort:revises   003
-- retort:message   conversation_user_index
-- retort:created   2024-01-22 00:00:00+00

-- Imported from Alembic: migrations/versions/004_conversation_user_index.py

-- retort:upgrade
CREATE INDEX idx_conversation_user ON conversations (user_id);

-- retort:downgrade
DROP INDEX idx_conversation_user;
