// Catalog inspection against a real server: for each kind of object, create it with DDL,
// inspect, and check the model field by field. Every index and constraint definition is also
// compared with what pg_get_indexdef / pg_get_constraintdef print, since retort prints most of
// them itself.
#include "catalog/inspect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "base/strings.h"
#include "catalog/text_formats.h"
#include "pg/connection.h"
#include "schema/model.h"
#include "schema/model_json.h"
#include "support/pg_harness.h"
#include "support/printed_definitions.h"

namespace retort::catalog {
namespace {

using ::retort::testing::PgHarness;
using schema::Database;
using schema::ObjectId;
using schema::QualifiedName;

QualifiedName Public(const std::string& name) { return QualifiedName{"public", name}; }

// A fresh database, optionally with some DDL applied.
class TestDb {
 public:
  explicit TestDb(PgHarness* pg, const std::string& ddl = "")
      : pg_(pg), name_(pg->CreateDatabase("cat")) {
    if (!ddl.empty()) Run(ddl);
  }

  const std::string& name() const { return name_; }
  PgHarness* pg() const { return pg_; }
  void Run(const std::string& sql) const { pg_->Query(name_, sql); }
  std::vector<std::vector<std::string>> Query(const std::string& sql) const {
    return pg_->Query(name_, sql);
  }

  Database Inspect(const InspectOptions& options = {}, InspectStats* stats = nullptr) const {
    auto connection = pg::Connection::Open(pg_->ConnInfo(name_));
    EXPECT_TRUE(connection.ok()) << connection.status().message();
    if (!connection.ok()) return {};
    auto database = catalog::Inspect(*connection, options, stats);
    EXPECT_TRUE(database.ok()) << database.status().message();
    if (!database.ok()) return {};
    // `inspect --format json` streams the document (WriteJson): the same text as the whole
    // json value's, for every kind of object these tests make.
    std::ostringstream streamed;
    schema::WriteJson(*database, streamed);
    EXPECT_EQ(streamed.str(), schema::ToJson(*database).dump(2));
    return std::move(*database);
  }

 private:
  PgHarness* pg_;
  std::string name_;
};

template <typename T>
const T* ByName(const std::vector<T>& items, const std::string& name) {
  for (const T& item : items) {
    if (item.name.name == name) return &item;
  }
  return nullptr;
}

template <typename T>
const T* ByTableAndName(const std::vector<T>& items, const std::string& table,
                        const std::string& name) {
  for (const T& item : items) {
    if (item.table.name == table && item.name == name) return &item;
  }
  return nullptr;
}

const schema::Column* ColumnOf(const schema::Table* table, const std::string& name) {
  if (table == nullptr) return nullptr;
  for (const schema::Column& column : table->columns) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

std::vector<std::string> ColumnNames(const schema::Table* table) {
  std::vector<std::string> names;
  if (table == nullptr) return names;
  for (const schema::Column& column : table->columns) names.push_back(column.name);
  return names;
}

bool HasDependency(const Database& database, ObjectId dependent, ObjectId referenced) {
  return std::find(database.dependencies.begin(), database.dependencies.end(),
                   schema::Dependency{std::move(dependent), std::move(referenced)}) !=
         database.dependencies.end();
}

// Every index and constraint of the model printed as PostgreSQL prints it itself.
void ExpectDefinitionsMatchPostgres(const TestDb& db, const Database& database) {
  for (const std::string& problem :
       testing::DefinitionsUnlikePostgres(db.pg(), db.name(), database)) {
    ADD_FAILURE() << problem;
  }
}

TEST(CatalogQueries, AreAFixedListOfNamedFiles) {
  auto queries = CatalogQueries();
  EXPECT_EQ(queries.size(), 24u);
  for (const CatalogQuery& query : queries) {
    EXPECT_FALSE(query.name.empty());
    EXPECT_NE(query.sql.find("SELECT"), std::string_view::npos) << query.name;
  }
}

TEST(CatalogTextFormats, ParsesArraysAndNodeTrees) {
  auto array = ParseTextArray(R"({a,"b c","d\"e","f\\g",NULL,"NULL","{x,y}"})");
  ASSERT_TRUE(array.has_value());
  ASSERT_EQ(array->size(), 7u);
  EXPECT_EQ((*array)[0], "a");
  EXPECT_EQ((*array)[1], "b c");
  EXPECT_EQ((*array)[2], "d\"e");
  EXPECT_EQ((*array)[3], "f\\g");
  EXPECT_EQ((*array)[4], std::nullopt);
  EXPECT_EQ((*array)[5], "NULL");
  EXPECT_EQ((*array)[6], "{x,y}");
  EXPECT_TRUE(ParseTextArray("{}")->empty());
  EXPECT_FALSE(ParseTextArray("a,b").has_value());
  EXPECT_FALSE(ParseTextArray(R"({"a)").has_value());

  EXPECT_EQ(ParseNumberList("1 -2 3"), (std::vector<int64_t>{1, -2, 3}));
  EXPECT_EQ(ParseNumberList("{4,5}"), (std::vector<int64_t>{4, 5}));
  EXPECT_TRUE(ParseNumberList("")->empty());
  EXPECT_FALSE(ParseNumberList("1 x").has_value());

  std::string tree =
      "({FUNCEXPR :funcid 870 :funcresulttype 25 :funcformat 0 :funccollid 100 :args "
      "({VAR :varno 1 :varattno 2 :varattnosyn 2 :location 47} {VAR :varno 1 :varattno 2 "
      ":location -1} {CONST :constvalue 2 [ 123 125 ] :location 9}) :location 41})";
  EXPECT_EQ(StripNodeLocations(tree).find(":location"), std::string::npos);
  EXPECT_EQ(NodeVarAttnos(tree), (std::vector<int>{2}));
  EXPECT_EQ(NodeListLength(tree), 1);
  EXPECT_EQ(NodeListLength("({OPEXPR :a 1} {CONST :b \\{ 2})"), 2);
  EXPECT_EQ(NodeField(tree, "funcresulttype"), "25");
  EXPECT_EQ(NodeField(tree, "funccollid"), "100");
  EXPECT_EQ(NodeField(tree, "missing"), std::nullopt);
}

// Index and constraint definitions name columns as retort quotes them (columns.sql no longer
// asks the server): the same answer as quote_ident for every keyword the server knows and for
// names that are almost plain.
TEST(Catalog, QuotesNamesAsQuoteIdentDoes) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg);
  auto connection = pg::Connection::Open(pg->ConnInfo(db.name()));
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  auto names = connection->Execute(
      "SELECT word, quote_ident(word) FROM pg_get_keywords() UNION ALL "
      "SELECT n, quote_ident(n) FROM unnest(ARRAY['plain', '_under', 'with1digit', '1st', "
      "'Mixed', 'sp ace', 'dollar$', 'quo\"te', 'ünïcode', '', 'select1', 'a-b']) n");
  ASSERT_TRUE(names.ok()) << names.error.message;
  ASSERT_GT(names.value->rows(), 400);
  for (int i = 0; i < names.value->rows(); ++i) {
    std::string name = names.value->Get(i, 0);
    std::string quoted = names.value->Get(i, 1);
    EXPECT_EQ(NeedsQuoting(name), quoted != name) << name;
    EXPECT_EQ(QuoteIdentifier(name), quoted) << name;
  }
}

TEST(Catalog, RunsTheSameNumberOfQueriesWhateverTheSize) {
  RETORT_REQUIRE_PG(pg);
  TestDb small(pg, "CREATE TABLE t (id int PRIMARY KEY)");
  TestDb large(
      pg,
      "DO $$ BEGIN FOR i IN 1..60 LOOP "
      "EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, v text DEFAULT ''x'', "
      "d jsonb CHECK (d IS NOT NULL))', i); "
      "EXECUTE format('CREATE INDEX ON t%s (lower(v)) WHERE id > 0', i); END LOOP; END $$");
  InspectStats small_stats;
  InspectStats large_stats;
  Database small_model = small.Inspect({}, &small_stats);
  Database large_model = large.Inspect({}, &large_stats);
  EXPECT_EQ(small_model.tables.size(), 1u);
  EXPECT_EQ(large_model.tables.size(), 60u);
  EXPECT_EQ(large_model.indexes.size(), 60u);
  EXPECT_EQ(small_stats.catalog_queries, static_cast<int>(CatalogQueries().size()));
  EXPECT_EQ(large_stats.catalog_queries, static_cast<int>(CatalogQueries().size()));
  // Shared printed forms are still per object.
  const schema::Index* index = ByName(large_model.indexes, "t42_lower_idx");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->definition,
            "CREATE INDEX t42_lower_idx ON public.t42 USING btree (lower(v)) WHERE (id > 0)");
  ExpectDefinitionsMatchPostgres(large, large_model);
}

