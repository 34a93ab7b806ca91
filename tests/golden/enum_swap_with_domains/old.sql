CREATE TYPE mood AS ENUM ('sad', 'ok', 'meh', 'happy');
CREATE DOMAIN good_mood AS mood DEFAULT 'happy' NOT NULL CONSTRAINT good_mood_check CHECK (VALUE <> 'sad');
COMMENT ON DOMAIN good_mood IS 'never sad';
CREATE DOMAIN moods AS mood[];
CREATE TABLE people (
  id integer PRIMARY KEY,
  current mood DEFAULT 'ok'::mood,
  history mood[] DEFAULT ARRAY['ok'::mood],
  best good_mood,
  past good_mood[],
  seen moods
);
CREATE INDEX people_happy_idx ON people (id) WHERE current = 'happy';
CREATE FUNCTION cheer(m mood) RETURNS good_mood LANGUAGE sql AS $$ SELECT 'happy'::good_mood $$;
CREATE FUNCTION is_best(g good_mood) RETURNS boolean LANGUAGE sql AS $$ SELECT g::mood = 'happy' $$;
CREATE VIEW happy_people AS SELECT id, best FROM people WHERE current = 'happy';
