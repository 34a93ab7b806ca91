-- retort:revision  002
-- retort:revises   001
-- retort:message   add_messages
-- retort:created   2024-01-08 00:00:00+00

-- Imported from Alembic: migrations/versions/002_add_messages.py

-- retort:upgrade
CREATE TYPE message_role AS ENUM ('user', 'assistant', 'tool');

CREATE TABLE messages (
    id BIGSERIAL NOT NULL, 
    conversation_id INTEGER NOT NULL, 
    role message_role NOT NULL, 
    content TEXT NOT NULL, 
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, 
    CONSTRAINT pk_messages PRIMARY KEY (id), 
    CONSTRAINT fk_messages_conversation_id_conversations FOREIGN KEY(conversation_id) REFERENCES conversations (id) ON DELETE CASCADE
);

CREATE INDEX ix_messages_conversation_id ON messages (conversation_id);

-- retort:downgrade
DROP INDEX ix_messages_conversation_id;

DROP TABLE messages;

DROP TYPE message_role;
