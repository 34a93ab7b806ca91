// Golden change cases (tests/golden/<case>/{old,new,up,down}.sql), each checked on a live
// server: database A is built from old.sql and B from new.sql; the SQL rendered from
// Inspect(A) x Inspect(B) must equal up.sql and down.sql (RETORT_UPDATE_GOLDEN=1 rewrites
// them); up.sql applied to A must make Inspect(A) == Inspect(B), with nothing left to diff;
// down.sql must then give back the original Inspect(A). Each side's create script, applied to
// an empty database, must also rebuild that side exactly.
//
// A case may hold a `renames` file: one rename per line, as `--rename` takes it but always
// schema-qualified ("public.items.name=title", "public.items=products"). The SQL is rendered
// with them (RenderOptions::renames) and with the likely renames that are left as hints
// (RenderOptions::rename_hints), as `revision --autogenerate` writes without a terminal.
//
// The online form (render::RenderOptions::online, what `revision --autogenerate` writes by
// default) is checked in the same databases: online_up.sql / online_down.sql hold it where it
// differs from the plain form. Applied to A as retort runs a `transaction none` migration
// (statement by statement, a batched backfill over its whole key range), it must converge and
// come back just as the plain form; and both directions must pass lint graded as if every table
// that exists already had 10 million rows: no error and no warning from the lock, rewrite and
// data-dependent rules nor from transaction use.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "base/files.h"
#include "base/strings.h"
#include "catalog/inspect.h"
#include "commands/commands.h"
#include "diff/renames.h"
#include "lint/lint.h"
#include "migrations/migration.h"
#include "pg/connection.h"
#include "render/render.h"
#include "sqltext/split.h"
#include "support/pg_harness.h"

namespace retort {
namespace {

namespace fs = std::filesystem;
using ::retort::testing::PgHarness;

std::string GoldenDir() { return JoinPath(RETORT_SOURCE_DIR, "tests/golden"); }

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(GoldenDir(), error)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool UpdateGolden() {
  const char* value = std::getenv("RETORT_UPDATE_GOLDEN");
  return value != nullptr && std::string(value) == "1";
}

class Golden : public ::testing::TestWithParam<std::string> {
 protected:
  std::string CasePath(const std::string& file) const {
    return JoinPath(JoinPath(GoldenDir(), GetParam()), file);
  }

  std::string Read(const std::string& file) {
    auto text = ReadFile(CasePath(file));
    if (!text.ok()) {
      ADD_FAILURE() << text.status().message();
      return "";
    }
    return *text;
  }

  pg::Connection Open(PgHarness* pg, const std::string& dbname) {
    auto connection = pg::Connection::Open(pg->ConnInfo(dbname), "retort-golden");
    if (!connection.ok()) {
      ADD_FAILURE() << connection.status().message();
      std::abort();
    }
    return std::move(*connection);
  }

  // Runs `sql` as one multi-statement query (an implicit transaction), or statement by
  // statement when it must not run in a transaction.
  bool Apply(pg::Connection& connection, const std::string& sql, bool one_by_one,
             const std::string& what) {
    if (!one_by_one) {
      auto outcome = connection.Execute(sql);
      if (!outcome.ok()) ADD_FAILURE() << what << " failed:\n" << outcome.error.ToString();
      return outcome.ok();
    }
    auto statements = sqltext::SplitStatements(sql, what, 1);
    if (!statements.ok()) {
      ADD_FAILURE() << statements.status().message();
      return false;
    }
    for (const auto& statement : *statements) {
      auto outcome = connection.Execute(statement.text);
      if (!outcome.ok()) {
        ADD_FAILURE() << what << ":" << statement.line << " failed:\n" << outcome.error.ToString();
        return false;
      }
    }
    return true;
  }

  schema::Database Inspect(pg::Connection& connection) {
    auto database = catalog::Inspect(connection, catalog::InspectOptions{});
    if (!database.ok()) {
      ADD_FAILURE() << database.status().message();
      return {};
    }
    return std::move(*database);
  }

