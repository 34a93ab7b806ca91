// diff::Diff on hand-built models: which typed changes each difference produces.
#include "diff/diff.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "model_builders.h"

namespace retort::diff {
namespace {

using schema::Column;
using schema::ConstraintType;
using schema::Database;
using schema::Table;

using testing::Base;
using testing::Col;
using testing::Con;
using testing::Idx;
using testing::MakeTable;
using testing::Q;

template <typename T>
std::vector<T> All(const std::vector<Change>& changes) {
  std::vector<T> found;
  for (const Change& change : changes) {
    if (const T* typed = std::get_if<T>(&change)) found.push_back(*typed);
  }
  return found;
}

TEST(Diff, EqualModelsGiveNoChanges) {
  Database db = Base();
  db.enums = {{Q("mood"), {"a", "b"}, "moods"}};
  EXPECT_TRUE(Diff(db, db).empty());
  EXPECT_TRUE(Diff(Database{}, Database{}).empty());
}

TEST(Diff, AddedAndDroppedColumnsAreSeparateChanges) {
  Database from = Base();
  Database to = Base();
  to.tables[0].columns[1].name = "title";  // a rename is not guessed
  auto changes = Diff(from, to);
  ASSERT_EQ(changes.size(), 2u);
  auto added = All<AddColumn>(changes);
  auto dropped = All<DropColumn>(changes);
  ASSERT_EQ(added.size(), 1u);
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(added[0].column.name, "title");
  EXPECT_EQ(dropped[0].column.name, "name");
}

TEST(Diff, TypeChangeDropsAndRestoresTheDefault) {
  Database from = Base();
  from.tables[0].columns[1].default_expr = "'x'::text";
  Database to = from;
  to.tables[0].columns[1].type = "character varying(20)";
  to.tables[0].columns[1].default_expr = "'x'::character varying";
  auto changes = Diff(from, to);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<DropColumnDefault>(changes[0]));
  ASSERT_TRUE(std::holds_alternative<AlterColumnType>(changes[1]));
  EXPECT_EQ(std::get<AlterColumnType>(changes[1]).to.type, "character varying(20)");
  ASSERT_TRUE(std::holds_alternative<SetColumnDefault>(changes[2]));
  EXPECT_EQ(std::get<SetColumnDefault>(changes[2]).expression, "'x'::character varying");
}

TEST(Diff, NullabilityAndDefault) {
  Database from = Base();
  Database to = Base();
  to.tables[0].columns[1].not_null = true;
  to.tables[0].columns[1].default_expr = "''::text";
  auto changes = Diff(from, to);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<SetColumnDefault>(changes[0]));
  EXPECT_TRUE(std::holds_alternative<SetNotNull>(changes[1]));
  auto back = Diff(to, from);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<DropColumnDefault>(back[0]));
  EXPECT_TRUE(std::holds_alternative<DropNotNull>(back[1]));
}

TEST(Diff, IdentityAddedAfterNotNullAndRemovedBeforeIt) {
  Database from = Base();
  from.tables[0].columns[0].not_null = false;
  Database to = Base();
  to.tables[0].columns[0].identity = 'a';
  auto changes = Diff(from, to);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<SetNotNull>(changes[0]));
  EXPECT_TRUE(std::holds_alternative<AddIdentity>(changes[1]));
  auto back = Diff(to, from);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<DropIdentity>(back[0]));
  EXPECT_TRUE(std::holds_alternative<DropNotNull>(back[1]));
}

TEST(Diff, IdentityKindChangeIsAlterIdentity) {
  Database from = Base();
  from.tables[0].columns[0].identity = 'd';
  Database to = Base();
  to.tables[0].columns[0].identity = 'a';
  auto changes = Diff(from, to);
  ASSERT_EQ(changes.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<AlterIdentity>(changes[0]));
}

TEST(Diff, GenerationExpressionChangeRecreatesTheColumn) {
  Database from = Base();
  Column total = Col("total", "integer");
  total.mutable_details().generated_expr = "(id * 2)";
  from.tables[0].columns.push_back(total);
  Database to = from;
  to.tables[0].columns[2].mutable_details().generated_expr = "(id * 3)";
  auto changes = Diff(from, to);
  ASSERT_EQ(changes.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<RecreateColumn>(changes[0]));

  // Generated -> plain keeps the values: DROP EXPRESSION.
  Database plain = from;
  plain.tables[0].columns[2].mutable_details().generated_expr.reset();
  auto to_plain = Diff(from, plain);
  ASSERT_EQ(to_plain.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<DropExpression>(to_plain[0]));
  // Plain -> generated cannot be altered.
  auto to_generated = Diff(plain, from);
  ASSERT_EQ(to_generated.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<RecreateColumn>(to_generated[0]));
}

