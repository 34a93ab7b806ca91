// Golden change cases (tests/golden/<case>/{old,new,up,down}.sql), each checked on a live
// server: database A is built from old.sql and B from new.sql; the SQL rendered from
// Inspect(A) x Inspect(B) must equal up.sql and down.sql (RETORT_UPDATE_GOLDEN=1 rewrites
// them); up.sql applied to A must make Inspect(A) == Inspect(B), with nothing left to diff;
// down.sql must then give back the original Inspect(A). Each side's create script, applied to
// an empty database, must also rebuild that side exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "base/files.h"
#include "catalog/inspect.h"
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

  render::MigrationSql sql = render::RenderMigration(from, to);
  EXPECT_TRUE(sql.upgrade_unsupported.empty()) << sql.upgrade_unsupported.front();
  EXPECT_TRUE(sql.downgrade_unsupported.empty()) << sql.downgrade_unsupported.front();
  CheckGolden("up.sql", sql.upgrade);
  CheckGolden("down.sql", sql.downgrade);
  CheckFlags(sql);

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
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(CaseNames()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return param.param;
                         });

TEST(GoldenCases, AtLeastForty) { EXPECT_GE(CaseNames().size(), 40u); }

}  // namespace
}  // namespace retort