  // Equal models; on failure, the difference as SQL, which reads better than two dumps.
  void ExpectSame(const schema::Database& actual, const schema::Database& expected,
                  const std::string& what) {
    if (actual == expected) return;
    render::MigrationSql left = render::RenderMigration(actual, expected);
    ADD_FAILURE() << what << ": the models differ. SQL from actual to expected:\n"
                  << left.upgrade << "\nactual as a create script:\n"
                  << render::RenderCreateScript(actual) << "\nexpected as a create script:\n"
                  << render::RenderCreateScript(expected);
  }

  // flags.txt lists the scripts that must run outside a transaction; absent when none.
  void CheckFlags(const render::MigrationSql& sql) {
    std::string flags;
    if (sql.upgrade_needs_no_transaction) flags += "upgrade_needs_no_transaction\n";
    if (sql.downgrade_needs_no_transaction) flags += "downgrade_needs_no_transaction\n";
    std::string path = CasePath("flags.txt");
    if (UpdateGolden()) {
      std::error_code error;
      if (flags.empty()) {
        fs::remove(path, error);
      } else {
        Status written = WriteFile(path, flags);
        EXPECT_TRUE(written.ok()) << written.message();
      }
      return;
    }
    std::string expected = PathExists(path) ? Read("flags.txt") : "";
    EXPECT_EQ(expected, flags) << GetParam() << "/flags.txt differs";
  }

  // `sql` as the one section of a migration (a downgrade is read as an upgrade: the rules are
  // the same for it).
  migrations::Migration AsMigration(const std::string& sql, bool transactional,
                                    const std::string& what) {
    std::string text = "-- retort:revision golden\n";
    if (!transactional) text += "-- retort:transaction none\n";
    text += "\n-- retort:upgrade\n" + sql;
    auto migration = migrations::ParseMigration(text, GetParam() + "/" + what);
    if (!migration.ok()) {
      ADD_FAILURE() << migration.status().message();
      return {};
    }
    return std::move(*migration);
  }

  // As the executor runs a `transaction none` migration, less the bookkeeping: each statement
  // on its own, a keyed batch statement once over its key's whole range.
  bool ApplyMigration(pg::Connection& connection, const migrations::Migration& migration,
                      const std::string& what) {
    for (size_t i = 0; i < migration.upgrade.size(); ++i) {
      std::string statement = migration.upgrade[i].text;
      if (auto batch = migration.upgrade_batches.find(i);
          batch != migration.upgrade_batches.end()) {
        const migrations::Batch& options = batch->second;
        std::string range = " FROM " + QuoteIdentifier(options.key_table.schema) + "." +
                            QuoteIdentifier(options.key_table.name) + ")";
        statement = migrations::BindBatchRange(
            statement, options.size,
            "(SELECT min(" + QuoteIdentifier(options.key_column) + ")" + range,
            "(SELECT max(" + QuoteIdentifier(options.key_column) + ")" + range);
      }
      auto outcome = connection.Execute(statement);
      if (!outcome.ok()) {
        ADD_FAILURE() << what << ":" << migration.upgrade[i].line << " failed:\n"
                      << outcome.error.ToString();
        return false;
      }
    }
    return true;
  }

  // Whether `migration` holds the statements of `plain_sql`, in order (comments aside).
  bool SameStatements(const migrations::Migration& migration, const std::string& plain_sql) {
    auto plain = sqltext::SplitStatements(plain_sql, "plain", 1);
    if (!plain.ok() || plain->size() != migration.upgrade.size()) return false;
    for (size_t i = 0; i < plain->size(); ++i) {
      if ((*plain)[i].text != migration.upgrade[i].text) return false;
    }
    return true;
  }

  // An AsMigration upgrade, as `retort lint` reads it.
  static lint::Source LintSource(const migrations::Migration& migration) {
    lint::Source source;
    source.path = migration.path;
    source.text = migration.source;
    source.statements = migration.upgrade;
    source.transactional = migration.transactional;
    source.header_end_line = 3;
    return source;
  }