TEST(Catalog, SchemasExtensionsAndExtensionObjectsLeftOut) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg,
            "CREATE SCHEMA app; COMMENT ON SCHEMA app IS 'application'; "
            "CREATE EXTENSION citext; CREATE EXTENSION pg_trgm; "
            "CREATE TABLE app.users (email citext NOT NULL, name text); "
            "CREATE INDEX users_name_trgm ON app.users USING gin (name gin_trgm_ops);");
  Database model = db.Inspect();
  ASSERT_EQ(model.schemas.size(), 2u);
  EXPECT_EQ(model.schemas[0].name, "app");
  EXPECT_EQ(model.schemas[0].comment, "application");
  EXPECT_EQ(model.schemas[1].name, "public");
  ASSERT_EQ(model.extensions.size(), 2u);  // plpgsql, built into every database, is not listed
  EXPECT_EQ(model.extensions[0].name, "citext");
  EXPECT_EQ(model.extensions[0].schema, "public");
  EXPECT_EQ(model.extensions[0].version,
            db.Query("SELECT extversion FROM pg_extension WHERE extname = 'citext'")[0][0]);
  EXPECT_EQ(model.extensions[1].name, "pg_trgm");
  // The extensions' functions, types and operator classes are theirs, not the schema's.
  EXPECT_TRUE(model.functions.empty());
  EXPECT_TRUE(model.enums.empty() && model.domains.empty() && model.composite_types.empty());
  const schema::Table* users = ByName(model.tables, "users");
  ASSERT_NE(users, nullptr);
  EXPECT_EQ(users->name.schema, "app");
  EXPECT_EQ(ColumnOf(users, "email")->type, "citext");
  EXPECT_TRUE(ColumnOf(users, "email")->not_null);
  const schema::Index* trgm = ByName(model.indexes, "users_name_trgm");
  ASSERT_NE(trgm, nullptr);
  EXPECT_EQ(trgm->definition,
            "CREATE INDEX users_name_trgm ON app.users USING gin (name gin_trgm_ops)");
}

TEST(Catalog, EnumsKeepLabelOrder) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg,
            "CREATE TYPE mood AS ENUM ('sad', 'happy'); "
            "ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy'; "
            "ALTER TYPE mood ADD VALUE 'it''s, \"odd\" {x}'; "
            "COMMENT ON TYPE mood IS 'feelings';");
  Database model = db.Inspect();
  ASSERT_EQ(model.enums.size(), 1u);
  EXPECT_EQ(model.enums[0].name, Public("mood"));
  EXPECT_EQ(model.enums[0].labels,
            (std::vector<std::string>{"sad", "ok", "happy", "it's, \"odd\" {x}"}));
  EXPECT_EQ(model.enums[0].comment, "feelings");
}

TEST(Catalog, DomainsAndCompositeTypes) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg,
            "CREATE DOMAIN posint AS integer NOT NULL DEFAULT 1 CHECK (VALUE > 0) "
            "CONSTRAINT below_1000 CHECK (VALUE < 1000); "
            "COMMENT ON CONSTRAINT below_1000 ON DOMAIN posint IS 'small'; "
            "CREATE DOMAIN code AS text COLLATE \"C\"; "
            "CREATE TYPE pair AS (a integer, b text COLLATE \"C\"); "
            "COMMENT ON TYPE pair IS 'two things'; COMMENT ON COLUMN pair.a IS 'first';");
  Database model = db.Inspect();
  const schema::Domain* posint = ByName(model.domains, "posint");
  ASSERT_NE(posint, nullptr);
  EXPECT_EQ(posint->base_type, "integer");
  EXPECT_TRUE(posint->not_null);
  EXPECT_EQ(posint->default_expr, "1");
  EXPECT_EQ(posint->collation, std::nullopt);
  ASSERT_EQ(posint->constraints.size(), 2u);
  EXPECT_EQ(posint->constraints[0].name, "below_1000");
  EXPECT_EQ(posint->constraints[0].definition, "CHECK ((VALUE < 1000))");
  EXPECT_EQ(posint->constraints[0].comment, "small");
  EXPECT_EQ(posint->constraints[1].name, "posint_check");
  EXPECT_EQ(posint->constraints[1].definition, "CHECK ((VALUE > 0))");
  const schema::Domain* code = ByName(model.domains, "code");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->collation, "\"C\"");

  ASSERT_EQ(model.composite_types.size(), 1u);
  const schema::CompositeType& pair = model.composite_types[0];
  EXPECT_EQ(pair.name, Public("pair"));
  EXPECT_EQ(pair.comment, "two things");
  ASSERT_EQ(pair.attributes.size(), 2u);
  EXPECT_EQ(pair.attributes[0].name, "a");
  EXPECT_EQ(pair.attributes[0].type, "integer");
  EXPECT_EQ(pair.attributes[0].comment, "first");
  EXPECT_EQ(pair.attributes[1].type, "text");
  EXPECT_EQ(pair.attributes[1].collation, "\"C\"");
  EXPECT_TRUE(model.tables.empty());  // a composite type is not a table
}