TEST(Diff, EnumValuesAddedBeforeAndAfterNeighbours) {
  Database from = Base();
  from.enums = {{Q("mood"), {"sad", "happy"}, std::nullopt}};
  Database to = Base();
  to.enums = {{Q("mood"), {"awful", "bad", "sad", "ok", "happy", "great"}, std::nullopt}};
  auto added = All<AddEnumValue>(Diff(from, to));
  ASSERT_EQ(added.size(), 4u);
  // The leading run goes in back to front, each BEFORE its successor.
  EXPECT_EQ(added[0].value, "bad");
  EXPECT_TRUE(added[0].before);
  EXPECT_EQ(added[0].neighbour, "sad");
  EXPECT_EQ(added[1].value, "awful");
  EXPECT_TRUE(added[1].before);
  EXPECT_EQ(added[1].neighbour, "bad");
  EXPECT_EQ(added[2].value, "ok");
  EXPECT_FALSE(added[2].before);
  EXPECT_EQ(added[2].neighbour, "sad");
  EXPECT_EQ(added[3].value, "great");
  EXPECT_EQ(added[3].neighbour, "happy");
}

TEST(Diff, EnumValueRemovedOrReorderedSwapsTheType) {
  Database from = Base();
  from.enums = {{Q("mood"), {"sad", "ok", "happy"}, std::nullopt}};
  Column mood = Col("mood", "mood");
  mood.default_expr = "'ok'::mood";
  from.tables[0].columns.push_back(mood);
  from.tables[0].columns.push_back(Col("history", "mood[]"));
  Database to = from;
  to.enums[0].labels = {"sad", "happy"};
  to.tables[0].columns[2].default_expr = "'sad'::mood";
  auto changes = Diff(from, to);
  auto swaps = All<SwapEnum>(changes);
  ASSERT_EQ(swaps.size(), 1u);
  EXPECT_EQ(swaps[0].removed_values, std::vector<std::string>{"ok"});
  ASSERT_EQ(swaps[0].uses.size(), 2u);
  EXPECT_EQ(swaps[0].uses[0].column, "mood");
  EXPECT_FALSE(swaps[0].uses[0].array);
  EXPECT_EQ(swaps[0].uses[0].default_expr, std::optional<std::string>("'ok'::mood"));
  EXPECT_EQ(swaps[0].uses[1].column, "history");
  EXPECT_TRUE(swaps[0].uses[1].array);
  // The swap drops the default; the column diff sets the new one.
  auto defaults = All<SetColumnDefault>(changes);
  ASSERT_EQ(defaults.size(), 1u);
  EXPECT_EQ(defaults[0].expression, "'sad'::mood");

  Database reordered = from;
  reordered.enums[0].labels = {"happy", "ok", "sad"};
  auto reorder = All<SwapEnum>(Diff(from, reordered));
  ASSERT_EQ(reorder.size(), 1u);
  EXPECT_TRUE(reorder[0].removed_values.empty());
  // Even an unchanged default goes back after a swap.
  EXPECT_EQ(All<SetColumnDefault>(Diff(from, reordered)).size(), 1u);
}

TEST(Diff, NotValidToValidIsValidate) {
  Database from = Base();
  from.constraints = {
      Con("t", "t_name_check", ConstraintType::kCheck, "CHECK ((name <> ''::text)) NOT VALID")};
  Database to = Base();
  to.constraints = {Con("t", "t_name_check", ConstraintType::kCheck, "CHECK ((name <> ''::text))")};
  auto changes = Diff(from, to);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<ValidateConstraint>(changes[0]));
  // The way back has no ALTER: drop and add NOT VALID.
  auto back = Diff(to, from);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<DropConstraint>(back[0]));
  EXPECT_TRUE(std::holds_alternative<AddConstraint>(back[1]));
}

TEST(Diff, IndexDefinitionChangeIsDropAndCreate) {
  Database from = Base();
  from.indexes = {Idx("t_name_idx", "t", "CREATE INDEX t_name_idx ON public.t USING btree (name)")};
  Database to = Base();
  to.indexes = {Idx("t_name_idx", "t", "CREATE INDEX t_name_idx ON public.t USING hash (name)")};
  auto changes = Diff(from, to);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<DropIndex>(changes[0]));
  EXPECT_TRUE(std::holds_alternative<CreateIndex>(changes[1]));
}

