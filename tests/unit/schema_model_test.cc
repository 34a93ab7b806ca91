// The schema model: identities, Database::Sort and the JSON form.
#include "schema/model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "schema/model_json.h"

namespace retort::schema {
namespace {

QualifiedName Name(const std::string& schema, const std::string& name) {
  return QualifiedName{schema, name};
}

TEST(QualifiedName, QuotesOnlyWhatNeedsQuoting) {
  EXPECT_EQ(Name("public", "users").Sql(), "public.users");
  EXPECT_EQ(Name("app_2", "_t1").Sql(), "app_2._t1");
  EXPECT_EQ(Name("public", "Users").Sql(), "public.\"Users\"");
  EXPECT_EQ(Name("my schema", "t").Sql(), "\"my schema\".t");
  EXPECT_EQ(Name("public", "say \"hi\"").Sql(), "public.\"say \"\"hi\"\"\"");
  EXPECT_EQ(Name("public", "1st").Sql(), "public.\"1st\"");
}

TEST(Function, SignatureIsTheDropIdentity) {
  Function function;
  function.name = Name("public", "Add");
  function.arguments = "a integer, b integer";
  EXPECT_EQ(function.Signature(), "public.\"Add\"(a integer, b integer)");
  function.arguments = "";
  EXPECT_EQ(function.Signature(), "public.\"Add\"()");
}

TEST(ObjectId, IdentitiesQuoteEachPart) {
  QualifiedName table = Name("public", "Order");
  EXPECT_EQ(ObjectId::ForTable(table), (ObjectId{ObjectId::Kind::kTable, "public.\"Order\""}));
  EXPECT_EQ(ObjectId::ForColumn(table, "Total"),
            (ObjectId{ObjectId::Kind::kColumn, "public.\"Order\".\"Total\""}));
  EXPECT_EQ(ObjectId::ForColumn(table, "id").identity, "public.\"Order\".id");
  EXPECT_EQ(ObjectId::ForView(Name("app", "v")).kind, ObjectId::Kind::kView);
  EXPECT_EQ(ObjectId::ForType(Name("app", "mood")).identity, "app.mood");
  EXPECT_EQ(ObjectId::ForSequence(Name("app", "s")).kind, ObjectId::Kind::kSequence);
  EXPECT_EQ(ObjectId::ForIndex(Name("app", "ix")).identity, "app.ix");
  EXPECT_EQ(ObjectId::ForConstraint(table, "order_pk").identity, "public.\"Order\".order_pk");
  EXPECT_EQ(ObjectId::ForTrigger(table, "Stamp").identity, "public.\"Order\".\"Stamp\"");
  EXPECT_EQ(ObjectId::ForPolicy(table, "own").kind, ObjectId::Kind::kPolicy);
  Function function;
  function.name = Name("public", "f");
  function.arguments = "x integer";
  EXPECT_EQ(ObjectId::ForFunction(function),
            (ObjectId{ObjectId::Kind::kFunction, "public.f(x integer)"}));
}

Column MakeColumn(const std::string& name, const std::string& type) {
  Column column;
  column.name = name;
  column.type = type;
  return column;
}

Constraint MakeConstraint(QualifiedName table, const std::string& name, ConstraintType type,
                          const std::string& definition) {
  Constraint constraint;
  constraint.table = std::move(table);
  constraint.name = name;
  constraint.type = type;
  constraint.definition = definition;
  return constraint;
}

Trigger MakeTrigger(const std::string& name, char enabled) {
  Trigger trigger;
  trigger.table = Name("public", "t");
  trigger.name = name;
  trigger.definition = "CREATE TRIGGER " + name + " ...";
  trigger.enabled = enabled;
  return trigger;
}

// A database with something in every vector, and orders worth checking.
Database Sample() {
  Database database;
  database.server_version = 150018;
  database.schemas = {{"public", "standard public schema"}, {"app", std::nullopt}};
  database.extensions = {{"pg_trgm", "public", "1.6"}, {"citext", "public", "1.6"}};
  database.enums = {{Name("public", "mood"), {"sad", "ok", "happy"}, "feelings"},
                    {Name("app", "level"), {"low", "high"}, std::nullopt}};
  Domain domain;
  domain.name = Name("public", "posint");
  domain.base_type = "integer";
  domain.not_null = true;
  domain.constraints = {{"z_check", "CHECK ((VALUE < 10))", std::nullopt},
                        {"a_check", "CHECK ((VALUE > 0))", "positive"}};
  database.domains = {domain};
  CompositeType pair;
  pair.name = Name("public", "pair");
  pair.attributes = {{"b", "text", "\"C\"", std::nullopt}, {"a", "integer", std::nullopt, "x"}};
  database.composite_types = {pair};
  Sequence sequence;
  sequence.name = Name("public", "t_id_seq");
  sequence.owned_by_table = Name("public", "t");
  sequence.owned_by_column = "id";
  database.sequences = {sequence};

  Table t;
  t.name = Name("public", "t");
  t.columns.push_back(MakeColumn("z", "integer"));
  t.columns.push_back(MakeColumn("a", "text"));
  t.columns[0].identity = 'a';
  t.columns[0].mutable_details().identity_options = SequenceOptions{};
  t.columns[1].mutable_details().collation = "\"C\"";
  t.options = {"fillfactor=70", "autovacuum_enabled=false"};
  t.grants = {{"writer", "UPDATE", true}, {"PUBLIC", "SELECT", false}};
  Table partition;
  partition.name = Name("public", "t_1");
  partition.partition_of = Name("public", "t");
  partition.partition_bound = "FOR VALUES IN (1)";
  Table other;
  other.name = Name("app", "t");
  other.inherits = {Name("public", "z"), Name("public", "a")};
  database.tables = {partition, t, other};

  database.constraints = {
      MakeConstraint(Name("public", "t"), "t_pkey", ConstraintType::kPrimaryKey, "PRIMARY KEY (z)"),
      MakeConstraint(Name("app", "t"), "t_fk", ConstraintType::kForeignKey,
                     "FOREIGN KEY (a) REFERENCES t(z)"),
      MakeConstraint(Name("public", "t"), "a_check", ConstraintType::kCheck, "CHECK ((z > 0))")};
  database.constraints[1].referenced_table = Name("public", "t");
  Index index;
  index.name = Name("public", "t_a");
  index.table = Name("public", "t");
  index.definition = "CREATE INDEX t_a ON public.t USING btree (a)";
  Index other_index = index;
  other_index.name = Name("app", "b_idx");
  other_index.valid = false;
  database.indexes = {index, other_index};
  View view;
  view.name = Name("public", "v");
  view.definition = "SELECT t.a\n   FROM t";
  view.options = {"security_barrier=true", "check_option=local"};
  view.column_comments = {{"a", "the a"}};
  view.grants = {{"reader", "SELECT", false}};
  database.views = {view};
  Function f;
  f.name = Name("public", "f");
  f.arguments = "x integer";
  f.definition = "CREATE OR REPLACE FUNCTION public.f(x integer)\n ...\n";
  Function f0 = f;
  f0.arguments = "";
  f0.kind = 'p';
  database.functions = {f, f0};
  database.triggers = {MakeTrigger("z_trigger", 'D'), MakeTrigger("a_trigger", 'O')};
  Policy policy;
  policy.table = Name("public", "t");
  policy.name = "own";
  policy.command = "UPDATE";
  policy.roles = {"writer", "reader"};
  policy.using_expr = "(owner = CURRENT_USER)";
  database.policies = {policy};
  ObjectId v = ObjectId::ForView(view.name);
  database.dependencies = {{v, ObjectId::ForColumn(t.name, "z")},
                           {v, ObjectId::ForColumn(t.name, "a")},
                           {v, ObjectId::ForColumn(t.name, "z")}};
  return database;
}

TEST(DatabaseSort, OrdersByIdentityAndKeepsMeaningfulOrders) {
  Database database = Sample();
  database.Sort();
  ASSERT_EQ(database.schemas.size(), 2u);
  EXPECT_EQ(database.schemas[0].name, "app");
  EXPECT_EQ(database.extensions[0].name, "citext");
  EXPECT_EQ(database.enums[0].name, Name("app", "level"));
  EXPECT_EQ(database.enums[1].labels, (std::vector<std::string>{"sad", "ok", "happy"}));
  EXPECT_EQ(database.domains[0].constraints[0].name, "a_check");
  EXPECT_EQ(database.composite_types[0].attributes[0].name, "b");  // attnum order stays
  std::vector<QualifiedName> tables;
  for (const Table& table : database.tables) tables.push_back(table.name);
  EXPECT_EQ(tables, (std::vector<QualifiedName>{Name("app", "t"), Name("public", "t"),
                                                Name("public", "t_1")}));
  const Table& t = database.tables[1];
  EXPECT_EQ(t.columns[0].name, "z");  // attnum order stays
  EXPECT_EQ(t.options, (std::vector<std::string>{"autovacuum_enabled=false", "fillfactor=70"}));
  EXPECT_EQ(t.grants[0].grantee, "PUBLIC");
  EXPECT_EQ(database.tables[0].inherits,
            (std::vector<QualifiedName>{Name("public", "z"), Name("public", "a")}));
  EXPECT_EQ(database.constraints[0].table, Name("app", "t"));
  EXPECT_EQ(database.constraints[1].name, "a_check");
  EXPECT_EQ(database.indexes[0].name, Name("app", "b_idx"));
  EXPECT_EQ(database.views[0].options,
            (std::vector<std::string>{"check_option=local", "security_barrier=true"}));
  EXPECT_EQ(database.functions[0].arguments, "");
  EXPECT_EQ(database.triggers[0].name, "a_trigger");
  EXPECT_EQ(database.policies[0].roles, (std::vector<std::string>{"reader", "writer"}));
  ASSERT_EQ(database.dependencies.size(), 2u);  // the duplicate is gone
  EXPECT_EQ(database.dependencies[0].referenced.identity, "public.t.a");
}

TEST(DatabaseSort, EqualContentInAnyOrderSortsEqual) {
  Database reference = Sample();
  reference.Sort();
  std::mt19937 random(42);
  for (int round = 0; round < 20; ++round) {
    Database shuffled = Sample();
    std::shuffle(shuffled.tables.begin(), shuffled.tables.end(), random);
    std::shuffle(shuffled.constraints.begin(), shuffled.constraints.end(), random);
    std::shuffle(shuffled.indexes.begin(), shuffled.indexes.end(), random);
    std::shuffle(shuffled.functions.begin(), shuffled.functions.end(), random);
    std::shuffle(shuffled.triggers.begin(), shuffled.triggers.end(), random);
    std::shuffle(shuffled.dependencies.begin(), shuffled.dependencies.end(), random);
    std::shuffle(shuffled.policies[0].roles.begin(), shuffled.policies[0].roles.end(), random);
    for (Table& table : shuffled.tables) {
      std::shuffle(table.grants.begin(), table.grants.end(), random);
      std::shuffle(table.options.begin(), table.options.end(), random);
    }
    shuffled.Sort();
    EXPECT_EQ(shuffled, reference);
    EXPECT_EQ(ToJson(shuffled).dump(), ToJson(reference).dump());
  }
  Database changed = Sample();
  changed.enums[0].labels = {"sad", "happy", "ok"};  // enum order is meaningful
  changed.Sort();
  EXPECT_NE(changed, reference);
}

// Each contype code the catalog reads becomes its type, which keeps the word `inspect --format
// json` printed for the code and the same answers to "is it a key" and "has it an index".
TEST(ConstraintTypes, EachContypeCodeKeepsItsJsonWordAndIndex) {
  struct Expected {
    char contype;
    ConstraintType type;
    const char* json_word;
    bool key;
    bool index;
  };
  const Expected expected[] = {
      {'p', ConstraintType::kPrimaryKey, "primary_key", true, true},
      {'u', ConstraintType::kUnique, "unique", true, true},
      {'c', ConstraintType::kCheck, "check", false, false},
      {'f', ConstraintType::kForeignKey, "foreign_key", false, false},
      {'x', ConstraintType::kExclusion, "exclusion", false, true},
  };
  for (const Expected& e : expected) {
    SCOPED_TRACE(std::string(1, e.contype));
    std::optional<ConstraintType> type = ConstraintTypeFromContype(e.contype);
    ASSERT_EQ(type, e.type);
    EXPECT_EQ(IsKey(*type), e.key);
    EXPECT_EQ(HasIndex(*type), e.index);
    Database database;
    database.constraints = {MakeConstraint(Name("public", "t"), "k", *type, "")};
    EXPECT_EQ(ToJson(database)["constraints"][0]["type"], e.json_word);
  }
  // Constraint triggers ('t') and PostgreSQL 18's NOT NULL constraints ('n') are not modelled.
  EXPECT_EQ(ConstraintTypeFromContype('t'), std::nullopt);
  EXPECT_EQ(ConstraintTypeFromContype('n'), std::nullopt);
  EXPECT_EQ(ConstraintTypeFromContype('\0'), std::nullopt);
}

TEST(ModelJson, ReadableStableAndWithoutAbsentValues) {
  Database database = Sample();
  database.Sort();
  nlohmann::json json = ToJson(database);
  EXPECT_EQ(json.dump(), ToJson(database).dump());
  EXPECT_EQ(json["server_version"], 150018);
  EXPECT_EQ(json["schemas"][0], (nlohmann::json{{"name", "app"}}));  // no "comment": null
  EXPECT_EQ(json["schemas"][1]["comment"], "standard public schema");

  const nlohmann::json& t = json["tables"][1];
  EXPECT_EQ(t["schema"], "public");
  EXPECT_EQ(t["name"], "t");
  EXPECT_EQ(t["columns"][0]["identity"], "always");
  EXPECT_EQ(t["columns"][0]["identity_options"]["data_type"], "bigint");
  EXPECT_FALSE(t["columns"][0].contains("default"));
  EXPECT_EQ(t["columns"][1]["collation"], "\"C\"");
  EXPECT_FALSE(t.contains("partition_of"));
  EXPECT_EQ(t["grants"][1],
            (nlohmann::json{{"grantee", "writer"}, {"privilege", "UPDATE"}, {"grantable", true}}));
  const nlohmann::json& partition = json["tables"][2];
  EXPECT_EQ(partition["partition_of"], (nlohmann::json{{"schema", "public"}, {"name", "t"}}));
  EXPECT_EQ(partition["partition_bound"], "FOR VALUES IN (1)");
  EXPECT_FALSE(partition.contains("columns"));  // empty lists are left out

  EXPECT_EQ(json["constraints"][0]["type"], "foreign_key");
  EXPECT_EQ(json["constraints"][0]["referenced_table"]["name"], "t");
  EXPECT_EQ(json["constraints"][1]["type"], "check");
  EXPECT_EQ(json["constraints"][2]["type"], "primary_key");
  EXPECT_EQ(json["indexes"][0]["valid"], false);
  EXPECT_EQ(json["functions"][0]["kind"], "procedure");
  EXPECT_EQ(json["triggers"][0]["enabled"], "origin");
  EXPECT_EQ(json["triggers"][1]["enabled"], "disabled");
  EXPECT_EQ(json["policies"][0]["using"], "(owner = CURRENT_USER)");
  EXPECT_FALSE(json["policies"][0].contains("check"));
  EXPECT_EQ(json["views"][0]["column_comments"][0],
            (nlohmann::json{{"column", "a"}, {"comment", "the a"}}));
  EXPECT_EQ(json["sequences"][0]["owned_by"],
            (nlohmann::json{{"schema", "public"}, {"name", "t"}, {"column", "id"}}));
  EXPECT_EQ(json["dependencies"][0]["dependent"],
            (nlohmann::json{{"kind", "view"}, {"id", "public.v"}}));
  EXPECT_EQ(json["dependencies"][0]["referenced"]["kind"], "column");

  // Keys print sorted, so the text does not depend on how the object was built.
  std::string text = json.dump(2);
  EXPECT_LT(text.find("\"composite_types\""), text.find("\"constraints\""));
  EXPECT_LT(text.find("\"constraints\""), text.find("\"dependencies\""));

  EXPECT_EQ(ToJson(Database{}), (nlohmann::json{{"server_version", 0}}));
}

}  // namespace
}  // namespace retort::schema
