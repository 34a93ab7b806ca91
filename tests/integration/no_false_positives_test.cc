// No false positives: two databases built from the same SQL, using every feature the engine
// models (and the ones Alembic's autogenerate gets wrong: enum values, opclasses, index
// methods, partial predicates, defaults, type modifiers), inspect equal and diff empty.
#include <gtest/gtest.h>

#include <string>

#include "catalog/inspect.h"
#include "pg/connection.h"
#include "render/render.h"
#include "support/pg_harness.h"

namespace retort {
namespace {

using ::retort::testing::PgHarness;

constexpr const char* kEverything = R"sql(
DO $$ BEGIN CREATE ROLE nfp_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE EXTENSION citext;
CREATE EXTENSION pg_trgm;
CREATE EXTENSION btree_gist;
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'the app';
GRANT USAGE ON SCHEMA app TO nfp_reader;
CREATE TYPE app.status AS ENUM ('draft', 'review', 'published');
CREATE DOMAIN app.live_status AS app.status DEFAULT 'draft' CHECK (VALUE <> 'review');
CREATE DOMAIN positive AS numeric(12,4) NOT NULL CHECK (VALUE > 0);
CREATE TYPE money_amount AS (amount numeric(12,2), currency char(3) COLLATE "C");
CREATE SEQUENCE app.ticket_seq AS integer INCREMENT BY 5 START WITH 100 CACHE 10 CYCLE;
GRANT USAGE ON SEQUENCE app.ticket_seq TO nfp_reader;
CREATE TABLE app.authors (
  id bigint GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 2) PRIMARY KEY WITH (fillfactor=80),
  email citext NOT NULL,
  name varchar(100) COLLATE "C" DEFAULT 'anonymous',
  CONSTRAINT authors_email_key UNIQUE NULLS NOT DISTINCT (email) DEFERRABLE INITIALLY DEFERRED
) WITH (fillfactor=70, autovacuum_enabled=false);
CREATE TABLE app.posts (
  id serial PRIMARY KEY,
  author_id bigint,
  status app.status NOT NULL DEFAULT 'draft'::app.status,
  live app.live_status,
  history app.status[] DEFAULT ARRAY['draft'::app.status],
  title varchar(200) NOT NULL,
  body text,
  doc jsonb DEFAULT '{}'::jsonb,
  price numeric(10,2) DEFAULT 0.00,
  ratio double precision,
  created_at timestamp(3) with time zone DEFAULT now(),
  published_on date,
  span interval day to second(3),
  flags bit(8),
  amount money_amount,
  qty positive,
  title_length integer GENERATED ALWAYS AS (length(title)) STORED,
  during tsrange,
  ticket integer DEFAULT nextval('app.ticket_seq'),
  CONSTRAINT posts_author_fkey FOREIGN KEY (author_id) REFERENCES app.authors (id)
    MATCH FULL ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT posts_price_check CHECK (price >= 0),
  CONSTRAINT posts_title_check CHECK (title <> '') NOT VALID,
  CONSTRAINT posts_no_overlap EXCLUDE USING gist (author_id WITH =, during WITH &&) WHERE (author_id IS NOT NULL)
);
COMMENT ON TABLE app.posts IS 'posts';
COMMENT ON COLUMN app.posts.title IS 'the title';
COMMENT ON CONSTRAINT posts_price_check ON app.posts IS 'no negative prices';
CREATE INDEX posts_doc_idx ON app.posts USING gin (doc jsonb_path_ops);
CREATE INDEX posts_title_trgm_idx ON app.posts USING gist (title gist_trgm_ops(siglen=32));
CREATE INDEX posts_title_pattern_idx ON app.posts (title text_pattern_ops) INCLUDE (id) WITH (fillfactor=60);
CREATE INDEX posts_published_idx ON app.posts (published_on DESC NULLS LAST) WHERE status = 'published';
CREATE INDEX posts_lower_title_idx ON app.posts (lower(title));
CREATE INDEX posts_created_brin ON app.posts USING brin (created_at) WITH (pages_per_range=16);
CREATE INDEX posts_ticket_hash ON app.posts USING hash (ticket);
CREATE UNIQUE INDEX posts_author_title_key ON app.posts (author_id, title) NULLS NOT DISTINCT;
COMMENT ON INDEX app.posts_doc_idx IS 'json lookups';
GRANT SELECT, INSERT ON app.posts TO nfp_reader WITH GRANT OPTION;
GRANT UPDATE (title, body) ON app.posts TO nfp_reader;
CREATE UNLOGGED TABLE scratch (id integer, note text);
CREATE TABLE measurements (id bigint NOT NULL, region integer NOT NULL, taken_at date NOT NULL, value numeric)
  PARTITION BY LIST (region);
CREATE TABLE measurements_eu PARTITION OF measurements FOR VALUES IN (1, 2)
  PARTITION BY RANGE (taken_at);
CREATE TABLE measurements_eu_2024 PARTITION OF measurements_eu
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurements_other PARTITION OF measurements (value DEFAULT 0) DEFAULT;
CREATE INDEX measurements_taken_idx ON measurements (taken_at);
ALTER TABLE measurements ADD CONSTRAINT measurements_pkey PRIMARY KEY (id, region, taken_at);
CREATE TABLE base_items (id integer, label text DEFAULT 'x');
CREATE TABLE special_items (extra integer) INHERITS (base_items);
ALTER TABLE special_items ALTER COLUMN label SET DEFAULT 'special';
CREATE VIEW app.published AS SELECT id, title, status FROM app.posts WHERE status = 'published';
CREATE VIEW app.checked WITH (security_barrier=true) AS SELECT id FROM app.posts WHERE price > 0
  WITH LOCAL CHECK OPTION;
COMMENT ON VIEW app.published IS 'published posts';
GRANT SELECT ON app.published TO nfp_reader;
CREATE MATERIALIZED VIEW app.post_counts AS SELECT author_id, count(*) AS n FROM app.posts GROUP BY author_id;
CREATE UNIQUE INDEX post_counts_author_idx ON app.post_counts (author_id);
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.created_at := now(); RETURN NEW; END $$;
CREATE FUNCTION app.title_of(p_id integer) RETURNS text LANGUAGE sql STABLE
BEGIN ATOMIC SELECT title FROM app.posts WHERE id = p_id; END;
CREATE FUNCTION app.is_live(s app.status) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT s = 'published' $$;
REVOKE EXECUTE ON FUNCTION app.is_live(app.status) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.is_live(app.status) TO nfp_reader;
CREATE PROCEDURE app.archive(days integer DEFAULT 30) LANGUAGE sql AS $$ DELETE FROM app.posts WHERE false $$;
CREATE AGGREGATE app.total(numeric) (SFUNC = numeric_add, STYPE = numeric, INITCOND = '0');
COMMENT ON FUNCTION app.touch() IS 'sets created_at';
CREATE TRIGGER posts_touch BEFORE INSERT OR UPDATE OF title ON app.posts
  FOR EACH ROW WHEN (NEW.title IS NOT NULL) EXECUTE FUNCTION app.touch();
CREATE TRIGGER posts_touch_disabled BEFORE DELETE ON app.posts FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.posts DISABLE TRIGGER posts_touch_disabled;
ALTER TABLE app.posts ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.posts FORCE ROW LEVEL SECURITY;
CREATE POLICY posts_read ON app.posts FOR SELECT TO nfp_reader USING (status = 'published');
CREATE POLICY posts_write ON app.posts AS RESTRICTIVE FOR UPDATE USING (author_id IS NOT NULL)
  WITH CHECK (price >= 0);
COMMENT ON POLICY posts_read ON app.posts IS 'readers see published posts';
CREATE RULE checked_no_delete AS ON DELETE TO app.checked DO INSTEAD NOTHING;
CREATE COLLATION app.numeric_sort (provider = icu, locale = 'en-u-kn-true');
CREATE COLLATION app.ascii_c (lc_collate = 'C', lc_ctype = 'C');
CREATE TABLE app.labels (code text COLLATE app.numeric_sort, raw text COLLATE app.ascii_c);
CREATE RULE posts_price_log AS ON UPDATE TO app.posts WHERE old.price <> new.price
  DO ALSO INSERT INTO app.labels (code) VALUES ('price changed');
ALTER TABLE app.posts DISABLE RULE posts_price_log;
CREATE FUNCTION app.close_to(integer, integer) RETURNS boolean LANGUAGE sql IMMUTABLE
  AS 'SELECT abs($1 - $2) < 2';
CREATE OPERATOR app.~~~ (LEFTARG = integer, RIGHTARG = integer, FUNCTION = app.close_to,
  COMMUTATOR = OPERATOR(app.~~~), RESTRICT = eqsel, JOIN = eqjoinsel);
CREATE FUNCTION app.cmp_desc(integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE
  AS 'SELECT btint4cmp($2, $1)';
CREATE OPERATOR CLASS app.int_desc_ops FOR TYPE integer USING btree AS OPERATOR 1 >,
  OPERATOR 2 >=, OPERATOR 3 =, OPERATOR 4 <=, OPERATOR 5 <, FUNCTION 1 app.cmp_desc(integer, integer);
CREATE OPERATOR FAMILY app.mixed_ops USING btree;
ALTER OPERATOR FAMILY app.mixed_ops USING btree ADD OPERATOR 1 < (integer, bigint);
CREATE INDEX posts_id_desc ON app.posts (id app.int_desc_ops);
)sql";

TEST(NoFalsePositives, SameSqlTwiceDiffsEmpty) {
  RETORT_REQUIRE_PG(pg);
  schema::Database models[2];
  for (schema::Database& model : models) {
    std::string name = pg->CreateDatabase("nfp");
    auto connection = pg::Connection::Open(pg->ConnInfo(name), "retort-test");
    ASSERT_TRUE(connection.ok()) << connection.status().message();
    auto applied = connection->Execute(kEverything);
    ASSERT_TRUE(applied.ok()) << applied.error.ToString();
    auto inspected = catalog::Inspect(*connection, catalog::InspectOptions{});
    ASSERT_TRUE(inspected.ok()) << inspected.status().message();
    model = std::move(*inspected);
  }
  // The schema really has what the test is about.
  ASSERT_EQ(models[0].tables.size(), 10u);
  EXPECT_FALSE(models[0].functions.empty());
  EXPECT_FALSE(models[0].policies.empty());
  EXPECT_EQ(models[0].rules.size(), 2u);
  EXPECT_EQ(models[0].collations.size(), 2u);
  EXPECT_EQ(models[0].operators.size(), 1u);
  EXPECT_EQ(models[0].operator_families.size(), 2u);
  EXPECT_EQ(models[0].operator_classes.size(), 1u);
  EXPECT_TRUE(models[0] == models[1]);
  render::MigrationSql sql = render::RenderMigration(models[0], models[1]);
  EXPECT_TRUE(sql.empty()) << "upgrade:\n" << sql.upgrade << "\ndowngrade:\n" << sql.downgrade;
}

}  // namespace
}  // namespace retort