TEST(Diff, FunctionBodyIsReplacedButNewResultTypeIsDropAndCreate) {
  schema::Function f;
  f.name = Q("f");
  f.arguments = "a integer";
  f.result = "integer";
  f.definition =
      "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS integer\n LANGUAGE sql\nAS "
      "$function$ select a $function$\n";
  f.grants = {{"PUBLIC", "EXECUTE", false}};  // what CREATE FUNCTION gives
  Database from = Base();
  from.functions = {f};
  Database body = from;
  body.functions[0].definition =
      "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS integer\n LANGUAGE sql\nAS "
      "$function$ select a + 1 $function$\n";
  auto replaced = Diff(from, body);
  ASSERT_EQ(replaced.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<CreateFunction>(replaced[0]));
  EXPECT_TRUE(std::get<CreateFunction>(replaced[0]).replace);

  Database result = from;
  result.functions[0].result = "bigint";
  auto recreated = Diff(from, result);
  ASSERT_EQ(recreated.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<DropFunction>(recreated[0]));
  EXPECT_FALSE(std::get<CreateFunction>(recreated[1]).replace);
}

TEST(Diff, PartitionBoundChangeIsDetachAndAttach) {
  Database from = Base();
  Table parent = MakeTable("p", {Col("k", "integer")});
  parent.partitioned = true;
  parent.partition_key = "LIST (k)";
  Table part = MakeTable("p1", {});
  part.partition_of = Q("p");
  part.partition_bound = "FOR VALUES IN (1)";
  from.tables.push_back(parent);
  from.tables.push_back(part);
  Database to = from;
  to.tables[2].partition_bound = "FOR VALUES IN (1, 2)";
  auto changes = Diff(from, to);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<DetachPartition>(changes[0]));
  ASSERT_TRUE(std::holds_alternative<AttachPartition>(changes[1]));
  EXPECT_EQ(std::get<AttachPartition>(changes[1]).table->partition_bound, "FOR VALUES IN (1, 2)");

  // A new partition key recreates the parent and its partitions; the parent's DROP TABLE takes
  // the partitions along.
  Database rekeyed = from;
  rekeyed.tables[1].partition_key = "HASH (k)";
  rekeyed.tables[2].partition_bound = "FOR VALUES WITH (modulus 1, remainder 0)";
  auto recreated = Diff(from, rekeyed);
  ASSERT_EQ(All<DropTable>(recreated).size(), 1u);
  EXPECT_EQ(All<DropTable>(recreated)[0].table->name, Q("p"));
  EXPECT_EQ(All<CreateTable>(recreated).size(), 2u);
}

TEST(Diff, ChildColumnsFollowTheParent) {
  // A partition lists only what differs from its parent; a parent's new column reaches the
  // partition without a change of its own.
  Database from = Base();
  Table parent = MakeTable("p", {Col("k", "integer")});
  parent.partitioned = true;
  parent.partition_key = "LIST (k)";
  Table part = MakeTable("p1", {});
  part.partition_of = Q("p");
  part.partition_bound = "FOR VALUES IN (1)";
  from.tables.push_back(parent);
  from.tables.push_back(part);
  Database to = from;
  to.tables[1].columns.push_back(Col("v", "text"));
  Column v_default = Col("v", "text");
  v_default.default_expr = "'one'::text";
  to.tables[2].columns.push_back(v_default);
  auto changes = Diff(from, to);
  ASSERT_EQ(changes.size(), 2u);
  ASSERT_TRUE(std::holds_alternative<AddColumn>(changes[0]));
  EXPECT_EQ(std::get<AddColumn>(changes[0]).table, Q("p"));
  ASSERT_TRUE(std::holds_alternative<SetColumnDefault>(changes[1]));
  EXPECT_EQ(std::get<SetColumnDefault>(changes[1]).table, Q("p1"));
}

TEST(Diff, PolicyChangesAlterWhenPostgresCan) {
  schema::Policy policy;
  policy.table = Q("t");
  policy.name = "own";
  policy.command = "SELECT";
  policy.roles = {"public"};
  policy.using_expr = "(id > 0)";
  Database from = Base();
  from.policies = {policy};
  Database to = from;
  to.policies[0].using_expr = "(id > 1)";
  auto altered = Diff(from, to);
  ASSERT_EQ(altered.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<AlterPolicy>(altered[0]));
  to.policies[0].command = "UPDATE";
  auto recreated = Diff(from, to);
  ASSERT_EQ(recreated.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<DropPolicy>(recreated[0]));
  EXPECT_TRUE(std::holds_alternative<CreatePolicy>(recreated[1]));
}