TEST(Catalog, RulesCollationsAndOperators) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg,
            "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = "
            "false); COMMENT ON COLLATION ci IS 'case blind'; "
            "CREATE TABLE t (id int, name text COLLATE ci); CREATE TABLE log (id int); "
            "CREATE VIEW v AS SELECT id FROM t; "
            "CREATE RULE t_log AS ON INSERT TO t DO ALSO INSERT INTO log VALUES (new.id); "
            "ALTER TABLE t DISABLE RULE t_log; "
            "CREATE RULE v_insert AS ON INSERT TO v DO INSTEAD INSERT INTO t (id) VALUES (new.id); "
            "CREATE FUNCTION near(int, int) RETURNS bool LANGUAGE sql IMMUTABLE "
            "AS 'SELECT abs($1 - $2) < 2'; "
            "CREATE OPERATOR ~~~ (LEFTARG = int, RIGHTARG = int, FUNCTION = near, "
            "COMMUTATOR = ~~~, RESTRICT = eqsel); "
            "CREATE FUNCTION cmp_rev(int, int) RETURNS int LANGUAGE sql IMMUTABLE "
            "AS 'SELECT btint4cmp($2, $1)'; "
            "CREATE OPERATOR CLASS rev_ops FOR TYPE int USING btree AS OPERATOR 1 >, "
            "OPERATOR 2 >=, OPERATOR 3 =, OPERATOR 4 <=, OPERATOR 5 <, "
            "FUNCTION 1 cmp_rev(int, int); "
            "CREATE INDEX t_id_rev ON t (id rev_ops);");
  Database model = db.Inspect();
  ASSERT_EQ(model.rules.size(), 2u);  // the view's _RETURN rule is the view
  EXPECT_EQ(model.rules[0].table, Public("t"));
  EXPECT_EQ(model.rules[0].name, "t_log");
  EXPECT_EQ(model.rules[0].enabled, 'D');
  EXPECT_NE(model.rules[0].definition.find("CREATE RULE t_log AS"), std::string::npos);
  EXPECT_EQ(model.rules[1].table, Public("v"));

  ASSERT_EQ(model.collations.size(), 1u);
  EXPECT_EQ(model.collations[0].name, Public("ci"));
  EXPECT_EQ(model.collations[0].definition,
            "provider = icu, deterministic = false, locale = 'und-u-ks-level2'");
  EXPECT_EQ(model.collations[0].comment, "case blind");

  ASSERT_EQ(model.operators.size(), 1u);
  const schema::Operator& op = model.operators[0];
  EXPECT_EQ(op.Signature(), "public.~~~(integer, integer)");
  EXPECT_EQ(op.definition,
            "FUNCTION = public.near, LEFTARG = integer, RIGHTARG = integer, "
            "COMMUTATOR = OPERATOR(public.~~~)");
  EXPECT_EQ(op.restrict_estimator, "eqsel");
  EXPECT_EQ(op.join_estimator, std::nullopt);

  ASSERT_EQ(model.operator_families.size(), 1u);  // made by CREATE OPERATOR CLASS
  EXPECT_EQ(model.operator_families[0].Sql(), "public.rev_ops USING btree");
  EXPECT_TRUE(model.operator_families[0].members.empty());
  ASSERT_EQ(model.operator_classes.size(), 1u);
  EXPECT_EQ(model.operator_classes[0].definition,
            "FOR TYPE integer USING btree FAMILY public.rev_ops AS OPERATOR 1 >(integer,integer), "
            "OPERATOR 2 >=(integer,integer), OPERATOR 3 =(integer,integer), "
            "OPERATOR 4 <=(integer,integer), OPERATOR 5 <(integer,integer), "
            "FUNCTION 1 (integer, integer) public.cmp_rev(integer, integer)");

  auto has = [&](const ObjectId& dependent, const ObjectId& referenced) {
    return std::find(model.dependencies.begin(), model.dependencies.end(),
                     schema::Dependency{dependent, referenced}) != model.dependencies.end();
  };
  EXPECT_TRUE(has(ObjectId::ForColumn(Public("t"), "name"), ObjectId::ForCollation(Public("ci"))));
  EXPECT_TRUE(has(ObjectId::ForOperator(op),
                  ObjectId{ObjectId::Kind::kFunction, "public.near(integer, integer)"}));
  EXPECT_TRUE(has(ObjectId::ForIndex(Public("t_id_rev")),
                  ObjectId::ForOperatorClass(model.operator_classes[0])));
  EXPECT_TRUE(has(ObjectId::ForOperatorClass(model.operator_classes[0]),
                  ObjectId{ObjectId::Kind::kFunction, "public.cmp_rev(integer, integer)"}));
  EXPECT_TRUE(
      has(ObjectId::ForRule(Public("t"), "t_log"), ObjectId::ForColumn(Public("log"), "id")));
  EXPECT_TRUE(model.unmodelled.empty());
}

TEST(Catalog, SequencesSerialAndIdentity) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg,
            "CREATE SEQUENCE counter AS integer START 10 INCREMENT 5 MINVALUE 10 MAXVALUE 1000 "
            "CACHE 3 CYCLE; COMMENT ON SEQUENCE counter IS 'ticks'; "
            "CREATE TABLE t (id serial, "
            "a bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 2), "
            "b int GENERATED BY DEFAULT AS IDENTITY);");
  Database model = db.Inspect();
  ASSERT_EQ(model.sequences.size(), 2u);  // identity sequences belong to their columns
  const schema::Sequence* counter = ByName(model.sequences, "counter");
  ASSERT_NE(counter, nullptr);
  EXPECT_EQ(counter->options.data_type, "integer");
  EXPECT_EQ(counter->options.start, 10);
  EXPECT_EQ(counter->options.increment, 5);
  EXPECT_EQ(counter->options.min_value, 10);
  EXPECT_EQ(counter->options.max_value, 1000);
  EXPECT_EQ(counter->options.cache, 3);
  EXPECT_TRUE(counter->options.cycle);
  EXPECT_EQ(counter->owned_by_table, std::nullopt);
  EXPECT_EQ(counter->comment, "ticks");
  const schema::Sequence* serial = ByName(model.sequences, "t_id_seq");
  ASSERT_NE(serial, nullptr);
  EXPECT_EQ(serial->owned_by_table, Public("t"));
  EXPECT_EQ(serial->owned_by_column, "id");
  EXPECT_EQ(serial->options.data_type, "integer");

  const schema::Table* t = ByName(model.tables, "t");
  const schema::Column* id = ColumnOf(t, "id");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->default_expr, "nextval('t_id_seq'::regclass)");
  EXPECT_EQ(id->identity, '\0');
  const schema::Column* a = ColumnOf(t, "a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->identity, 'a');
  EXPECT_TRUE(a->not_null);
  ASSERT_TRUE(a->identity_options().has_value());
  EXPECT_EQ(a->identity_options()->start, 100);
  EXPECT_EQ(a->identity_options()->increment, 2);
  EXPECT_EQ(a->identity_options()->data_type, "bigint");
  EXPECT_EQ(a->default_expr, std::nullopt);
  const schema::Column* b = ColumnOf(t, "b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->identity, 'd');
  ASSERT_TRUE(b->identity_options().has_value());
  EXPECT_EQ(b->identity_options()->max_value, 2147483647);
  EXPECT_TRUE(HasDependency(model, ObjectId::ForColumn(Public("t"), "id"),
                            ObjectId::ForSequence(Public("t_id_seq"))));
}

TEST(Catalog, TablesAndColumns) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg,
            "CREATE TYPE mood AS ENUM ('sad', 'happy'); "
            "CREATE UNLOGGED TABLE \"Weird Name\" (x int) WITH (fillfactor = 70, "
            "autovacuum_enabled = false); "
            "COMMENT ON TABLE \"Weird Name\" IS 'spaces'; "
            "CREATE TABLE t (name varchar(255) NOT NULL DEFAULT 'anon', price numeric(10,2), "
            "tags text[], m mood DEFAULT 'sad', moods mood[], at timestamptz DEFAULT now(), "
            "code text COLLATE \"C\", label text COLLATE \"default\", "
            "total numeric GENERATED ALWAYS AS (price * 2) STORED, \"Upper\" int); "
            "ALTER TABLE t DROP COLUMN tags; ALTER TABLE t ADD COLUMN tags text[]; "
            "COMMENT ON COLUMN t.price IS 'in cents';");
  Database model = db.Inspect();
  const schema::Table* weird = ByName(model.tables, "Weird Name");
  ASSERT_NE(weird, nullptr);
  EXPECT_TRUE(weird->unlogged);
  EXPECT_FALSE(weird->partitioned);
  EXPECT_EQ(weird->options,
            (std::vector<std::string>{"autovacuum_enabled=false", "fillfactor=70"}));
  EXPECT_EQ(weird->comment, "spaces");

  const schema::Table* t = ByName(model.tables, "t");
  ASSERT_NE(t, nullptr);
  EXPECT_FALSE(t->unlogged);
  EXPECT_EQ(ColumnNames(t), (std::vector<std::string>{"name", "price", "m", "moods", "at", "code",
                                                      "label", "total", "Upper", "tags"}));
  const schema::Column* name = ColumnOf(t, "name");
  EXPECT_EQ(name->type, "character varying(255)");
  EXPECT_TRUE(name->not_null);
  EXPECT_EQ(name->default_expr, "'anon'::character varying");
  EXPECT_EQ(ColumnOf(t, "price")->type, "numeric(10,2)");
  EXPECT_EQ(ColumnOf(t, "price")->comment(), "in cents");
  EXPECT_FALSE(ColumnOf(t, "price")->not_null);
  EXPECT_EQ(ColumnOf(t, "tags")->type, "text[]");
  EXPECT_EQ(ColumnOf(t, "m")->type, "mood");
  EXPECT_EQ(ColumnOf(t, "m")->default_expr, "'sad'::mood");
  EXPECT_EQ(ColumnOf(t, "moods")->type, "mood[]");
  EXPECT_EQ(ColumnOf(t, "at")->type, "timestamp with time zone");
  EXPECT_EQ(ColumnOf(t, "at")->default_expr, "now()");
  EXPECT_EQ(ColumnOf(t, "code")->collation(), "\"C\"");
  EXPECT_EQ(ColumnOf(t, "label")->collation(), std::nullopt);  // the type's own collation
  const schema::Column* total = ColumnOf(t, "total");
  EXPECT_EQ(total->generated_expr(), "(price * (2)::numeric)");
  EXPECT_EQ(total->default_expr, std::nullopt);
  EXPECT_TRUE(HasDependency(model, ObjectId::ForColumn(Public("t"), "total"),
                            ObjectId::ForColumn(Public("t"), "price")));
  EXPECT_TRUE(HasDependency(model, ObjectId::ForColumn(Public("t"), "m"),
                            ObjectId::ForType(Public("mood"))));
  EXPECT_TRUE(HasDependency(model, ObjectId::ForColumn(Public("t"), "moods"),
                            ObjectId::ForType(Public("mood"))));
}