  // Lint's findings on `migration` graded as if each table it names had 10 million rows; the
  // ones an online plan must not leave: errors and warnings of the rules about locks, rewrites,
  // data-dependent failures and transaction use. (Dropping a column or a table the schema no
  // longer has is what the author asked for: the data-loss and client-breaking rules keep
  // reporting it, which is their point.)
  std::vector<std::string> OnlineLintProblems(const migrations::Migration& migration) {
    std::vector<lint::Finding> findings = lint::Lint(LintSource(migration), lint::Options{});
    std::map<std::string, lint::TableSize> sizes;
    for (const lint::Finding& finding : findings) {
      if (!finding.table_sql.empty()) sizes[finding.table_sql] = {10'000'000, 2LL << 30};
    }
    lint::GradeBySize(findings, sizes, lint::Thresholds{});
    std::vector<std::string> problems;
    for (const lint::Finding& finding : findings) {
      lint::Category category = lint::RuleFor(finding.id).category;
      bool online_matter = category == lint::Category::kLocking ||
                           category == lint::Category::kDataDependent ||
                           finding.id == lint::RuleId::kCannotRunInTransaction ||
                           finding.id == lint::RuleId::kTransactionNesting;
      if (online_matter && finding.severity != lint::Severity::kNote) {
        problems.push_back(lint::FormatText(finding));
      }
    }
    return problems;
  }

  // `revision --autogenerate` reports the plan's hazards instead of linting the upgrade it
  // rendered: they must be what lint finds there, rule code for rule code and line for line.
  void ExpectPlanHazardsAreLintFindings(const render::MigrationSql& sql, const std::string& what) {
    bool transactional = !sql.upgrade_needs_no_transaction && !sql.downgrade_needs_no_transaction;
    migrations::Migration written = AsMigration(sql.upgrade, transactional, what);
    auto codes_and_lines = [](const std::vector<lint::Finding>& findings) {
      std::vector<std::string> codes;
      for (const lint::Finding& finding : findings) {
        codes.push_back(finding.code + " " + finding.rule + " line " +
                        std::to_string(finding.line));
      }
      std::sort(codes.begin(), codes.end());
      return codes;
    };
    EXPECT_EQ(codes_and_lines(commands::WrittenRevisionFindings(config::Config{}, written,
                                                                sql.upgrade_hazards)),
              codes_and_lines(lint::Lint(LintSource(written), lint::Options{})))
        << what << ": the plan's hazards (left) are not lint's findings (right)";
  }

  // The renames the case asks for (its `renames` file) and the likely renames left as hints.
  render::RenderOptions RenameOptions(const schema::Database& from, const schema::Database& to) {
    render::RenderOptions options;
    if (PathExists(CasePath("renames"))) {
      for (const std::string& line : Split(Read("renames"), '\n')) {
        if (Trim(line).empty()) continue;
        size_t equals = line.find('=');
        std::vector<std::string> parts = Split(line.substr(0, equals), '.');
        EXPECT_TRUE(equals != std::string::npos && (parts.size() == 2 || parts.size() == 3))
            << GetParam() << "/renames: " << line;
        if (equals == std::string::npos || parts.size() < 2) continue;
        options.renames.push_back({{parts[0], parts[1]},
                                   parts.size() == 3 ? parts[2] : "",
                                   std::string(Trim(line.substr(equals + 1)))});
      }
    }
    options.rename_hints =
        diff::LikelyRenames(diff::ApplyRenames(from, to, options.renames).database, to);
    return options;
  }

  // A golden file that exists only when `rendered` is not empty.
  void CheckOptionalGolden(const std::string& file, const std::string& rendered) {
    std::string path = CasePath(file);
    if (UpdateGolden() && rendered.empty()) {
      std::error_code error;
      fs::remove(path, error);
      return;
    }
    if (!UpdateGolden() && rendered.empty()) {
      EXPECT_FALSE(PathExists(path)) << GetParam() << "/" << file << " should not exist";
      return;
    }
    CheckGolden(file, rendered);
  }