TEST(Diff, GrantsAndComments) {
  Database from = Base();
  from.tables[0].grants = {{"reader", "SELECT", false}, {"writer", "INSERT", false}};
  Database to = Base();
  to.tables[0].grants = {{"reader", "SELECT", false}, {"reader", "UPDATE", false}};
  to.tables[0].comment = "things";
  auto changes = Diff(from, to);
  auto revoked = All<RevokePrivileges>(changes);
  auto granted = All<GrantPrivileges>(changes);
  auto comments = All<SetComment>(changes);
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked[0].grantee, "writer");
  ASSERT_EQ(granted.size(), 1u);
  EXPECT_EQ(granted[0].privileges, std::vector<std::string>{"UPDATE"});
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_EQ(comments[0].comment, std::optional<std::string>("things"));
}

TEST(Diff, DroppedTableTakesItsMembersAlong) {
  Database from = Base();
  from.indexes = {Idx("t_name_idx", "t", "CREATE INDEX t_name_idx ON public.t USING btree (name)")};
  from.constraints = {Con("t", "t_pkey", ConstraintType::kPrimaryKey, "PRIMARY KEY (id)")};
  Database to = Base();
  to.tables.clear();
  auto changes = Diff(from, to);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<DropTable>(changes[0]));
}

TEST(Diff, SerialSequenceGoesWithItsTable) {
  Database from = Base();
  schema::Sequence sequence;
  sequence.name = Q("t_id_seq");
  sequence.options.data_type = "integer";
  sequence.owned_by_table = Q("t");
  sequence.owned_by_column = "id";
  from.sequences = {sequence};
  Database to = Base();
  to.tables.clear();
  auto changes = Diff(from, to);
  EXPECT_TRUE(All<DropSequence>(changes).empty());
  // Created: the sequence first, its owner once the column exists.
  auto created = Diff(to, from);
  EXPECT_EQ(All<CreateSequence>(created).size(), 1u);
  EXPECT_FALSE(All<CreateSequence>(created)[0].sequence.owned_by_table.has_value());
  EXPECT_EQ(All<SetSequenceOwner>(created).size(), 1u);
}

TEST(Diff, TypeNamesMatchesQualifiedBareAndArrays) {
  bool array = false;
  EXPECT_TRUE(TypeNames("mood", Q("mood"), &array));
  EXPECT_FALSE(array);
  EXPECT_TRUE(TypeNames("public.mood[]", Q("mood"), &array));
  EXPECT_TRUE(array);
  EXPECT_TRUE(TypeNames("app.\"Mood\"", {"app", "Mood"}, &array));
  EXPECT_FALSE(TypeNames("mood", {"app", "mood"}, &array));
  EXPECT_FALSE(TypeNames("moods", Q("mood"), &array));
}

TEST(Diff, InheritCannotMakeInheritedOnlyColumnsOrChecks) {
  Database from = Base();
  from.tables.push_back(MakeTable("parent", {Col("owner", "integer", true)}));
  from.constraints.push_back(
      Con("parent", "parent_owner_check", ConstraintType::kCheck, "CHECK ((owner > 0))"));
  from.tables.push_back(MakeTable("child", {Col("owner", "integer", true)}));
  Database to = from;
  // As CREATE TABLE child () INHERITS (parent) has it: nothing of its own.
  to.tables.back().columns.clear();
  to.tables.back().inherits = {Q("parent")};
  std::vector<std::string> problems = diff::Unsupported(from, to);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("public.child starts inheriting from public.parent"),
            std::string::npos)
      << problems[0];
  EXPECT_NE(problems[0].find("column owner, constraint parent_owner_check"), std::string::npos)
      << problems[0];
  // As ALTER TABLE child INHERIT parent leaves it: the column and the check its own too.
  to.tables.back().columns = {Col("owner", "integer", true)};
  to.constraints.push_back(
      Con("child", "parent_owner_check", ConstraintType::kCheck, "CHECK ((owner > 0))"));
  EXPECT_TRUE(diff::Unsupported(from, to).empty());
}

TEST(Diff, InheritedColumnDeclaredOnOneSideOnlyIsNamed) {
  Database from = Base();
  from.tables.push_back(MakeTable("notes", {Col("note_class", "integer")}));
  Table child = MakeTable("entity_notes", {Col("note_class", "integer")});
  child.inherits = {Q("notes")};
  child.columns[0].default_expr = "4";
  child.columns[0].inherited_only = true;  // CREATE TABLE () INHERITS, then SET DEFAULT 4
  from.tables.push_back(child);
  Database to = from;
  to.tables.back().columns[0].inherited_only = false;  // CREATE TABLE (note_class ...) INHERITS
  std::vector<std::string> problems = diff::Unsupported(from, to);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("column note_class of public.entity_notes is inherited only in the "
                             "database but declared in the table in the target"),
            std::string::npos)
      << problems[0];
  problems = diff::Unsupported(to, from);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("is declared in the table in the database but inherited only"),
            std::string::npos)
      << problems[0];
  // No entry at all (inherited only, nothing of its own) against a declared column, too.
  Database bare = from;
  bare.tables.back().columns.clear();
  EXPECT_EQ(diff::Unsupported(bare, to).size(), 1u);
  EXPECT_TRUE(diff::Unsupported(bare, from).empty());
  EXPECT_TRUE(diff::Unsupported(from, from).empty());
}