TEST(Catalog, PartitionsAndSubPartitions) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg,
            "CREATE TABLE ref (id int PRIMARY KEY); "
            "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS "
            "$$BEGIN RETURN NEW; END$$; "
            "CREATE TABLE events (id int NOT NULL, k int NOT NULL, v text DEFAULT 'x', "
            "ref_id int REFERENCES ref, g int GENERATED ALWAYS AS (k * 2) STORED, "
            "CONSTRAINT events_pk PRIMARY KEY (id, k), CONSTRAINT k_positive CHECK (k >= 0)) "
            "PARTITION BY LIST (k); "
            "CREATE INDEX events_v ON events (v); "
            "CREATE TRIGGER events_touch BEFORE INSERT ON events FOR EACH ROW "
            "EXECUTE FUNCTION touch(); "
            "CREATE TABLE events_1 PARTITION OF events FOR VALUES IN (1, 2); "
            "CREATE TABLE events_2 PARTITION OF events (v DEFAULT 'y') FOR VALUES IN (3); "
            "CREATE TABLE events_3 PARTITION OF events FOR VALUES IN (4) "
            "PARTITION BY RANGE (id); "
            "CREATE TABLE events_3a PARTITION OF events_3 FOR VALUES FROM (0) TO (100); "
            "CREATE TABLE events_other PARTITION OF events DEFAULT; "
            "CREATE TABLE events_5 (id int NOT NULL, k int NOT NULL, v text DEFAULT 'x', "
            "ref_id int, g int GENERATED ALWAYS AS (k * 2) STORED, CONSTRAINT k_positive CHECK (k "
            ">= 0)); "
            "ALTER TABLE events ATTACH PARTITION events_5 FOR VALUES IN (5); "
            "CREATE INDEX events_1_own ON events_1 (ref_id); "
            "COMMENT ON COLUMN events_1.v IS 'partition comment';");
  Database model = db.Inspect();
  const schema::Table* events = ByName(model.tables, "events");
  ASSERT_NE(events, nullptr);
  EXPECT_TRUE(events->partitioned);
  EXPECT_EQ(events->partition_key, "LIST (k)");
  EXPECT_EQ(events->partition_of, std::nullopt);
  EXPECT_EQ(ColumnNames(events), (std::vector<std::string>{"id", "k", "v", "ref_id", "g"}));

  const schema::Table* one = ByName(model.tables, "events_1");
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one->partition_of, Public("events"));
  EXPECT_EQ(one->partition_bound, "FOR VALUES IN (1, 2)");
  EXPECT_EQ(ColumnNames(one), std::vector<std::string>{"v"});  // only for its comment
  EXPECT_EQ(ColumnOf(one, "v")->default_expr, "'x'::text");
  const schema::Table* two = ByName(model.tables, "events_2");
  EXPECT_EQ(ColumnNames(two), std::vector<std::string>{"v"});
  EXPECT_EQ(ColumnOf(two, "v")->default_expr, "'y'::text");
  const schema::Table* three = ByName(model.tables, "events_3");
  EXPECT_TRUE(three->partitioned);
  EXPECT_EQ(three->partition_key, "RANGE (id)");
  EXPECT_EQ(three->partition_bound, "FOR VALUES IN (4)");
  EXPECT_TRUE(three->columns.empty());
  const schema::Table* sub = ByName(model.tables, "events_3a");
  EXPECT_EQ(sub->partition_of, Public("events_3"));
  EXPECT_EQ(sub->partition_bound, "FOR VALUES FROM (0) TO (100)");
  const schema::Table* other = ByName(model.tables, "events_other");
  EXPECT_EQ(other->partition_bound, "DEFAULT");
  EXPECT_TRUE(other->columns.empty());
  // Created on its own and attached: the same as PARTITION OF would make it.
  const schema::Table* five = ByName(model.tables, "events_5");
  EXPECT_EQ(five->partition_bound, "FOR VALUES IN (5)");
  EXPECT_TRUE(five->columns.empty());

  // The parent's key, check, foreign key, index and trigger, and nothing cloned from them.
  std::vector<std::string> constraints;
  for (const auto& constraint : model.constraints) {
    constraints.push_back(constraint.table.name + "." + constraint.name);
  }
  EXPECT_EQ(constraints, (std::vector<std::string>{"events.events_pk", "events.events_ref_id_fkey",
                                                   "events.k_positive", "ref.ref_pkey"}));
  std::vector<std::string> indexes;
  for (const auto& index : model.indexes) indexes.push_back(index.name.name);
  EXPECT_EQ(indexes, (std::vector<std::string>{"events_1_own", "events_v"}));
  EXPECT_EQ(ByName(model.indexes, "events_v")->definition,
            "CREATE INDEX events_v ON ONLY public.events USING btree (v)");
  ASSERT_EQ(model.triggers.size(), 1u);
  EXPECT_EQ(model.triggers[0].table, Public("events"));
  for (const auto& dependency : model.dependencies) {
    EXPECT_EQ(dependency.dependent.identity.find("public.events_"), std::string::npos)
        << dependency.dependent.identity;
  }
  ExpectDefinitionsMatchPostgres(db, model);
}

