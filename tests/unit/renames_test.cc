// diff::LikelyRenames and diff::ApplyRenames on hand-built models, and how the plan and the
// renderer use them: which pairs are suggested, what the renamed model looks like, and which
// specs are refused.
#include "diff/renames.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "model_builders.h"
#include "plan/plan.h"
#include "render/render.h"

namespace retort::diff {
namespace {

using schema::ConstraintType;
using schema::Database;
using schema::ObjectId;

using testing::Base;
using testing::Col;
using testing::Con;
using testing::Idx;
using testing::MakeTable;
using testing::Q;

bool Contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

Database WithColumns(std::vector<schema::Column> columns) {
  Database db = Base();
  db.tables = {MakeTable("t", std::move(columns))};
  return db;
}

TEST(LikelyRenames, OneDropAndOneAddOfTheSameShape) {
  Database from = WithColumns({Col("id", "integer", true), Col("name", "text", true)});
  Database to = WithColumns({Col("id", "integer", true), Col("title", "text", true)});
  EXPECT_EQ(LikelyRenames(from, to), (std::vector<RenameSpec>{{Q("t"), "name", "title"}}));
  EXPECT_EQ(LikelyRenames(from, to)[0].Flag(), "public.t.name=title");
}

TEST(LikelyRenames, NothingWhenTheShapeDiffers) {
  Database from = WithColumns({Col("id", "integer", true), Col("name", "text", true)});
  for (const schema::Column& other :
       {Col("title", "text", false), Col("title", "character varying(10)", true)}) {
    Database to = WithColumns({Col("id", "integer", true), other});
    EXPECT_TRUE(LikelyRenames(from, to).empty()) << other.type;
  }
  Database defaulted = WithColumns({Col("id", "integer", true), Col("title", "text", true)});
  defaulted.tables[0].columns[1].default_expr = "'x'::text";
  EXPECT_TRUE(LikelyRenames(from, defaulted).empty());
}

// Two candidates either way: which goes with which is a guess, so nothing is said.
TEST(LikelyRenames, NothingWhenThePairingIsAmbiguous) {
  Database from = WithColumns({Col("id", "integer", true), Col("a", "text"), Col("b", "text")});
  Database two_added =
      WithColumns({Col("id", "integer", true), Col("c", "text"), Col("d", "text")});
  EXPECT_TRUE(LikelyRenames(from, two_added).empty());
  Database one_added = WithColumns({Col("id", "integer", true), Col("c", "text")});
  EXPECT_TRUE(LikelyRenames(from, one_added).empty());
  // A third column of another type does not blur the pair that is unambiguous.
  Database mixed = WithColumns({Col("id", "integer", true), Col("a", "text"), Col("n", "bigint")});
  Database renamed =
      WithColumns({Col("id", "integer", true), Col("c", "text"), Col("m", "bigint")});
  EXPECT_EQ(LikelyRenames(mixed, renamed),
            (std::vector<RenameSpec>{{Q("t"), "a", "c"}, {Q("t"), "n", "m"}}));
}

TEST(LikelyRenames, SerialDefaultsNameTheirOwnSequences) {
  Database from = WithColumns({Col("id", "integer", true), Col("n", "integer", true)});
  Database to = WithColumns({Col("id", "integer", true), Col("m", "integer", true)});
  from.tables[0].columns[1].default_expr = "nextval('t_n_seq'::regclass)";
  to.tables[0].columns[1].default_expr = "nextval('t_m_seq'::regclass)";
  EXPECT_EQ(LikelyRenames(from, to), (std::vector<RenameSpec>{{Q("t"), "n", "m"}}));
}

// A child lists an inherited column whose default differs from its parent's: the rename is the
// parent's, which PostgreSQL passes on to the child.
TEST(LikelyRenames, AnInheritedColumnIsItsParents) {
  auto with_name = [](const std::string& name) {
    Database db = WithColumns({Col("id", "integer", true), Col(name, "text")});
    schema::Table child = MakeTable("c", {Col(name, "text")});
    child.columns[0].default_expr = "'x'::text";
    child.inherits = {Q("t")};
    db.tables.insert(db.tables.begin(), child);
    return db;
  };
  EXPECT_EQ(LikelyRenames(with_name("name"), with_name("title")),
            (std::vector<RenameSpec>{{Q("t"), "name", "title"}}));
}

TEST(LikelyRenames, ATableWithTheSameColumnsAndConstraints) {
  Database from = Base();
  from.constraints = {Con("t", "t_pkey", ConstraintType::kPrimaryKey, "PRIMARY KEY (id)")};
  Database to = Base();
  to.tables[0].name = Q("u");
  to.constraints = {Con("u", "u_pkey", ConstraintType::kPrimaryKey, "PRIMARY KEY (id)")};
  EXPECT_EQ(LikelyRenames(from, to), (std::vector<RenameSpec>{{Q("t"), "", "u"}}));
  to.constraints[0].definition = "UNIQUE (id)";
  to.constraints[0].type = ConstraintType::kUnique;
  EXPECT_TRUE(LikelyRenames(from, to).empty());
}

// A column rename reaches the definitions PostgreSQL prints with the column's name, and only
// the column's mentions in them.
TEST(ApplyRenames, RewritesTheDefinitionsThatNameTheColumn) {
  Database from = WithColumns({Col("id", "integer", true), Col("name", "text", true)});
  from.tables.push_back(MakeTable("o", {Col("id", "integer", true), Col("t_name", "text")}));
  from.indexes = {Idx("t_lower", "t",
                      "CREATE INDEX t_lower ON public.t USING btree (lower(name)) WHERE (name "
                      "<> 'name'::text)")};
  from.constraints = {
      Con("t", "t_name_key", ConstraintType::kUnique, "UNIQUE (name)"),
      Con("t", "t_name_check", ConstraintType::kCheck, "CHECK ((length(name) > 0))"),
      Con("o", "o_fkey", ConstraintType::kForeignKey, "FOREIGN KEY (t_name) REFERENCES t(name)",
          Q("t")),
  };
  from.dependencies = {{ObjectId::ForIndex(Q("t_lower")), ObjectId::ForColumn(Q("t"), "name")}};
  Database to = from;
  to.tables[0].columns[1].name = "title";
  Renamed renamed = ApplyRenames(from, to, {{Q("t"), "name", "title"}});
  ASSERT_TRUE(renamed.problems.empty()) << renamed.problems[0];
  const Database& db = renamed.database;
  EXPECT_EQ(db.tables[1].columns[1].name, "title");  // tables are sorted: o, t
  EXPECT_EQ(db.indexes[0].definition,
            "CREATE INDEX t_lower ON public.t USING btree (lower(title)) WHERE (title <> "
            "'name'::text)");
  for (const schema::Constraint& constraint : db.constraints) {
    if (constraint.name == "o_fkey") {
      EXPECT_EQ(constraint.definition, "FOREIGN KEY (t_name) REFERENCES t(title)");
    } else if (constraint.name == "t_name_check") {
      EXPECT_EQ(constraint.definition, "CHECK ((length(title) > 0))");
    } else {
      EXPECT_EQ(constraint.definition, "UNIQUE (title)");
    }
  }
  EXPECT_EQ(db.dependencies[0].referenced, ObjectId::ForColumn(Q("t"), "title"));
  ASSERT_EQ(renamed.changes.size(), 1u);
  EXPECT_EQ(std::get<Rename>(renamed.changes[0]),
            (Rename{Rename::Kind::kColumn, Q("t"), "name", "title", true}));
}

// Names derived from the renamed table follow it when `to` has the object under the new name
// and otherwise equal; one that could pair with two is left to the diff.
TEST(ApplyRenames, DerivedNamesFollowTheTable) {
  Database from = Base();
  from.constraints = {Con("t", "t_pkey", ConstraintType::kPrimaryKey, "PRIMARY KEY (id)"),
                      Con("t", "t_a_check", ConstraintType::kCheck, "CHECK ((id > 0))"),
                      Con("t", "t_b_check", ConstraintType::kCheck, "CHECK ((id > 0))")};
  from.indexes = {Idx("t_name_idx", "t", "CREATE INDEX t_name_idx ON public.t USING btree (name)")};
  Database to = Base();
  to.tables[0].name = Q("u");
  to.constraints = {Con("u", "u_pkey", ConstraintType::kPrimaryKey, "PRIMARY KEY (id)"),
                    Con("u", "u_a_check", ConstraintType::kCheck, "CHECK ((id > 0))"),
                    Con("u", "u_b_check", ConstraintType::kCheck, "CHECK ((id > 0))")};
  to.indexes = {Idx("u_name_idx", "u", "CREATE INDEX u_name_idx ON public.u USING btree (name)")};
  Renamed renamed = ApplyRenames(from, to, {{Q("t"), "", "u"}});
  ASSERT_TRUE(renamed.problems.empty()) << renamed.problems[0];
  std::vector<Rename> renames;
  for (const Change& change : renamed.changes) renames.push_back(std::get<Rename>(change));
  EXPECT_EQ(renames, (std::vector<Rename>{
                         {Rename::Kind::kTable, Q("t"), "", "u", true},
                         {Rename::Kind::kIndex, Q("t_name_idx"), "", "u_name_idx", false},
                         {Rename::Kind::kConstraint, Q("u"), "t_pkey", "u_pkey", false},
                     }));
  EXPECT_EQ(renamed.database.indexes[0].definition,
            "CREATE INDEX u_name_idx ON public.u USING btree (name)");
  // What is left differs only in the two checks, which the diff drops and adds.
  std::vector<Change> rest = Diff(renamed.database, to);
  EXPECT_EQ(rest.size(), 4u);
}

// Settings the model does not carry are compared by identity: they follow the rename, so that
// what is left to diff (and refuse) is what really differs.
TEST(ApplyRenames, UnmodelledSettingsFollow) {
  Database from = WithColumns({Col("id", "integer", true), Col("name", "text")});
  from.indexes = {Idx("t_name_idx", "t", "CREATE INDEX t_name_idx ON public.t USING btree (name)")};
  from.unmodelled = {{"clustered index", "public.t", "t_name_idx"},
                     {"column setting", "public.t.name", "statistics 500"}};
  Database to = from;
  to.tables[0].name = Q("u");
  to.tables[0].columns[1].name = "title";
  to.indexes = {
      Idx("u_title_idx", "u", "CREATE INDEX u_title_idx ON public.u USING btree (title)")};
  to.unmodelled = {{"clustered index", "public.u", "u_title_idx"},
                   {"column setting", "public.u.title", "statistics 500"}};
  std::vector<RenameSpec> renames = {{Q("t"), "", "u"}, {Q("t"), "name", "title"}};
  EXPECT_EQ(ApplyRenames(from, to, renames).database, to);
  render::RenderOptions options;
  options.renames = renames;
  render::MigrationSql sql = render::RenderMigration(from, to, options);
  EXPECT_TRUE(sql.upgrade_unsupported.empty()) << sql.upgrade_unsupported.at(0);
  EXPECT_TRUE(sql.downgrade_unsupported.empty()) << sql.downgrade_unsupported.at(0);
  EXPECT_TRUE(Contains(sql.downgrade, "ALTER INDEX public.u_title_idx RENAME TO t_name_idx;"))
      << sql.downgrade;
}

TEST(ApplyRenames, RefusesWhatCannotBeARename) {
  Database from = WithColumns({Col("id", "integer", true), Col("name", "text")});
  Database to = WithColumns({Col("id", "integer", true), Col("title", "text")});
  auto problem = [&](const RenameSpec& rename) {
    Renamed renamed = ApplyRenames(from, to, {rename});
    return renamed.problems.empty() ? std::string() : renamed.problems[0];
  };
  EXPECT_EQ(problem({Q("t"), "name", "title"}), "");
  EXPECT_EQ(problem({Q("t"), "nope", "title"}),
            "--rename public.t.nope=title: public.t has no column nope to rename");
  EXPECT_TRUE(Contains(problem({Q("t"), "id", "title"}), "still has column id"));
  EXPECT_TRUE(Contains(problem({Q("t"), "name", "id"}), "has a column id already"));
  EXPECT_TRUE(Contains(problem({Q("t"), "name", "other"}), "has no column other"));
  EXPECT_TRUE(Contains(problem({Q("x"), "name", "title"}), "there is no table public.x"));
  EXPECT_TRUE(Contains(problem({Q("t"), "", "u"}), "the desired schema still has table public.t"));
  EXPECT_TRUE(Contains(problem({Q("x"), "", "t"}), "there is no table public.x to rename"));
}

// The plan runs the renames first; the hints go on the DROP, next to its DESTRUCTIVE mark.
TEST(RenderRenames, RenamesFirstAndHintsOnTheDrop) {
  Database from = WithColumns({Col("id", "integer", true), Col("name", "text"), Col("n", "int")});
  Database to = WithColumns({Col("id", "integer", true), Col("title", "text"), Col("m", "bigint")});
  render::RenderOptions options;
  options.renames = {{Q("t"), "name", "title"}};
  options.rename_hints = {{Q("t"), "n", "m"}};  // not the same shape: the caller's word counts
  render::MigrationSql sql = render::RenderMigration(from, to, options);
  EXPECT_TRUE(sql.upgrade_unsupported.empty());
  EXPECT_EQ(sql.upgrade.find("-- Renamed as the author asked"), 0u) << sql.upgrade;
  EXPECT_TRUE(Contains(sql.upgrade,
                       "-- retort:lint-ignore renaming-column\n"
                       "ALTER TABLE public.t RENAME COLUMN name TO title;\n"))
      << sql.upgrade;
  EXPECT_TRUE(
      Contains(sql.upgrade, "-- --rename public.t.n=m\nALTER TABLE public.t DROP COLUMN n;"))
      << sql.upgrade;
  EXPECT_TRUE(Contains(sql.downgrade, "ALTER TABLE public.t RENAME COLUMN title TO name;"))
      << sql.downgrade;
  EXPECT_TRUE(
      Contains(sql.downgrade, "-- --rename public.t.n=m\nALTER TABLE public.t DROP COLUMN m;"))
      << sql.downgrade;
  ASSERT_EQ(sql.notes.size(), 1u);
  EXPECT_TRUE(Contains(sql.notes[0], "--rename public.t.n=m")) << sql.notes[0];

  options.renames = {{Q("t"), "nope", "title"}};
  EXPECT_EQ(render::RenderMigration(from, to, options).upgrade_unsupported.at(0),
            "--rename public.t.nope=title: public.t has no column nope to rename");
}

}  // namespace
}  // namespace retort::diff