TEST(Diff, ReplicaIdentityOnADroppedIndexIsNamed) {
  Database from = Base();
  Database to = Base();
  to.tables[0].replica_identity = 'i';
  std::vector<std::string> problems = diff::Unsupported(from, to);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("replica identity names an index that was dropped"), std::string::npos)
      << problems[0];
  EXPECT_TRUE(diff::Unsupported(to, to).empty());
}

TEST(Diff, RuleDefinitionEnabledStateAndComment) {
  Database from = Base();
  from.tables = {MakeTable("t", {Col("id", "integer")})};
  schema::Rule rule{Q("t"), "r", "CREATE RULE r AS ON DELETE TO public.t DO INSTEAD NOTHING;", 'O',
                    std::nullopt};
  from.rules = {rule};
  Database to = from;
  to.rules[0].enabled = 'D';
  to.rules[0].comment = "kept";
  auto changes = Diff(from, to);
  EXPECT_EQ(All<SetRuleEnabled>(changes).size(), 1u);
  EXPECT_EQ(All<SetComment>(changes).size(), 1u);
  EXPECT_TRUE(All<DropRule>(changes).empty());
  to.rules[0].definition = "CREATE RULE r AS ON UPDATE TO public.t DO INSTEAD NOTHING;";
  changes = Diff(from, to);
  EXPECT_EQ(All<DropRule>(changes).size(), 1u);
  EXPECT_EQ(All<CreateRule>(changes).size(), 1u);
  EXPECT_EQ(All<SetRuleEnabled>(changes).size(), 1u);  // the new rule starts enabled
}

TEST(Diff, ChangedCollationIsSwappedWhenColumnsUseIt) {
  Database from = Base();
  schema::Collation names{Q("names"), "provider = icu, locale = 'de'", std::nullopt};
  from.collations = {names};
  Database unused_to = from;
  unused_to.collations[0].definition = "provider = icu, locale = 'sv'";
  auto changes = Diff(from, unused_to);
  EXPECT_EQ(All<DropCollation>(changes).size(), 1u);
  EXPECT_EQ(All<CreateCollation>(changes).size(), 1u);
  EXPECT_TRUE(All<SwapCollation>(changes).empty());

  Column name = Col("name", "text");
  name.mutable_details().collation = "public.names";
  from.tables = {MakeTable("people", {Col("id", "integer"), name})};
  Database to = from;
  to.collations[0].definition = "provider = icu, locale = 'sv'";
  changes = Diff(from, to);
  auto swaps = All<SwapCollation>(changes);
  ASSERT_EQ(swaps.size(), 1u);
  ASSERT_EQ(swaps[0].uses.size(), 1u);
  EXPECT_EQ(swaps[0].uses[0].column, "name");
  auto drops = All<DropCollation>(changes);
  ASSERT_EQ(drops.size(), 1u);
  EXPECT_EQ(drops[0].collation.name, ReplacedCollationName(Q("names")));
  EXPECT_TRUE(Unsupported(from, to).empty());
}

TEST(Diff, OperatorEstimatorsAlterOtherOptionsReplace) {
  Database from = Base();
  schema::Operator op{Q("~~"),      "integer",
                      "integer",    "FUNCTION = public.near, LEFTARG = integer, RIGHTARG = integer",
                      std::nullopt, std::nullopt,
                      std::nullopt};
  from.operators = {op};
  Database to = from;
  to.operators[0].restrict_estimator = "eqsel";
  auto changes = Diff(from, to);
  EXPECT_EQ(All<AlterOperator>(changes).size(), 1u);
  EXPECT_TRUE(All<DropOperator>(changes).empty());
  to.operators[0].definition = "FUNCTION = public.far, LEFTARG = integer, RIGHTARG = integer";
  changes = Diff(from, to);
  EXPECT_EQ(All<DropOperator>(changes).size(), 1u);
  EXPECT_EQ(All<CreateOperator>(changes).size(), 1u);
}

}  // namespace
}  // namespace retort::diff