TEST(Catalog, ClassicInheritanceKeepsLocalColumns) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg,
            "CREATE TABLE base (id int NOT NULL, note text DEFAULT 'b', CHECK (id > 0)); "
            "CREATE TABLE extra (flag bool); "
            "CREATE TABLE child (own int, note text DEFAULT 'c') INHERITS (base, extra);");
  Database model = db.Inspect();
  const schema::Table* child = ByName(model.tables, "child");
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(child->inherits, (std::vector<QualifiedName>{Public("base"), Public("extra")}));
  EXPECT_EQ(child->partition_of, std::nullopt);
  EXPECT_EQ(ColumnNames(child), (std::vector<std::string>{"note", "own"}));
  EXPECT_EQ(ColumnOf(child, "note")->default_expr, "'c'::text");
  ASSERT_EQ(model.constraints.size(), 1u);  // the CHECK lives on base only
  EXPECT_EQ(model.constraints[0].table, Public("base"));
}

TEST(Catalog, Constraints) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg,
            "CREATE SCHEMA other; CREATE TABLE other.parent (id int PRIMARY KEY, "
            "a int, b int, UNIQUE (a, b)); "
            "CREATE TABLE parent (id int PRIMARY KEY); "
            "CREATE TABLE \"Order\" (id int, \"Code\" text, a int, b int, p int, q int, "
            "during tsrange, "
            "CONSTRAINT order_pk PRIMARY KEY (id) INCLUDE (\"Code\"), "
            "CONSTRAINT code_unique UNIQUE NULLS NOT DISTINCT (\"Code\"), "
            "CONSTRAINT a_positive CHECK (a > 0) NO INHERIT, "
            "CONSTRAINT fk_actions FOREIGN KEY (p) REFERENCES parent (id) "
            "ON DELETE SET NULL (p) ON UPDATE CASCADE, "
            "CONSTRAINT fk_full FOREIGN KEY (a, b) REFERENCES other.parent (a, b) MATCH FULL "
            "DEFERRABLE INITIALLY DEFERRED, "
            "CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&)); "
            "ALTER TABLE \"Order\" ADD CONSTRAINT fk_later FOREIGN KEY (q) REFERENCES parent "
            "ON DELETE RESTRICT NOT VALID; "
            "ALTER TABLE \"Order\" ADD CONSTRAINT b_small CHECK (b < 10) NOT VALID; "
            "COMMENT ON CONSTRAINT a_positive ON \"Order\" IS 'positive';");
  Database model = db.Inspect();
  auto definition = [&](const std::string& name) {
    const schema::Constraint* constraint = ByTableAndName(model.constraints, "Order", name);
    return constraint == nullptr ? std::string("<missing>") : constraint->definition;
  };
  EXPECT_EQ(definition("order_pk"), "PRIMARY KEY (id) INCLUDE (\"Code\")");
  EXPECT_EQ(definition("code_unique"), "UNIQUE NULLS NOT DISTINCT (\"Code\")");
  EXPECT_EQ(definition("a_positive"), "CHECK ((a > 0)) NO INHERIT");
  EXPECT_EQ(definition("b_small"), "CHECK ((b < 10)) NOT VALID");
  EXPECT_EQ(definition("fk_actions"),
            "FOREIGN KEY (p) REFERENCES parent(id) ON UPDATE CASCADE ON DELETE SET NULL (p)");
  EXPECT_EQ(definition("fk_full"),
            "FOREIGN KEY (a, b) REFERENCES other.parent(a, b) MATCH FULL DEFERRABLE INITIALLY "
            "DEFERRED");
  EXPECT_EQ(definition("fk_later"),
            "FOREIGN KEY (q) REFERENCES parent(id) ON DELETE RESTRICT NOT VALID");
  EXPECT_EQ(definition("no_overlap"), "EXCLUDE USING gist (during WITH &&)");
  const schema::Constraint* fk = ByTableAndName(model.constraints, "Order", "fk_full");
  ASSERT_NE(fk, nullptr);
  EXPECT_EQ(fk->type, schema::ConstraintType::kForeignKey);
  EXPECT_EQ(fk->referenced_table, (QualifiedName{"other", "parent"}));
  EXPECT_EQ(ByTableAndName(model.constraints, "Order", "order_pk")->type,
            schema::ConstraintType::kPrimaryKey);
  EXPECT_EQ(ByTableAndName(model.constraints, "Order", "code_unique")->type,
            schema::ConstraintType::kUnique);
  EXPECT_EQ(ByTableAndName(model.constraints, "Order", "no_overlap")->type,
            schema::ConstraintType::kExclusion);
  EXPECT_EQ(ByTableAndName(model.constraints, "Order", "a_positive")->comment, "positive");
  // Indexes behind keys and exclusion constraints belong to the constraint.
  for (const schema::Index& index : model.indexes) ADD_FAILURE() << index.definition;
  EXPECT_TRUE(
      HasDependency(model, ObjectId::ForConstraint(QualifiedName{"public", "Order"}, "fk_full"),
                    ObjectId::ForConstraint(QualifiedName{"other", "parent"}, "parent_a_b_key")));
  ExpectDefinitionsMatchPostgres(db, model);
}

TEST(Catalog, Indexes) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg,
            "CREATE TYPE status AS ENUM ('new', 'done'); "
            "CREATE FUNCTION norm(text) RETURNS text IMMUTABLE LANGUAGE sql AS "
            "$$SELECT lower($1)$$; "
            "CREATE TABLE t (id int, doc jsonb, archived boolean, name varchar(50), body text, "
            "st status, tags int[], at timestamptz, r int4range, \"Mixed\" text); "
            "CREATE INDEX ix ON t USING gin (doc jsonb_path_ops) WHERE (archived = false); "
            "CREATE INDEX ix_default_gin ON t USING gin (doc); "
            "CREATE UNIQUE INDEX ix_lower ON t (lower(name)); "
            "CREATE INDEX ix_norm ON t (norm(body)); "
            "CREATE INDEX ix_sum ON t ((id + 1)); "
            "CREATE INDEX ix_cast ON t ((body::varchar)); "
            "CREATE INDEX ix_two_exprs ON t (lower(body), upper(body)); "
            "CREATE INDEX ix_include ON t (id) INCLUDE (name, \"Mixed\"); "
            "CREATE INDEX ix_order ON t (at DESC NULLS LAST, id NULLS FIRST, name DESC); "
            "CREATE UNIQUE INDEX ix_nnd ON t (name) NULLS NOT DISTINCT; "
            "CREATE INDEX ix_with ON t (id) WITH (fillfactor = 70, deduplicate_items = off); "
            "CREATE INDEX ix_hash ON t USING hash (name); "
            "CREATE INDEX ix_brin ON t USING brin (at) WITH (pages_per_range = 16); "
            "CREATE INDEX ix_collate ON t (body COLLATE \"C\"); "
            "CREATE INDEX ix_pattern ON t (body text_pattern_ops); "
            "CREATE INDEX ix_varchar_pattern ON t (name varchar_pattern_ops); "
            "CREATE INDEX ix_enum ON t (st); "
            "CREATE INDEX ix_array ON t USING gin (tags); "
            "CREATE INDEX ix_range ON t USING gist (r); "
            "CREATE INDEX \"Ix Quoted\" ON t (\"Mixed\"); "
            "CREATE INDEX ix_partial_expr ON t (lower(body)) WHERE st = 'new' AND id > 3; "
            "COMMENT ON INDEX ix IS 'partial gin';");
  Database model = db.Inspect();
  auto definition = [&](const std::string& name) {
    const schema::Index* index = ByName(model.indexes, name);
    return index == nullptr ? std::string("<missing>") : index->definition;
  };
  EXPECT_EQ(definition("ix"),
            "CREATE INDEX ix ON public.t USING gin (doc jsonb_path_ops) WHERE (archived = false)");
  EXPECT_EQ(definition("ix_lower"),
            "CREATE UNIQUE INDEX ix_lower ON public.t USING btree (lower((name)::text))");
  EXPECT_EQ(definition("ix_include"),
            "CREATE INDEX ix_include ON public.t USING btree (id) INCLUDE (name, \"Mixed\")");
  EXPECT_EQ(definition("ix_order"),
            "CREATE INDEX ix_order ON public.t USING btree (at DESC NULLS LAST, id NULLS FIRST, "
            "name DESC)");
  EXPECT_EQ(definition("ix_nnd"),
            "CREATE UNIQUE INDEX ix_nnd ON public.t USING btree (name) NULLS NOT DISTINCT");
  EXPECT_EQ(definition("ix_with"),
            "CREATE INDEX ix_with ON public.t USING btree (id) WITH (fillfactor='70', "
            "deduplicate_items=off)");
  EXPECT_EQ(definition("ix_two_exprs"),
            "CREATE INDEX ix_two_exprs ON public.t USING btree (lower(body), upper(body))");
  EXPECT_EQ(definition("ix_collate"),
            "CREATE INDEX ix_collate ON public.t USING btree (body COLLATE \"C\")");
  const schema::Index* ix = ByName(model.indexes, "ix");
  ASSERT_NE(ix, nullptr);
  EXPECT_EQ(ix->table, Public("t"));
  EXPECT_FALSE(ix->unique);
  EXPECT_TRUE(ix->valid);
  EXPECT_EQ(ix->comment, "partial gin");
  EXPECT_TRUE(ByName(model.indexes, "ix_lower")->unique);
  EXPECT_TRUE(HasDependency(model, ObjectId::ForIndex(Public("ix_norm")),
                            ObjectId::ForFunction(*ByName(model.functions, "norm"))));
  EXPECT_EQ(model.indexes.size(), 21u);
  ExpectDefinitionsMatchPostgres(db, model);
}