  void CheckGolden(const std::string& file, const std::string& rendered) {
    if (UpdateGolden()) {
      Status written = WriteFile(CasePath(file), rendered);
      EXPECT_TRUE(written.ok()) << written.message();
      return;
    }
    EXPECT_EQ(Read(file), rendered)
        << GetParam() << "/" << file << " differs (RETORT_UPDATE_GOLDEN=1 rewrites it)";
  }
};

TEST_P(Golden, RendersAndRoundTrips) {
  RETORT_REQUIRE_PG(pg);
  std::string old_sql = Read("old.sql");
  std::string new_sql = Read("new.sql");
  std::string a_name = pg->CreateDatabase("golden_a");
  std::string b_name = pg->CreateDatabase("golden_b");
  pg::Connection a = Open(pg, a_name);
  pg::Connection b = Open(pg, b_name);
  ASSERT_TRUE(Apply(a, old_sql, false, "old.sql"));
  ASSERT_TRUE(Apply(b, new_sql, false, "new.sql"));
  schema::Database from = Inspect(a);
  schema::Database to = Inspect(b);
  ASSERT_FALSE(::testing::Test::HasFailure());
  ASSERT_FALSE(from == to) << "old.sql and new.sql give the same schema";

  render::RenderOptions options = RenameOptions(from, to);
  render::MigrationSql sql = render::RenderMigration(from, to, options);
  EXPECT_TRUE(sql.upgrade_unsupported.empty()) << sql.upgrade_unsupported.front();
  EXPECT_TRUE(sql.downgrade_unsupported.empty()) << sql.downgrade_unsupported.front();
  CheckGolden("up.sql", sql.upgrade);
  CheckGolden("down.sql", sql.downgrade);
  CheckFlags(sql);
  ExpectPlanHazardsAreLintFindings(sql, "up.sql");

  ASSERT_TRUE(Apply(a, sql.upgrade, sql.upgrade_needs_no_transaction, "up.sql"));
  schema::Database upgraded = Inspect(a);
  ExpectSame(upgraded, to, "after up.sql");
  EXPECT_TRUE(render::RenderMigration(upgraded, to).empty()) << "a second diff is not empty";

  ASSERT_TRUE(Apply(a, sql.downgrade, sql.downgrade_needs_no_transaction, "down.sql"));
  ExpectSame(Inspect(a), from, "after down.sql");

  // The create scripts of both sides rebuild them from an empty database.
  for (const schema::Database* side : {&from, &to}) {
    std::string name = pg->CreateDatabase("golden_c");
    pg::Connection c = Open(pg, name);
    std::string script = render::RenderCreateScript(*side);
    ASSERT_TRUE(Apply(c, script, false, "create script"));
    ExpectSame(Inspect(c), *side, side == &from ? "create script of old" : "create script of new");
  }

  // The online form, from the state down.sql gave back (the create scripts left A alone).
  options.online = true;
  render::MigrationSql online = render::RenderMigration(from, to, options);
  bool differs = online.upgrade != sql.upgrade || online.downgrade != sql.downgrade;
  CheckOptionalGolden("online_up.sql", differs ? online.upgrade : "");
  CheckOptionalGolden("online_down.sql", differs ? online.downgrade : "");
  ExpectPlanHazardsAreLintFindings(online, "online_up.sql");
  if (differs) {
    bool transactional =
        !online.upgrade_needs_no_transaction && !online.downgrade_needs_no_transaction;
    migrations::Migration up = AsMigration(online.upgrade, transactional, "online_up.sql");
    migrations::Migration down = AsMigration(online.downgrade, transactional, "online_down.sql");
    for (const auto* migration : {&up, &down}) {
      std::vector<std::string> problems = OnlineLintProblems(*migration);
      EXPECT_TRUE(problems.empty()) << migration->path << " does not pass lint graded as if every "
                                    << "table had 10M rows:\n"
                                    << Join(problems, "");
    }
    // Where only comments and directives were added (a rewrite kept with its recipe), the
    // statements are the plain ones that ran above; running them again would prove nothing.
    if (SameStatements(up, sql.upgrade) && SameStatements(down, sql.downgrade)) return;
    ASSERT_TRUE(ApplyMigration(a, up, "online_up.sql"));
    schema::Database online_upgraded = Inspect(a);
    ExpectSame(online_upgraded, to, "after online_up.sql");
    EXPECT_TRUE(render::RenderMigration(online_upgraded, to).empty())
        << "a second diff after online_up.sql is not empty";
    ASSERT_TRUE(ApplyMigration(a, down, "online_down.sql"));
    ExpectSame(Inspect(a), from, "after online_down.sql");
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(CaseNames()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return param.param;
                         });

TEST(GoldenCases, AtLeastForty) { EXPECT_GE(CaseNames().size(), 40u); }

}  // namespace
}  // namespace retort
