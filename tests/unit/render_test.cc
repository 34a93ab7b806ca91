// Rendering and ordering on hand-built models: the exact SQL of each change kind, the order of
// a plan (dependencies, phases), and the downgrade of each case.
#include "render/render.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plan/plan.h"
#include "render/sql.h"

namespace retort::render {
namespace {

using schema::Column;
using schema::Database;
using schema::ObjectId;
using schema::QualifiedName;
using schema::Table;

QualifiedName Q(const std::string& name) { return {"public", name}; }

schema::Constraint Con(const std::string& table, const std::string& name, char type,
                       const std::string& definition,
                       std::optional<QualifiedName> referenced = std::nullopt) {
  schema::Constraint constraint;
  constraint.table = {"public", table};
  constraint.name = name;
  constraint.type = type;
  constraint.definition = definition;
  constraint.referenced_table = std::move(referenced);
  return constraint;
}

schema::Index Idx(const std::string& name, const std::string& table,
                  const std::string& definition) {
  schema::Index index;
  index.name = {"public", name};
  index.table = {"public", table};
  index.definition = definition;
  return index;
}

Column Col(const std::string& name, const std::string& type, bool not_null = false) {
  Column column;
  column.name = name;
  column.type = type;
  column.not_null = not_null;
  return column;
}

Table MakeTable(const std::string& name, std::vector<Column> columns) {
  Table table;
  table.name = Q(name);
  table.columns = std::move(columns);
  return table;
}

Database Base() {
  Database db;
  db.schemas = {{"public", "standard public schema"}};
  db.tables = {MakeTable("t", {Col("id", "integer", true), Col("name", "text")})};
  return db;
}

std::string One(const diff::Change& change) {
  auto statements = Statements(change);
  EXPECT_EQ(statements.size(), 1u);
  return statements.empty() ? "" : statements[0];
}

// Position of `needle` in `haystack`, failing the test when absent.
size_t At(const std::string& haystack, const std::string& needle) {
  size_t at = haystack.find(needle);
  EXPECT_NE(at, std::string::npos) << "missing: " << needle << "\nin:\n" << haystack;
  return at;
}

TEST(RenderIdent, QuotesLikeQuoteIdent) {
  EXPECT_EQ(Ident("users"), "users");
  EXPECT_EQ(Ident("_x1"), "_x1");
  EXPECT_EQ(Ident("User"), "\"User\"");
  EXPECT_EQ(Ident("order"), "\"order\"");  // reserved
  EXPECT_EQ(Ident("user"), "\"user\"");
  EXPECT_EQ(Ident("name"), "name");  // unreserved keyword
  EXPECT_EQ(Ident("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(Ident("1st"), "\"1st\"");
  EXPECT_EQ(Name({"app", "Order"}), "app.\"Order\"");
}

TEST(RenderStatements, Columns) {
  Column c = Col("qty", "integer", true);
  c.default_expr = "0";
  EXPECT_EQ(One(diff::AddColumn{Q("t"), c}),
            "ALTER TABLE public.t ADD COLUMN qty integer DEFAULT 0 NOT NULL");
  EXPECT_EQ(One(diff::DropColumn{Q("t"), c}), "ALTER TABLE public.t DROP COLUMN qty");
  Column wide = c;
  wide.type = "bigint";
  EXPECT_EQ(One(diff::AlterColumnType{Q("t"), c, wide}),
            "ALTER TABLE public.t ALTER COLUMN qty TYPE bigint USING qty::bigint");
  Column collated = Col("name", "text");
  collated.collation = "\"C\"";
  EXPECT_EQ(One(diff::AlterColumnType{Q("t"), Col("name", "text"), collated}),
            "ALTER TABLE public.t ALTER COLUMN name TYPE text COLLATE \"C\"");
  EXPECT_EQ(One(diff::SetColumnDefault{Q("t"), "qty", "1"}),
            "ALTER TABLE public.t ALTER COLUMN qty SET DEFAULT 1");
  EXPECT_EQ(One(diff::DropColumnDefault{Q("t"), "qty"}),
            "ALTER TABLE public.t ALTER COLUMN qty DROP DEFAULT");
  EXPECT_EQ(One(diff::SetNotNull{Q("t"), "qty"}),
            "ALTER TABLE public.t ALTER COLUMN qty SET NOT NULL");
  EXPECT_EQ(One(diff::DropNotNull{Q("t"), "qty"}),
            "ALTER TABLE public.t ALTER COLUMN qty DROP NOT NULL");
  EXPECT_EQ(One(diff::DropExpression{Q("t"), "total"}),
            "ALTER TABLE public.t ALTER COLUMN total DROP EXPRESSION");
  Column generated = Col("total", "integer");
  generated.generated_expr = "qty * 2";
  auto recreate = Statements(diff::RecreateColumn{Q("t"), Col("total", "integer"), generated});
  EXPECT_EQ(recreate, (std::vector<std::string>{
                          "ALTER TABLE public.t DROP COLUMN total",
                          "ALTER TABLE public.t ADD COLUMN total integer GENERATED ALWAYS AS "
                          "(qty * 2) STORED"}));
}

TEST(RenderStatements, Identity) {
  Column id = Col("id", "integer", true);
  id.identity = 'a';
  id.identity_options = schema::SequenceOptions{"integer", 1, 1, 1, 2147483647, 1, false};
  EXPECT_EQ(One(diff::AddIdentity{Q("t"), id}),
            "ALTER TABLE public.t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY");
  Column stepped = id;
  stepped.identity = 'd';
  stepped.identity_options->increment = 10;
  stepped.identity_options->start = 100;
  EXPECT_EQ(One(diff::AlterIdentity{Q("t"), id, stepped}),
            "ALTER TABLE public.t ALTER COLUMN id SET GENERATED BY DEFAULT SET INCREMENT BY 10 "
            "SET START WITH 100");
  EXPECT_EQ(One(diff::AddColumn{Q("t"), stepped}),
            "ALTER TABLE public.t ADD COLUMN id integer GENERATED BY DEFAULT AS IDENTITY "
            "(INCREMENT BY 10 START WITH 100) NOT NULL");
  EXPECT_EQ(One(diff::DropIdentity{Q("t"), "id"}),
            "ALTER TABLE public.t ALTER COLUMN id DROP IDENTITY");
}

TEST(RenderStatements, Tables) {
  Table table = MakeTable("Orders", {Col("id", "bigint", true), Col("user", "text")});
  table.unlogged = true;
  table.options = {"fillfactor=70"};
  EXPECT_EQ(One(diff::CreateTable{table}),
            "CREATE UNLOGGED TABLE public.\"Orders\" (\n    id bigint NOT NULL,\n    \"user\" "
            "text\n) WITH (fillfactor=70)");
  Table parent = MakeTable("p", {Col("k", "integer")});
  parent.partitioned = true;
  parent.partition_key = "LIST (k)";
  EXPECT_EQ(One(diff::CreateTable{parent}),
            "CREATE TABLE public.p (\n    k integer\n) PARTITION BY LIST (k)");
  Table part = MakeTable("p1", {});
  part.partition_of = Q("p");
  part.partition_bound = "FOR VALUES IN (1)";
  EXPECT_EQ(One(diff::CreateTable{part}),
            "CREATE TABLE public.p1 PARTITION OF public.p FOR VALUES IN (1)");
  EXPECT_EQ(One(diff::AttachPartition{part}),
            "ALTER TABLE public.p ATTACH PARTITION public.p1 FOR VALUES IN (1)");
  EXPECT_EQ(One(diff::DetachPartition{part}), "ALTER TABLE public.p DETACH PARTITION public.p1");
  EXPECT_EQ(One(diff::DropTable{part}), "DROP TABLE public.p1");
  EXPECT_EQ(One(diff::SetLogged{Q("t"), true}), "ALTER TABLE public.t SET UNLOGGED");
  EXPECT_EQ(One(diff::SetLogged{Q("t"), false}), "ALTER TABLE public.t SET LOGGED");
  EXPECT_EQ(
      Statements(diff::SetStorageOptions{Q("t"), false, {"fillfactor=50"}, {"autovacuum_enabled"}}),
      (std::vector<std::string>{"ALTER TABLE public.t RESET (autovacuum_enabled)",
                                "ALTER TABLE public.t SET (fillfactor=50)"}));
  EXPECT_EQ(One(diff::SetRowSecurity{Q("t"), true}),
            "ALTER TABLE public.t ENABLE ROW LEVEL SECURITY");
  EXPECT_EQ(One(diff::SetForceRowSecurity{Q("t"), false}),
            "ALTER TABLE public.t NO FORCE ROW LEVEL SECURITY");
  EXPECT_EQ(One(diff::SetInherit{Q("c"), Q("t"), false}),
            "ALTER TABLE public.c NO INHERIT public.t");
}

TEST(RenderStatements, TypesAndSequences) {
  EXPECT_EQ(One(diff::CreateEnum{{Q("mood"), {"sad", "it's ok"}, std::nullopt}}),
            "CREATE TYPE public.mood AS ENUM ('sad', 'it''s ok')");
  EXPECT_EQ(One(diff::AddEnumValue{Q("mood"), "ok", "sad", false}),
            "ALTER TYPE public.mood ADD VALUE 'ok' AFTER 'sad'");
  EXPECT_EQ(One(diff::AddEnumValue{Q("mood"), "bad", "sad", true}),
            "ALTER TYPE public.mood ADD VALUE 'bad' BEFORE 'sad'");
  schema::Domain domain;
  domain.name = Q("positive");
  domain.base_type = "integer";
  domain.not_null = true;
  domain.default_expr = "1";
  domain.constraints = {{"positive_check", "CHECK ((VALUE > 0))", std::nullopt}};
  EXPECT_EQ(One(diff::CreateDomain{domain}),
            "CREATE DOMAIN public.positive AS integer DEFAULT 1 NOT NULL\n    CONSTRAINT "
            "positive_check CHECK ((VALUE > 0))");
  schema::Domain looser = domain;
  looser.not_null = false;
  looser.constraints[0].definition = "CHECK ((VALUE >= 0))";
  EXPECT_EQ(
      Statements(diff::AlterDomain{domain, looser}),
      (std::vector<std::string>{
          "ALTER DOMAIN public.positive DROP CONSTRAINT positive_check",
          "ALTER DOMAIN public.positive DROP NOT NULL",
          "ALTER DOMAIN public.positive ADD CONSTRAINT positive_check CHECK ((VALUE >= 0))"}));
  schema::CompositeType pair{
      Q("pair"), {{"a", "integer", std::nullopt, std::nullopt}}, std::nullopt};
  EXPECT_EQ(One(diff::CreateCompositeType{pair}), "CREATE TYPE public.pair AS (\n    a integer\n)");
  schema::CompositeType wider = pair;
  wider.attributes[0].type = "bigint";
  wider.attributes.push_back({"b", "text", "\"C\"", std::nullopt});
  EXPECT_EQ(One(diff::AlterCompositeType{pair, wider}),
            "ALTER TYPE public.pair\n    ALTER ATTRIBUTE a TYPE bigint,\n    ADD ATTRIBUTE b text "
            "COLLATE \"C\"");
  schema::Sequence sequence;
  sequence.name = Q("s");
  sequence.options = {"integer", 10, 5, 1, 2147483647, 1, false};
  EXPECT_EQ(One(diff::CreateSequence{sequence}),
            "CREATE SEQUENCE public.s AS integer INCREMENT BY 5 START WITH 10");
  schema::Sequence bigger = sequence;
  bigger.options.data_type = "bigint";
  bigger.options.max_value = INT64_MAX;
  bigger.options.cycle = true;
  EXPECT_EQ(One(diff::AlterSequence{sequence, bigger}),
            "ALTER SEQUENCE public.s AS bigint MAXVALUE 9223372036854775807 CYCLE");
  bigger.owned_by_table = Q("t");
  bigger.owned_by_column = "id";
  EXPECT_EQ(One(diff::SetSequenceOwner{bigger}), "ALTER SEQUENCE public.s OWNED BY public.t.id");
  EXPECT_EQ(One(diff::SetSequenceOwner{sequence}), "ALTER SEQUENCE public.s OWNED BY NONE");
}

TEST(RenderStatements, ConstraintsIndexesViews) {
  schema::Constraint fk = Con("t", "t_parent_fkey", 'f',
                              "FOREIGN KEY (parent) REFERENCES t(id) ON DELETE CASCADE", Q("t"));
  EXPECT_EQ(One(diff::AddConstraint{fk}),
            "ALTER TABLE public.t ADD CONSTRAINT t_parent_fkey FOREIGN KEY (parent) REFERENCES "
            "t(id) ON DELETE CASCADE");
  EXPECT_EQ(One(diff::DropConstraint{fk}), "ALTER TABLE public.t DROP CONSTRAINT t_parent_fkey");
  EXPECT_EQ(One(diff::ValidateConstraint{fk}),
            "ALTER TABLE public.t VALIDATE CONSTRAINT t_parent_fkey");
  schema::Index index =
      Idx("p_k_idx", "p", "CREATE INDEX p_k_idx ON ONLY public.p USING btree (k)");
  EXPECT_EQ(One(diff::CreateIndex{index}), "CREATE INDEX p_k_idx ON public.p USING btree (k)");
  EXPECT_EQ(One(diff::DropIndex{index}), "DROP INDEX public.p_k_idx");
  schema::View view;
  view.name = Q("v");
  view.definition = "SELECT t.id\n   FROM t";
  view.options = {"security_barrier=true"};
  EXPECT_EQ(One(diff::CreateView{view}),
            "CREATE VIEW public.v WITH (security_barrier=true) AS\n SELECT t.id\n   FROM t");
  view.materialized = true;
  view.options.clear();
  EXPECT_EQ(One(diff::DropView{view}), "DROP MATERIALIZED VIEW public.v");
}

TEST(RenderStatements, FunctionsTriggersPolicies) {
  schema::Function f;
  f.name = Q("f");
  f.arguments = "a integer";
  f.definition =
      "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS integer\n LANGUAGE sql\nAS "
      "$function$ select a $function$\n";
  EXPECT_EQ(One(diff::CreateFunction{f, false}),
            "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS integer\n LANGUAGE sql\nAS "
            "$function$ select a $function$");
  EXPECT_EQ(One(diff::DropFunction{f}), "DROP FUNCTION public.f(a integer)");
  f.kind = 'p';
  EXPECT_EQ(One(diff::DropFunction{f}), "DROP PROCEDURE public.f(a integer)");
  schema::Trigger trigger{Q("t"), "audit",
                          "CREATE TRIGGER audit AFTER INSERT ON public.t FOR EACH ROW EXECUTE "
                          "FUNCTION log()",
                          'D', std::nullopt};
  EXPECT_EQ(One(diff::DropTrigger{trigger}), "DROP TRIGGER audit ON public.t");
  EXPECT_EQ(One(diff::SetTriggerEnabled{trigger}), "ALTER TABLE public.t DISABLE TRIGGER audit");
  trigger.enabled = 'A';
  EXPECT_EQ(One(diff::SetTriggerEnabled{trigger}),
            "ALTER TABLE public.t ENABLE ALWAYS TRIGGER audit");
  schema::Policy policy;
  policy.table = Q("t");
  policy.name = "mine";
  policy.permissive = false;
  policy.command = "UPDATE";
  policy.roles = {"Admins", "app"};
  policy.using_expr = "(id > 0)";
  policy.check_expr = "(id < 10)";
  EXPECT_EQ(One(diff::CreatePolicy{policy}),
            "CREATE POLICY mine ON public.t AS RESTRICTIVE FOR UPDATE TO \"Admins\", app USING "
            "((id > 0)) WITH CHECK ((id < 10))");
  schema::Policy everyone = policy;
  everyone.roles = {"public"};
  everyone.using_expr = "true";
  EXPECT_EQ(One(diff::AlterPolicy{policy, everyone}),
            "ALTER POLICY mine ON public.t TO PUBLIC USING (true)");
  EXPECT_EQ(One(diff::DropPolicy{policy}), "DROP POLICY mine ON public.t");
}

TEST(RenderStatements, CommentsAndGrants) {
  using Kind = diff::CommentTarget::Kind;
  EXPECT_EQ(One(diff::SetComment{{Kind::kColumn, Q("t"), "name", ""}, "it's"}),
            "COMMENT ON COLUMN public.t.name IS 'it''s'");
  EXPECT_EQ(One(diff::SetComment{{Kind::kTable, Q("t"), "", ""}, std::nullopt}),
            "COMMENT ON TABLE public.t IS NULL");
  EXPECT_EQ(One(diff::SetComment{{Kind::kConstraint, Q("t"), "t_pkey", ""}, "key"}),
            "COMMENT ON CONSTRAINT t_pkey ON public.t IS 'key'");
  EXPECT_EQ(One(diff::SetComment{{Kind::kFunction, Q("f"), "", "a integer"}, "f"}),
            "COMMENT ON FUNCTION public.f(a integer) IS 'f'");
  EXPECT_EQ(One(diff::SetComment{{Kind::kSchema, {"", "app"}, "", ""}, "app"}),
            "COMMENT ON SCHEMA app IS 'app'");
  EXPECT_EQ(One(diff::SetComment{{Kind::kMaterializedView, Q("mv"), "", ""}, "m"}),
            "COMMENT ON MATERIALIZED VIEW public.mv IS 'm'");
  EXPECT_EQ(One(diff::GrantPrivileges{Q("t"), "reader", {"SELECT", "UPDATE"}, true}),
            "GRANT SELECT, UPDATE ON TABLE public.t TO reader WITH GRANT OPTION");
  EXPECT_EQ(One(diff::RevokePrivileges{Q("t"), "PUBLIC", {"SELECT"}}),
            "REVOKE SELECT ON TABLE public.t FROM PUBLIC");
}

TEST(RenderMigration, EqualModelsRenderNothing) {
  Database db = Base();
  MigrationSql sql = RenderMigration(db, db);
  EXPECT_TRUE(sql.empty());
  EXPECT_FALSE(sql.upgrade_needs_no_transaction);
  EXPECT_EQ(sql.destructive_changes, 0);
}

TEST(RenderMigration, StatementsAreSeparatedByBlankLines) {
  Database from = Base();
  Database to = Base();
  to.tables[0].columns.push_back(Col("a", "integer"));
  to.tables[0].columns.push_back(Col("b", "integer"));
  MigrationSql sql = RenderMigration(from, to);
  EXPECT_EQ(sql.upgrade,
            "ALTER TABLE public.t ADD COLUMN a integer;\n\nALTER TABLE public.t ADD COLUMN b "
            "integer;\n");
  EXPECT_EQ(sql.downgrade,
            "-- DESTRUCTIVE: drops column public.t.a and its data\nALTER TABLE public.t DROP "
            "COLUMN a;\n\n-- DESTRUCTIVE: drops column public.t.b and its data\nALTER TABLE "
            "public.t DROP COLUMN b;\n");
  EXPECT_EQ(sql.destructive_changes, 0);
  EXPECT_EQ(RenderMigration(to, from).destructive_changes, 2);
}

TEST(RenderMigration, ForeignKeyComesAfterBothTables) {
  Database from;
  Database to;
  to.tables = {MakeTable("child", {Col("parent_id", "integer")}),
               MakeTable("parent", {Col("id", "integer", true)})};
  to.constraints = {Con("child", "child_parent_fkey", 'f',
                        "FOREIGN KEY (parent_id) REFERENCES parent(id)", Q("parent")),
                    Con("parent", "parent_pkey", 'p', "PRIMARY KEY (id)")};
  MigrationSql sql = RenderMigration(from, to);
  size_t child = At(sql.upgrade, "CREATE TABLE public.child");
  size_t parent = At(sql.upgrade, "CREATE TABLE public.parent");
  size_t pkey = At(sql.upgrade, "ADD CONSTRAINT parent_pkey");
  size_t fkey = At(sql.upgrade, "ADD CONSTRAINT child_parent_fkey");
  EXPECT_LT(child, fkey);
  EXPECT_LT(parent, fkey);
  EXPECT_LT(pkey, fkey);
  // Down: both tables go; the key between them first, so the order of the drops is free.
  size_t drop_fkey = At(sql.downgrade, "DROP CONSTRAINT child_parent_fkey");
  EXPECT_LT(drop_fkey, At(sql.downgrade, "DROP TABLE public.parent"));
  EXPECT_LT(drop_fkey, At(sql.downgrade, "DROP TABLE public.child"));
}

TEST(RenderMigration, PartitionComesAfterItsParentAndGoesBeforeIt) {
  Database from;
  Database to;
  Table part = MakeTable("a_p1", {});
  part.partition_of = Q("z_parent");
  part.partition_bound = "FOR VALUES IN (1)";
  Table parent = MakeTable("z_parent", {Col("k", "integer")});
  parent.partitioned = true;
  parent.partition_key = "LIST (k)";
  to.tables = {part, parent};
  MigrationSql sql = RenderMigration(from, to);
  EXPECT_LT(At(sql.upgrade, "CREATE TABLE public.z_parent"),
            At(sql.upgrade, "CREATE TABLE public.a_p1"));
  EXPECT_LT(At(sql.downgrade, "DROP TABLE public.a_p1"),
            At(sql.downgrade, "DROP TABLE public.z_parent"));
  EXPECT_NE(sql.downgrade.find("-- DESTRUCTIVE: drops partition public.a_p1 and its data"),
            std::string::npos);
}

Database WithView() {
  Database db = Base();
  schema::View view;
  view.name = Q("v");
  view.definition = "SELECT t.id,\n    t.name\n   FROM t";
  view.comment = "names";
  db.views = {view};
  schema::View outer;
  outer.name = Q("w");
  outer.definition = "SELECT v.name\n   FROM v";
  db.views.push_back(outer);
  db.dependencies = {
      {ObjectId::ForView(Q("v")), ObjectId::ForColumn(Q("t"), "id")},
      {ObjectId::ForView(Q("v")), ObjectId::ForColumn(Q("t"), "name")},
      {ObjectId::ForView(Q("w")), ObjectId::ForColumn(Q("v"), "name")},
  };
  return db;
}

TEST(RenderMigration, DependentViewsAreDroppedAroundAColumnTypeChange) {
  Database from = WithView();
  Database to = WithView();
  to.tables[0].columns[1].type = "character varying(100)";
  MigrationSql sql = RenderMigration(from, to);
  size_t drop_w = At(sql.upgrade, "DROP VIEW public.w;");
  size_t drop_v = At(sql.upgrade, "DROP VIEW public.v;");
  size_t alter = At(sql.upgrade, "ALTER COLUMN name TYPE character varying(100)");
  size_t create_v = At(sql.upgrade, "CREATE VIEW public.v AS");
  size_t create_w = At(sql.upgrade, "CREATE VIEW public.w AS");
  EXPECT_LT(drop_w, drop_v);  // dependents first
  EXPECT_LT(drop_v, alter);
  EXPECT_LT(alter, create_v);
  EXPECT_LT(create_v, create_w);
  // The recreated view gets its comment back.
  EXPECT_LT(create_v, At(sql.upgrade, "COMMENT ON VIEW public.v IS 'names'"));
  // The downgrade does the same around the reverse change.
  EXPECT_LT(At(sql.downgrade, "DROP VIEW public.v;"),
            At(sql.downgrade, "ALTER COLUMN name TYPE text USING name::text"));
  EXPECT_LT(At(sql.downgrade, "ALTER COLUMN name TYPE text"),
            At(sql.downgrade, "CREATE VIEW public.w AS"));
}

TEST(RenderMigration, UnrelatedViewsStay) {
  Database from = WithView();
  Database to = WithView();
  to.tables[0].columns.push_back(Col("extra", "integer"));
  MigrationSql sql = RenderMigration(from, to);
  EXPECT_EQ(sql.upgrade, "ALTER TABLE public.t ADD COLUMN extra integer;\n");
}

TEST(RenderMigration, EnumValueUsedByADefaultNeedsNoTransaction) {
  Database from = Base();
  from.enums = {{Q("mood"), {"sad", "happy"}, std::nullopt}};
  Column mood = Col("mood", "mood");
  mood.default_expr = "'sad'::mood";
  from.tables[0].columns.push_back(mood);
  Database to = from;
  to.enums[0].labels = {"sad", "ok", "happy", "great"};
  MigrationSql unused = RenderMigration(from, to);
  EXPECT_EQ(unused.upgrade,
            "ALTER TYPE public.mood ADD VALUE 'ok' AFTER 'sad';\n\n"
            "ALTER TYPE public.mood ADD VALUE 'great' AFTER 'happy';\n");
  EXPECT_FALSE(unused.upgrade_needs_no_transaction);

  to.tables[0].columns[2].default_expr = "'ok'::mood";
  MigrationSql used = RenderMigration(from, to);
  EXPECT_TRUE(used.upgrade_needs_no_transaction);
  EXPECT_LT(At(used.upgrade, "ADD VALUE 'ok'"), At(used.upgrade, "SET DEFAULT 'ok'::mood"));
  // Down removes the values: the type is swapped, destructively.
  EXPECT_FALSE(used.downgrade_needs_no_transaction);
  EXPECT_EQ(used.downgrade,
            "-- DESTRUCTIVE: removes values 'ok', 'great' from enum public.mood: rows holding them "
            "fail to convert\n"
            "CREATE TYPE public.mood__retort_new AS ENUM ('sad', 'happy');\n\n"
            "ALTER TABLE public.t ALTER COLUMN mood DROP DEFAULT;\n\n"
            "ALTER TABLE public.t ALTER COLUMN mood TYPE public.mood__retort_new USING "
            "mood::text::public.mood__retort_new;\n\n"
            "DROP TYPE public.mood;\n\n"
            "ALTER TYPE public.mood__retort_new RENAME TO mood;\n\n"
            "ALTER TABLE public.t ALTER COLUMN mood SET DEFAULT 'sad'::mood;\n");
}

TEST(RenderMigration, EnumSwapConvertsArraysAndRebuildsDependentViews) {
  Database from = Base();
  from.enums = {{Q("mood"), {"a", "b", "c"}, "feelings"}};
  from.tables[0].columns.push_back(Col("moods", "mood[]"));
  schema::View view;
  view.name = Q("v");
  view.definition = "SELECT t.moods\n   FROM t";
  from.views = {view};
  from.dependencies = {{ObjectId::ForView(Q("v")), ObjectId::ForColumn(Q("t"), "moods")}};
  Database to = from;
  to.enums[0].labels = {"c", "b", "a"};
  MigrationSql sql = RenderMigration(from, to);
  EXPECT_EQ(sql.destructive_changes, 0);  // reordering loses nothing
  size_t drop_view = At(sql.upgrade, "DROP VIEW public.v;");
  size_t convert = At(sql.upgrade,
                      "ALTER TABLE public.t ALTER COLUMN moods TYPE public.mood__retort_new[] "
                      "USING moods::text[]::public.mood__retort_new[];");
  size_t rename = At(sql.upgrade, "ALTER TYPE public.mood__retort_new RENAME TO mood;");
  size_t comment = At(sql.upgrade, "COMMENT ON TYPE public.mood IS 'feelings';");
  size_t create_view = At(sql.upgrade, "CREATE VIEW public.v AS");
  EXPECT_LT(drop_view, convert);
  EXPECT_LT(convert, rename);
  EXPECT_LT(rename, create_view);
  EXPECT_LT(rename, comment);
}

TEST(RenderMigration, FunctionsComeFirstWithBodyChecksOff) {
  Database from = Base();
  Database to = Base();
  schema::Function f;
  f.name = Q("count_t");
  f.result = "bigint";
  f.definition =
      "CREATE OR REPLACE FUNCTION public.count_t()\n RETURNS bigint\n LANGUAGE sql\nAS $function$ "
      "select count(*) from t2 $function$\n";
  to.functions = {f};
  to.tables.push_back(MakeTable("t2", {Col("id", "integer")}));
  MigrationSql sql = RenderMigration(from, to);
  EXPECT_EQ(sql.upgrade.rfind("SET check_function_bodies = off;\n\n", 0), 0u) << sql.upgrade;
  EXPECT_EQ(sql.downgrade.find("check_function_bodies"), std::string::npos);
  EXPECT_LT(At(sql.downgrade, "DROP TABLE public.t2"),
            At(sql.downgrade, "DROP FUNCTION public.count_t()"));
}

TEST(RenderMigration, TriggerIsRecreatedWhenItsDefinitionChanges) {
  Database from = Base();
  schema::Trigger trigger{Q("t"), "audit",
                          "CREATE TRIGGER audit AFTER INSERT ON public.t FOR EACH ROW EXECUTE "
                          "FUNCTION log()",
                          'O', "audit rows"};
  from.triggers = {trigger};
  Database to = from;
  to.triggers[0].definition =
      "CREATE TRIGGER audit AFTER INSERT OR UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION "
      "log()";
  MigrationSql sql = RenderMigration(from, to);
  EXPECT_EQ(sql.upgrade,
            "DROP TRIGGER audit ON public.t;\n\n"
            "CREATE TRIGGER audit AFTER INSERT OR UPDATE ON public.t FOR EACH ROW EXECUTE "
            "FUNCTION log();\n\n"
            "COMMENT ON TRIGGER audit ON public.t IS 'audit rows';\n");
}

TEST(RenderMigration, ChangedPrimaryKeyRebuildsForeignKeysOnIt) {
  Database from = Base();
  from.tables.push_back(MakeTable("child", {Col("t_id", "integer")}));
  from.constraints = {
      Con("child", "child_t_fkey", 'f', "FOREIGN KEY (t_id) REFERENCES t(id)", Q("t")),
      Con("t", "t_pkey", 'p', "PRIMARY KEY (id)")};
  Database to = from;
  to.constraints[1].definition = "PRIMARY KEY (id) DEFERRABLE";
  MigrationSql sql = RenderMigration(from, to);
  size_t drop_fk = At(sql.upgrade, "DROP CONSTRAINT child_t_fkey");
  size_t drop_pk = At(sql.upgrade, "DROP CONSTRAINT t_pkey");
  size_t add_pk = At(sql.upgrade, "ADD CONSTRAINT t_pkey PRIMARY KEY (id) DEFERRABLE");
  size_t add_fk = At(sql.upgrade, "ADD CONSTRAINT child_t_fkey");
  EXPECT_LT(drop_fk, drop_pk);
  EXPECT_LT(drop_pk, add_pk);
  EXPECT_LT(add_pk, add_fk);
}

TEST(RenderMigration, PlanStepsCarryFlags) {
  Database from = Base();
  Database to = Base();
  to.tables[0].columns[0].type = "bigint";
  to.tables[0].columns.pop_back();
  plan::Plan plan = plan::Build(from, to);
  ASSERT_EQ(plan.steps.size(), 2u);
  EXPECT_FALSE(plan.steps[0].destructive);
  EXPECT_NE(plan.steps[0].hazard.find("rewrites table public.t"), std::string::npos);
  EXPECT_TRUE(plan.steps[1].destructive);
  EXPECT_EQ(plan.steps[1].destructive_note, "drops column public.t.name and its data");
}

TEST(RenderMigration, InsteadOfTriggersComeBackWithTheirView) {
  Database from = WithView();
  from.triggers = {{Q("w"), "w_insert",
                    "CREATE TRIGGER w_insert INSTEAD OF INSERT ON public.w FOR EACH ROW EXECUTE "
                    "FUNCTION f()",
                    'O', std::nullopt}};
  Database to = from;
  to.tables[0].columns[1].type = "character varying(100)";
  MigrationSql sql = RenderMigration(from, to);
  // DROP VIEW takes the trigger along; it is created again after the view.
  EXPECT_EQ(sql.upgrade.find("DROP TRIGGER"), std::string::npos);
  EXPECT_LT(At(sql.upgrade, "CREATE VIEW public.w AS"), At(sql.upgrade, "CREATE TRIGGER w_insert"));
}

TEST(RenderMigration, TableGetsColumnsBeforeItInherits) {
  Database from = Base();
  from.tables.push_back(MakeTable("a_child", {Col("id", "integer", true)}));
  Database to = from;
  to.tables[1].columns.push_back(Col("name", "text"));
  to.tables[1].inherits = {Q("t")};
  MigrationSql sql = RenderMigration(from, to);
  EXPECT_EQ(sql.upgrade,
            "ALTER TABLE public.a_child ADD COLUMN name text;\n\n"
            "ALTER TABLE public.a_child INHERIT public.t;\n");
  // Leaving the parent keeps the inherited column, which then goes by itself.
  EXPECT_EQ(sql.downgrade,
            "ALTER TABLE public.a_child NO INHERIT public.t;\n\n"
            "-- DESTRUCTIVE: drops column public.a_child.name and its data\n"
            "ALTER TABLE public.a_child DROP COLUMN name;\n");
}

TEST(RenderMigration, DestructiveNotesQuoteOddNamesAndStayOnOneLine) {
  Database from = Base();
  from.tables[0].columns.push_back(Col("Odd\nName", "text"));
  Database to = Base();
  MigrationSql sql = RenderMigration(from, to);
  EXPECT_EQ(sql.upgrade,
            "-- DESTRUCTIVE: drops column public.t.\"Odd Name\" and its data\n"
            "ALTER TABLE public.t DROP COLUMN \"Odd\nName\";\n");
  EXPECT_EQ(sql.destructive_changes, 1);
}

TEST(RenderCreateScript, StartsFromAFreshDatabase) {
  Database db = Base();
  db.schemas.push_back({"app", "application"});
  db.tables[0].comment = "things";
  std::string script = RenderCreateScript(db);
  EXPECT_EQ(script,
            "CREATE SCHEMA app;\n\n"
            "CREATE TABLE public.t (\n    id integer NOT NULL,\n    name text\n);\n\n"
            "COMMENT ON SCHEMA app IS 'application';\n\n"
            "COMMENT ON TABLE public.t IS 'things';\n");
}

}  // namespace
}  // namespace retort::render