TEST(Catalog, ViewsMaterializedViewsAndTheirDependencies) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg,
            "CREATE TABLE t (a int, b text, c int); "
            "CREATE FUNCTION twice(int) RETURNS int IMMUTABLE LANGUAGE sql AS $$SELECT $1 * 2$$; "
            "CREATE VIEW v WITH (security_barrier = true) AS SELECT a, twice(c) AS c2 FROM t "
            "WHERE b IS NOT NULL WITH LOCAL CHECK OPTION; "
            "CREATE VIEW vv AS SELECT a FROM v; "
            "COMMENT ON VIEW v IS 'a view'; COMMENT ON COLUMN v.c2 IS 'doubled'; "
            "CREATE MATERIALIZED VIEW mv AS SELECT a, count(*) AS n FROM t GROUP BY a; "
            "CREATE UNIQUE INDEX mv_a ON mv (a);");
  Database model = db.Inspect();
  const schema::View* v = ByName(model.views, "v");
  ASSERT_NE(v, nullptr);
  EXPECT_FALSE(v->materialized);
  EXPECT_EQ(v->definition,
            "SELECT t.a,\n    twice(t.c) AS c2\n   FROM t\n  WHERE (t.b IS NOT NULL)");
  EXPECT_EQ(v->options, (std::vector<std::string>{"check_option=local", "security_barrier=true"}));
  EXPECT_EQ(v->comment, "a view");
  EXPECT_EQ(v->column_comments,
            (std::vector<std::pair<std::string, std::string>>{{"c2", "doubled"}}));
  const schema::View* mv = ByName(model.views, "mv");
  ASSERT_NE(mv, nullptr);
  EXPECT_TRUE(mv->materialized);
  ASSERT_EQ(model.indexes.size(), 1u);
  EXPECT_EQ(model.indexes[0].definition, "CREATE UNIQUE INDEX mv_a ON public.mv USING btree (a)");
  EXPECT_EQ(model.indexes[0].table, Public("mv"));

  ObjectId view_v = ObjectId::ForView(Public("v"));
  EXPECT_TRUE(HasDependency(model, view_v, ObjectId::ForColumn(Public("t"), "a")));
  EXPECT_TRUE(HasDependency(model, view_v, ObjectId::ForColumn(Public("t"), "b")));
  EXPECT_TRUE(HasDependency(model, view_v, ObjectId::ForColumn(Public("t"), "c")));
  EXPECT_TRUE(
      HasDependency(model, view_v, ObjectId::ForFunction(*ByName(model.functions, "twice"))));
  EXPECT_TRUE(
      HasDependency(model, ObjectId::ForView(Public("vv")), ObjectId::ForColumn(Public("v"), "a")));
  EXPECT_TRUE(
      HasDependency(model, ObjectId::ForView(Public("mv")), ObjectId::ForColumn(Public("t"), "a")));
  for (const auto& dependency : model.dependencies) {
    EXPECT_NE(dependency.dependent, dependency.referenced);
  }
}

TEST(Catalog, FunctionsProceduresAggregatesAndTriggers) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg,
            "CREATE TABLE t (id int, n int); "
            "CREATE FUNCTION add(a integer, b integer DEFAULT 1) RETURNS integer "
            "LANGUAGE sql IMMUTABLE AS $$SELECT a + b$$; "
            "CREATE FUNCTION count_t() RETURNS bigint LANGUAGE sql "
            "BEGIN ATOMIC SELECT count(*) FROM t; END; "
            "CREATE PROCEDURE reset_t() LANGUAGE sql AS $$DELETE FROM t$$; "
            "CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0'); "
            "CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS "
            "$$BEGIN NEW.n := 1; RETURN NEW; END$$; "
            "CREATE TRIGGER t_stamp BEFORE INSERT OR UPDATE OF n ON t FOR EACH ROW "
            "WHEN (NEW.id > 0) EXECUTE FUNCTION stamp(); "
            "CREATE TRIGGER t_off AFTER DELETE ON t FOR EACH STATEMENT EXECUTE FUNCTION stamp(); "
            "ALTER TABLE t DISABLE TRIGGER t_off; "
            "CREATE CONSTRAINT TRIGGER t_late AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED "
            "FOR EACH ROW EXECUTE FUNCTION stamp(); "
            "COMMENT ON FUNCTION add(integer, integer) IS 'adds'; "
            "COMMENT ON TRIGGER t_stamp ON t IS 'stamps';");
  Database model = db.Inspect();
  ASSERT_EQ(model.functions.size(), 5u);
  const schema::Function* add = ByName(model.functions, "add");
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(add->arguments, "a integer, b integer");
  EXPECT_EQ(add->kind, 'f');
  EXPECT_EQ(add->result, "integer");
  EXPECT_EQ(add->comment, "adds");
  EXPECT_EQ(add->Signature(), "public.add(a integer, b integer)");
  EXPECT_EQ(add->definition,
            "CREATE OR REPLACE FUNCTION public.add(a integer, b integer DEFAULT 1)\n"
            " RETURNS integer\n LANGUAGE sql\n IMMUTABLE\nAS $function$SELECT a + b$function$\n");
  EXPECT_EQ(ByName(model.functions, "reset_t")->kind, 'p');
  const schema::Function* total = ByName(model.functions, "total");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->kind, 'a');
  EXPECT_EQ(total->definition,
            "CREATE OR REPLACE AGGREGATE public.total(integer) (\n    SFUNC = int4pl,\n"
            "    STYPE = integer,\n    INITCOND = '0'\n)\n");
  EXPECT_TRUE(HasDependency(model, ObjectId::ForFunction(*ByName(model.functions, "count_t")),
                            ObjectId::ForTable(Public("t"))) ||
              HasDependency(model, ObjectId::ForFunction(*ByName(model.functions, "count_t")),
                            ObjectId::ForColumn(Public("t"), "id")));

  ASSERT_EQ(model.triggers.size(), 3u);
  const schema::Trigger* stamp = ByTableAndName(model.triggers, "t", "t_stamp");
  ASSERT_NE(stamp, nullptr);
  EXPECT_EQ(stamp->definition,
            "CREATE TRIGGER t_stamp BEFORE INSERT OR UPDATE OF n ON public.t FOR EACH ROW WHEN "
            "((new.id > 0)) EXECUTE FUNCTION stamp()");
  EXPECT_EQ(stamp->enabled, 'O');
  EXPECT_EQ(stamp->comment, "stamps");
  EXPECT_EQ(ByTableAndName(model.triggers, "t", "t_off")->enabled, 'D');
  EXPECT_NE(ByTableAndName(model.triggers, "t", "t_late")
                ->definition.find("CREATE CONSTRAINT TRIGGER t_late"),
            std::string::npos);
  EXPECT_TRUE(model.constraints.empty());  // the constraint trigger is a trigger
  EXPECT_TRUE(HasDependency(model, ObjectId::ForTrigger(Public("t"), "t_stamp"),
                            ObjectId::ForFunction(*ByName(model.functions, "stamp"))));
}

TEST(Catalog, RowLevelSecurityPoliciesAndGrants) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg);
  std::string reader = db.name() + "_reader";
  std::string writer = db.name() + "_writer";
  db.Run("CREATE ROLE " + reader + "; CREATE ROLE " + writer +
         "; "
         "CREATE TABLE docs (id int, owner text); CREATE TABLE private (id int); "
         "ALTER TABLE docs ENABLE ROW LEVEL SECURITY; ALTER TABLE docs FORCE ROW LEVEL SECURITY; "
         "CREATE POLICY own ON docs FOR UPDATE TO " +
         writer + ", " + reader +
         " USING (owner = current_user) WITH CHECK (id > 0); "
         "CREATE POLICY everyone ON docs AS RESTRICTIVE USING (true); "
         "COMMENT ON POLICY own ON docs IS 'mine'; "
         "GRANT SELECT, INSERT ON docs TO " +
         reader +
         "; "
         "GRANT UPDATE ON docs TO " +
         writer +
         " WITH GRANT OPTION; "
         "GRANT SELECT ON docs TO PUBLIC; "
         "CREATE VIEW docs_view AS SELECT id FROM docs; GRANT SELECT ON docs_view TO " +
         reader);
  Database model = db.Inspect();
  const schema::Table* docs = ByName(model.tables, "docs");
  ASSERT_NE(docs, nullptr);
  EXPECT_TRUE(docs->row_security);
  EXPECT_TRUE(docs->force_row_security);
  EXPECT_EQ(docs->grants, (std::vector<schema::Grant>{{"PUBLIC", "SELECT", false},
                                                      {reader, "INSERT", false},
                                                      {reader, "SELECT", false},
                                                      {writer, "UPDATE", true}}));
  EXPECT_TRUE(ByName(model.tables, "private")->grants.empty());  // only its owner uses it
  EXPECT_EQ(ByName(model.views, "docs_view")->grants,
            (std::vector<schema::Grant>{{reader, "SELECT", false}}));

  ASSERT_EQ(model.policies.size(), 2u);
  const schema::Policy* own = ByTableAndName(model.policies, "docs", "own");
  ASSERT_NE(own, nullptr);
  EXPECT_TRUE(own->permissive);
  EXPECT_EQ(own->command, "UPDATE");
  std::vector<std::string> roles{reader, writer};
  std::sort(roles.begin(), roles.end());
  EXPECT_EQ(own->roles, roles);
  EXPECT_EQ(own->using_expr, "(owner = CURRENT_USER)");
  EXPECT_EQ(own->check_expr, "(id > 0)");
  EXPECT_EQ(own->comment, "mine");
  const schema::Policy* everyone = ByTableAndName(model.policies, "docs", "everyone");
  ASSERT_NE(everyone, nullptr);
  EXPECT_FALSE(everyone->permissive);
  EXPECT_EQ(everyone->command, "ALL");
  EXPECT_EQ(everyone->roles, std::vector<std::string>{"public"});
  EXPECT_EQ(everyone->using_expr, "true");
  EXPECT_EQ(everyone->check_expr, std::nullopt);
  db.Run("DROP OWNED BY " + reader + ", " + writer + "; DROP ROLE " + reader + ", " + writer);
}

TEST(Catalog, ColumnFunctionSequenceAndSchemaGrants) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg);
  std::string reader = db.name() + "_reader";
  db.Run("CREATE ROLE " + reader + "; CREATE SCHEMA app; GRANT USAGE ON SCHEMA app TO " + reader +
         "; CREATE TABLE app.t (a int, b text, c int); "
         "GRANT SELECT (a, b), UPDATE (b) ON app.t TO " +
         reader +
         "; GRANT INSERT (c) ON app.t TO PUBLIC; CREATE SEQUENCE app.s; GRANT USAGE ON "
         "SEQUENCE app.s TO " +
         reader +
         " WITH GRANT OPTION; "
         "CREATE FUNCTION app.open() RETURNS int LANGUAGE sql AS 'SELECT 1'; "
         "CREATE FUNCTION app.closed() RETURNS int LANGUAGE sql AS 'SELECT 1'; "
         "REVOKE EXECUTE ON FUNCTION app.closed() FROM PUBLIC; "
         "GRANT EXECUTE ON FUNCTION app.closed() TO " +
         reader);
  Database model = db.Inspect();
  const schema::Table* t = ByName(model.tables, "t");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->columns.size(), 3u);
  EXPECT_EQ(t->columns[0].grants(), (std::vector<schema::Grant>{{reader, "SELECT", false}}));
  EXPECT_EQ(t->columns[1].grants(),
            (std::vector<schema::Grant>{{reader, "SELECT", false}, {reader, "UPDATE", false}}));
  EXPECT_EQ(t->columns[2].grants(), (std::vector<schema::Grant>{{"PUBLIC", "INSERT", false}}));
  EXPECT_TRUE(t->grants.empty());
  EXPECT_EQ(ByName(model.sequences, "s")->grants,
            (std::vector<schema::Grant>{{reader, "USAGE", true}}));
  // An unrestricted function keeps PostgreSQL's default: EXECUTE for PUBLIC.
  EXPECT_EQ(ByName(model.functions, "open")->grants,
            (std::vector<schema::Grant>{{"PUBLIC", "EXECUTE", false}}));
  EXPECT_EQ(ByName(model.functions, "closed")->grants,
            (std::vector<schema::Grant>{{reader, "EXECUTE", false}}));
  for (const schema::Schema& item : model.schemas) {
    if (item.name == "app") {
      EXPECT_EQ(item.grants, (std::vector<schema::Grant>{{reader, "USAGE", false}}));
    }
    if (item.name == "public") {
      EXPECT_EQ(item.grants, (std::vector<schema::Grant>{{"PUBLIC", "USAGE", false}}));
    }
  }
  db.Run("DROP OWNED BY " + reader + "; DROP ROLE " + reader);
}

// pg_get_constraintdef leaves a key's index storage parameters out; the model keeps them.
TEST(Catalog, KeyConstraintsKeepIndexStorageParameters) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg);
  db.Run(
      "CREATE TABLE k (id int, u int, CONSTRAINT k_pkey PRIMARY KEY (id) WITH (fillfactor=70) "
      "USING INDEX TABLESPACE pg_default, CONSTRAINT k_u UNIQUE (u) INCLUDE (id) "
      "WITH (deduplicate_items=off) DEFERRABLE INITIALLY DEFERRED)");
  Database model = db.Inspect();
  ASSERT_EQ(model.constraints.size(), 2u);
  EXPECT_EQ(model.constraints[0].definition, "PRIMARY KEY (id) WITH (fillfactor='70')");
  EXPECT_EQ(model.constraints[1].definition,
            "UNIQUE (u) INCLUDE (id) WITH (deduplicate_items=off) DEFERRABLE INITIALLY DEFERRED");
}

TEST(Catalog, ExcludedSchemasAndTables) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg,
            "CREATE SCHEMA retort_backup; CREATE TABLE retort_backup.old (id int); "
            "CREATE TABLE retort_version (id serial PRIMARY KEY, v text); "
            "CREATE INDEX retort_version_v ON retort_version (v); "
            "CREATE TABLE kept (id int REFERENCES retort_version);");
  InspectOptions options;
  options.exclude_schemas = {"retort_backup"};
  options.exclude_tables = {Public("retort_version")};
  Database model = db.Inspect(options);
  std::vector<std::string> schemas;
  for (const auto& s : model.schemas) schemas.push_back(s.name);
  EXPECT_EQ(schemas, std::vector<std::string>{"public"});
  ASSERT_EQ(model.tables.size(), 1u);
  EXPECT_EQ(model.tables[0].name, Public("kept"));
  EXPECT_TRUE(model.sequences.empty());  // retort_version_id_seq went with its table
  EXPECT_TRUE(model.indexes.empty());
  ASSERT_EQ(model.constraints.size(), 1u);
  EXPECT_EQ(model.constraints[0].name, "kept_id_fkey");

  Database everything = db.Inspect();
  EXPECT_EQ(everything.tables.size(), 3u);
  EXPECT_EQ(everything.sequences.size(), 1u);
}

TEST(Catalog, CommentsOnEveryKind) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg,
            "CREATE TYPE e AS ENUM ('a'); CREATE DOMAIN d AS int; CREATE SEQUENCE s; "
            "CREATE TABLE t (c int CONSTRAINT c_check CHECK (c > 0)); "
            "CREATE INDEX i ON t (c); CREATE VIEW v AS SELECT c FROM t; "
            "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$; "
            "CREATE TRIGGER tr AFTER INSERT ON t EXECUTE FUNCTION f(); "
            "CREATE POLICY p ON t USING (true); "
            "COMMENT ON TYPE e IS 'enum'; COMMENT ON DOMAIN d IS 'domain'; "
            "COMMENT ON SEQUENCE s IS 'sequence'; COMMENT ON TABLE t IS 'table'; "
            "COMMENT ON COLUMN t.c IS 'column'; COMMENT ON CONSTRAINT c_check ON t IS 'check'; "
            "COMMENT ON INDEX i IS 'index'; COMMENT ON VIEW v IS 'view'; "
            "COMMENT ON FUNCTION f() IS 'function'; COMMENT ON TRIGGER tr ON t IS 'trigger'; "
            "COMMENT ON POLICY p ON t IS 'policy';");
  Database model = db.Inspect();
  EXPECT_EQ(model.enums.at(0).comment, "enum");
  EXPECT_EQ(model.domains.at(0).comment, "domain");
  EXPECT_EQ(model.sequences.at(0).comment, "sequence");
  EXPECT_EQ(model.tables.at(0).comment, "table");
  EXPECT_EQ(model.tables.at(0).columns.at(0).comment(), "column");
  EXPECT_EQ(model.constraints.at(0).comment, "check");
  EXPECT_EQ(model.indexes.at(0).comment, "index");
  EXPECT_EQ(model.views.at(0).comment, "view");
  EXPECT_EQ(model.functions.at(0).comment, "function");
  EXPECT_EQ(model.triggers.at(0).comment, "trigger");
  EXPECT_EQ(model.policies.at(0).comment, "policy");
}

TEST(Catalog, DefaultsAndConstraintsDependOnFunctions) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg,
            "CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$SELECT 'x'$$; "
            "CREATE FUNCTION valid(int) RETURNS boolean IMMUTABLE LANGUAGE sql AS "
            "$$SELECT $1 > 0$$; "
            "CREATE TABLE t (code text DEFAULT next_code(), n int CHECK (valid(n)));");
  Database model = db.Inspect();
  EXPECT_TRUE(HasDependency(model, ObjectId::ForColumn(Public("t"), "code"),
                            ObjectId::ForFunction(*ByName(model.functions, "next_code"))));
  EXPECT_TRUE(HasDependency(model, ObjectId::ForConstraint(Public("t"), "t_n_check"),
                            ObjectId::ForFunction(*ByName(model.functions, "valid"))));
  EXPECT_EQ(model.constraints.at(0).definition, "CHECK (valid(n))");
}

TEST(Catalog, InspectingTwiceAndOnTwoDatabasesGivesEqualModels) {
  RETORT_REQUIRE_PG(pg);
  std::string ddl =
      "CREATE TYPE mood AS ENUM ('a', 'b'); "
      "CREATE TABLE p (id int PRIMARY KEY, m mood, doc jsonb) PARTITION BY HASH (id); "
      "CREATE TABLE p0 PARTITION OF p FOR VALUES WITH (modulus 2, remainder 0); "
      "CREATE TABLE p1 PARTITION OF p FOR VALUES WITH (modulus 2, remainder 1); "
      "CREATE INDEX p_doc ON p USING gin (doc); "
      "CREATE TABLE q (id serial PRIMARY KEY, p_id int REFERENCES p, "
      "g int GENERATED ALWAYS AS (id * 3) STORED); "
      "CREATE VIEW v AS SELECT q.id, p.m FROM q JOIN p ON p.id = q.p_id; "
      "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$SELECT x$$;";
  TestDb first(pg, ddl);
  TestDb second(pg, ddl);
  Database once = first.Inspect();
  Database twice = first.Inspect();
  Database other = second.Inspect();
  EXPECT_EQ(once, twice);
  EXPECT_EQ(once, other);
  EXPECT_EQ(schema::ToJson(once).dump(), schema::ToJson(other).dump());
  EXPECT_EQ(ByName(once.tables, "p0")->partition_bound, "FOR VALUES WITH (modulus 2, remainder 0)");
  EXPECT_EQ(ByName(once.tables, "p")->partition_key, "HASH (id)");
}

TEST(Catalog, InsideTheCallersTransactionLeavesTheSessionAsItWas) {
  RETORT_REQUIRE_PG(pg);
  TestDb db(pg, "CREATE SCHEMA app; CREATE TABLE app.t (id int)");
  auto connection = pg::Connection::Open(pg->ConnInfo(db.name()));
  ASSERT_TRUE(connection.ok());
  ASSERT_TRUE(connection->Query("SET search_path = app").ok());
  ASSERT_TRUE(connection->Query("BEGIN").ok());
  // Settings the catalog reading changes for itself (SET LOCAL in the caller's transaction).
  auto settings = [&] {
    return connection
        ->Query(
            "SELECT current_setting('search_path') || ' ' || "
            "current_setting('work_mem') || ' ' || "
            "current_setting('enable_nestloop') || ' ' || current_setting('jit')")
        ->Get(0, 0);
  };
  std::string before = settings();
  auto model = catalog::Inspect(*connection, {});
  ASSERT_TRUE(model.ok()) << model.status().message();
  EXPECT_EQ(model->tables.size(), 1u);
  EXPECT_TRUE(connection->InTransaction());
  EXPECT_EQ(settings(), before);
  ASSERT_TRUE(connection->Query("COMMIT").ok());
  // Outside a transaction it opens and closes its own.
  auto again = catalog::Inspect(*connection, {});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(connection->InTransaction());
  EXPECT_EQ(settings(), before);
  EXPECT_EQ(*model, *again);
}

}  // namespace
}  // namespace retort::catalog
