// `retort lint` end to end: the built binary on a project, a real database for grading findings
// by table size, and the harness server as the dev server for `--probe`, whose lock and rewrite
// reports are checked against what the PostgreSQL documentation states for each statement.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "commands/commands.h"
#include "config/config.h"
#include "support/pg_harness.h"

namespace retort {
namespace {

namespace fs = std::filesystem;
using ::nlohmann::json;
using ::retort::testing::CommandOutput;
using ::retort::testing::Describe;
using ::retort::testing::PgHarness;
using ::retort::testing::RunRetort;
using ::retort::testing::TempDir;

using Strings = std::vector<std::string>;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string Migration(const std::string& id, const std::string& revises, const std::string& up,
                      const std::string& extra_header = "") {
  return "-- retort:revision " + id + "\n-- retort:revises " + revises + "\n" + extra_header +
         "\n-- retort:upgrade\n" + up + "\n";
}

json ParseJson(const CommandOutput& output) {
  json parsed = json::parse(output.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(parsed.is_discarded()) << Describe(output);
  return parsed;
}

Strings RulesIn(const json& report) {
  Strings rules;
  if (!report.contains("findings")) return rules;
  for (const json& finding : report["findings"]) rules.push_back(finding["rule"]);
  return rules;
}

// The finding of `rule` on `table` (a JSON null: on no table).
const json* FindingFor(const json& report, const std::string& rule, const json& table) {
  for (const json& finding : report["findings"]) {
    if (finding["rule"] == rule && finding["table"] == table) return &finding;
  }
  return nullptr;
}

// A project whose configured database is a fresh harness database and whose dev server is the
// harness server. `lint_settings` go into a [lint] section.
class LintProject {
 public:
  explicit LintProject(PgHarness* pg, const std::string& lint_settings = "",
                       const std::string& migrations_settings = "")
      : pg_(pg), db_(pg->CreateDatabase("lint")) {
    dir_.Write("retort.toml", "[database]\nurl = \"" + pg->Url(db_) +
                                  "\"\n\n[migrations]\nscript_location = \"migrations\"\n" +
                                  migrations_settings + "\n[schema]\ndev_url = \"" +
                                  pg->Url("postgres") + "\"\n\n[lint]\n" + lint_settings);
    fs::create_directories(dir_.path() + "/migrations/versions");
  }

  const std::string& path() const { return dir_.path(); }
  const std::string& db() const { return db_; }
  std::string Add(const std::string& name, const std::string& text) const {
    return dir_.Write("migrations/versions/" + name, text);
  }
  std::string Write(const std::string& relative, const std::string& text) const {
    return dir_.Write(relative, text);
  }
  CommandOutput Run(const Strings& args) const { return RunRetort(args, dir_.path()); }
  std::vector<Strings> Query(const std::string& sql) const { return pg_->Query(db_, sql); }
  std::string Scalar(const std::string& sql) const { return pg_->Scalar(db_, sql); }

 private:
  PgHarness* pg_;
  TempDir dir_;
  std::string db_;
};

// ---------------------------------------------------------------------------------------------
// Static lint: exit codes, suppression, which migrations

TEST(LintCommand, ErrorsExitThreeWarningsExitZero) {
  RETORT_REQUIRE_PG(pg);
  LintProject project(pg);
  project.Add("001_users.sql",
              Migration("aaa", "none", "CREATE TABLE users (id bigint PRIMARY KEY, email text);"));
  project.Add("002_drop.sql", Migration("bbb", "aaa", "ALTER TABLE users DROP COLUMN email;"));

  CommandOutput errors = project.Run({"lint", "--offline", "bbb"});
  EXPECT_EQ(errors.exit_code, 3) << Describe(errors);
  EXPECT_TRUE(
      Contains(errors.out, "migrations/versions/002_drop.sql:5: error[RT102 drop-column]: "))
      << Describe(errors);
  EXPECT_TRUE(Contains(errors.out, "  instead: ")) << Describe(errors);
  EXPECT_TRUE(Contains(errors.out, "1 error, 0 warnings, 0 notes in 1 file")) << Describe(errors);
  EXPECT_TRUE(Contains(errors.err, "lint-ignore")) << Describe(errors);

  // Suppressed with a comment naming the rule: nothing left, exit 0.
  project.Add("002_drop.sql",
              Migration("bbb", "aaa",
                        "-- retort:lint-ignore drop-column\nALTER TABLE users DROP COLUMN email;"));
  CommandOutput suppressed = project.Run({"lint", "--offline", "bbb"});
  EXPECT_EQ(suppressed.exit_code, 0) << Describe(suppressed);
  EXPECT_TRUE(Contains(suppressed.out, "no findings in 1 file")) << Describe(suppressed);

  // A warning alone does not fail.
  project.Add("002_drop.sql", Migration("bbb", "aaa", "UPDATE users SET email = lower(email);"));
  CommandOutput warning = project.Run({"lint", "--offline", "bbb"});
  EXPECT_EQ(warning.exit_code, 0) << Describe(warning);
  EXPECT_TRUE(Contains(warning.out, "warning[RT109 update-without-where]")) << Describe(warning);
}

TEST(LintCommand, BadInputExitsTwo) {
  RETORT_REQUIRE_PG(pg);
  LintProject project(pg, "disable = [\"no-such-rule\"]\n");
  project.Add("001_a.sql", Migration("aaa", "none", "CREATE TABLE a (id int);"));
  CommandOutput unknown_rule = project.Run({"lint", "--offline"});
  EXPECT_EQ(unknown_rule.exit_code, 2) << Describe(unknown_rule);
  EXPECT_TRUE(Contains(unknown_rule.err, "no-such-rule")) << Describe(unknown_rule);

  LintProject plain(pg);
  plain.Add("001_a.sql", Migration("aaa", "none", "CREATE TABLE a (id int);"));
  CommandOutput no_revision = plain.Run({"lint", "--offline", "zzz"});
  EXPECT_EQ(no_revision.exit_code, 2) << Describe(no_revision);
  EXPECT_TRUE(Contains(no_revision.err, "'zzz'")) << Describe(no_revision);

  plain.Write("broken.sql", "ALTER TABLE;\n");
  CommandOutput syntax = plain.Run({"lint", "--offline", "broken.sql"});
  EXPECT_EQ(syntax.exit_code, 2) << Describe(syntax);
  EXPECT_TRUE(Contains(syntax.err, "broken.sql:1:")) << Describe(syntax);
}

TEST(LintCommand, PlainSqlFilesAndJson) {
  RETORT_REQUIRE_PG(pg);
  LintProject project(pg);
  project.Add("001_a.sql", Migration("aaa", "none", "CREATE TABLE a (id int);"));
  project.Write("adhoc/fix.sql",
                "BEGIN;\nDELETE FROM orders;\nCREATE TABLE t (at timestamp);\nCOMMIT;\n");
  CommandOutput run = project.Run({"lint", "--offline", "--format", "json", "adhoc/fix.sql"});
  EXPECT_EQ(run.exit_code, 3) << Describe(run);
  json report = ParseJson(run);
  EXPECT_EQ(report["files"], json::array({"adhoc/fix.sql"}));
  EXPECT_EQ(report["graded_by_table_size"], false);
  // A plain script owns its transaction: BEGIN/COMMIT are not findings there.
  EXPECT_EQ(RulesIn(report), (Strings{"delete-without-where", "prefer-timestamptz"}))
      << report.dump(2);
  EXPECT_EQ(report["findings"][0]["line"], 2);
  EXPECT_EQ(report["summary"]["errors"], 1);
  EXPECT_EQ(report["summary"]["notes"], 1);

  CommandOutput rules = project.Run({"lint", "--rules", "--format", "json"});
  ASSERT_EQ(rules.exit_code, 0) << Describe(rules);
  json catalogue = ParseJson(rules);
  ASSERT_TRUE(catalogue.is_array());
  EXPECT_GE(catalogue.size(), 30u);
  EXPECT_EQ(catalogue[0]["code"], "RT101");
}

TEST(LintCommand, DefaultsToTheMigrationsTheDatabaseHasNotApplied) {
  RETORT_REQUIRE_PG(pg);
  LintProject project(pg);
  project.Add("001_a.sql", Migration("aaa", "none", "CREATE TABLE a (id int, b int);"));
  project.Add("002_b.sql", Migration("bbb", "aaa", "ALTER TABLE a DROP COLUMN b;"));
  project.Add("003_c.sql", Migration("ccc", "bbb", "DROP TABLE a;"));
  ASSERT_EQ(project.Run({"upgrade", "bbb"}).exit_code, 0);

  CommandOutput pending = project.Run({"lint", "--format", "json"});
  EXPECT_EQ(pending.exit_code, 3) << Describe(pending);
  json report = ParseJson(pending);
  EXPECT_EQ(report["files"], json::array({"migrations/versions/003_c.sql"})) << report.dump(2);
  EXPECT_EQ(RulesIn(report), Strings{"drop-table"});
  EXPECT_EQ(report["graded_by_table_size"], true);
  EXPECT_TRUE(Contains(pending.err, "not yet applied")) << Describe(pending);

  CommandOutput all = project.Run({"lint", "--all", "--format", "json"});
  EXPECT_EQ(ParseJson(all)["files"].size(), 3u) << Describe(all);

  CommandOutput range = project.Run({"lint", "--offline", "--format", "json", "bbb:ccc"});
  EXPECT_EQ(ParseJson(range)["files"],
            json::array({"migrations/versions/002_b.sql", "migrations/versions/003_c.sql"}))
      << Describe(range);
}

// The NOT NULL recipe RT303 recommends, split as autogenerate writes it: the check added and
// validated in one migration, SET NOT NULL and the drop in the next. Linted together, or with
// the first already applied to the database, the SET NOT NULL is no finding.
TEST(LintCommand, SetNotNullAfterTheValidatedCheckOfAnEarlierMigrationIsQuiet) {
  RETORT_REQUIRE_PG(pg);
  LintProject project(pg);
  project.Add("001_t.sql", Migration("aaa", "none", "CREATE TABLE t (id int, email text);"));
  project.Add("002_check.sql",
              Migration("bbb", "aaa",
                        "ALTER TABLE t ADD CONSTRAINT t_email_nn CHECK (email IS NOT NULL) NOT "
                        "VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_email_nn;"));
  project.Add("003_set.sql", Migration("ccc", "bbb",
                                       "ALTER TABLE t ALTER COLUMN email SET NOT NULL;\nALTER "
                                       "TABLE t DROP CONSTRAINT t_email_nn;"));
  CommandOutput together = project.Run({"lint", "--offline", "--format", "json", "bbb:ccc"});
  EXPECT_EQ(RulesIn(ParseJson(together)), Strings{}) << Describe(together);
  CommandOutput alone = project.Run({"lint", "--offline", "--format", "json", "ccc"});
  EXPECT_EQ(RulesIn(ParseJson(alone)), Strings{"setting-not-null"}) << Describe(alone);

  ASSERT_EQ(project.Run({"upgrade", "bbb"}).exit_code, 0);
  CommandOutput pending = project.Run({"lint", "--format", "json"});
  EXPECT_EQ(ParseJson(pending)["files"], json::array({"migrations/versions/003_set.sql"}))
      << Describe(pending);
  EXPECT_EQ(RulesIn(ParseJson(pending)), Strings{}) << Describe(pending);
}

// ---------------------------------------------------------------------------------------------
// Grading by live table size

TEST(LintCommand, GradesLockFindingsByLiveTableSize) {
  RETORT_REQUIRE_PG(pg);
  // Low thresholds keep the big table small; sizes in bytes are out of the way.
  LintProject project(pg,
                      "warning_rows = 100\nerror_rows = 5000\nwarning_size = \"1GB\"\n"
                      "error_size = \"1TB\"\n");
  project.Query(
      "CREATE TABLE empty_table (a int); CREATE TABLE mid_table (a int);"
      "CREATE TABLE big_table (a int);"
      "INSERT INTO mid_table SELECT generate_series(1, 500);"
      "INSERT INTO big_table SELECT generate_series(1, 20000);"
      "ANALYZE empty_table, mid_table, big_table");
  project.Add("001_idx.sql", Migration("aaa", "none",
                                       "CREATE INDEX empty_a ON empty_table (a);\n"
                                       "CREATE INDEX mid_a ON mid_table (a);\n"
                                       "CREATE INDEX big_a ON big_table (a);\n"
                                       "CREATE INDEX new_a ON not_there_yet (a);\n"
                                       "ALTER TABLE empty_table DROP COLUMN a;\n"));

  CommandOutput run = project.Run({"lint", "--format", "json"});
  EXPECT_EQ(run.exit_code, 3) << Describe(run);
  json report = ParseJson(run);
  ASSERT_EQ(report["graded_by_table_size"], true) << report.dump(2);
  const std::string rule = "require-concurrent-index-creation";
  const json* empty = FindingFor(report, rule, "empty_table");
  const json* mid = FindingFor(report, rule, "mid_table");
  const json* big = FindingFor(report, rule, "big_table");
  const json* missing = FindingFor(report, rule, "not_there_yet");
  ASSERT_TRUE(empty && mid && big && missing) << report.dump(2);
  EXPECT_EQ((*empty)["severity"], "note");
  EXPECT_EQ((*empty)["table_rows"], 0);
  EXPECT_EQ((*mid)["severity"], "warning");
  EXPECT_EQ((*mid)["table_rows"], 500);
  EXPECT_EQ((*big)["severity"], "error");
  EXPECT_EQ((*big)["table_rows"], 20000);
  EXPECT_GT((*big)["table_bytes"].get<long long>(), 8192);
  // Not in the database yet: the static severity, and no size.
  EXPECT_EQ((*missing)["severity"], "warning");
  EXPECT_TRUE((*missing)["table_rows"].is_null());
  // Data loss is an error whatever the size.
  const json* drop = FindingFor(report, "drop-column", json(nullptr));
  ASSERT_NE(drop, nullptr);
  EXPECT_EQ((*drop)["severity"], "error");

  // The empty table alone: only notes and the drop; without the drop, exit 0.
  project.Add("001_idx.sql",
              Migration("aaa", "none", "CREATE INDEX empty_a ON empty_table (a);\n"));
  CommandOutput small = project.Run({"lint"});
  EXPECT_EQ(small.exit_code, 0) << Describe(small);
  EXPECT_TRUE(Contains(small.out, "note[RT401 require-concurrent-index-creation]")) << small.out;
  EXPECT_TRUE(Contains(small.out, "  table: empty_table, ~0 rows")) << small.out;

  // --offline: the static severity.
  CommandOutput offline = project.Run({"lint", "--offline"});
  EXPECT_TRUE(Contains(offline.out, "warning[RT401 require-concurrent-index-creation]"))
      << offline.out;
}

TEST(LintCommand, UnreachableDatabaseFallsBackToStaticSeverities) {
  RETORT_REQUIRE_PG(pg);
  LintProject project(pg);
  project.Add("001_a.sql", Migration("aaa", "none", "CREATE INDEX i ON t (a);"));
  CommandOutput run = project.Run(
      {"lint", "--url", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", "aaa"});
  EXPECT_EQ(run.exit_code, 0) << Describe(run);
  EXPECT_TRUE(Contains(run.err, "not graded by table size")) << Describe(run);
  EXPECT_TRUE(Contains(run.out, "warning[RT401")) << Describe(run);
}

// ---------------------------------------------------------------------------------------------
// --probe: locks and rewrites as PostgreSQL takes them

struct ProbedLock {
  std::string relation;
  std::string mode;
};

class ProbeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pg_ = PgHarness::Get();
    if (pg_ == nullptr) {
      if (PgHarness::UnavailableIsFailure()) FAIL() << PgHarness::UnavailableReason();
      GTEST_SKIP() << "PostgreSQL unavailable: " << PgHarness::UnavailableReason();
    }
    project_ = std::make_unique<LintProject>(pg_);
    project_->Add("001_base.sql",
                  Migration("aaa", "none",
                            "CREATE TABLE parent (id int PRIMARY KEY);\n"
                            "CREATE TABLE child (id int PRIMARY KEY, parent_id int, n int,\n"
                            "                    v varchar(10));\n"
                            "CREATE INDEX child_n ON child (n);\n"
                            "ALTER TABLE child ADD CONSTRAINT child_parent_fk FOREIGN KEY "
                            "(parent_id) REFERENCES parent (id) NOT VALID;\n"));
  }

  // Probes a migration revising aaa whose upgrade is `statements` (one per line), and returns
  // the report's statements.
  json Probe(const std::string& statements, const std::string& extra_header = "") {
    project_->Add("002_probe.sql", Migration("bbb", "aaa", statements, extra_header));
    CommandOutput run = project_->Run({"lint", "--probe", "bbb", "--format", "json"});
    EXPECT_EQ(run.exit_code, 0) << Describe(run);
    json report = ParseJson(run);
    EXPECT_EQ(report["revision"], "bbb");
    EXPECT_EQ(report["replayed"], "aaa");
    return report["statements"];
  }

  static std::vector<ProbedLock> Locks(const json& statement) {
    std::vector<ProbedLock> locks;
    for (const json& lock : statement["locks"]) locks.push_back({lock["relation"], lock["mode"]});
    return locks;
  }
  static bool HasLock(const json& statement, const std::string& relation, const std::string& mode) {
    for (const ProbedLock& lock : Locks(statement)) {
      if (lock.relation == relation && lock.mode == mode) return true;
    }
    return false;
  }
  static Strings Rewritten(const json& statement) { return statement["rewritten_tables"]; }

  Strings ScratchDatabases() {
    Strings names;
    for (const Strings& row : pg_->Query("postgres",
                                         "SELECT datname FROM pg_database WHERE datname LIKE "
                                         "'retort\\_scratch\\_probe\\_%' ORDER BY 1")) {
      names.push_back(row[0]);
    }
    return names;
  }

  PgHarness* pg_ = nullptr;
  std::unique_ptr<LintProject> project_;
};

TEST_F(ProbeTest, AddColumnWithoutDefaultTakesAccessExclusiveWithoutRewrite) {
  json statements = Probe("ALTER TABLE child ADD COLUMN a int;");
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_EQ(statements[0]["outcome"], "probed");
  EXPECT_TRUE(HasLock(statements[0], "public.child", "AccessExclusiveLock")) << statements.dump(2);
  EXPECT_EQ(Rewritten(statements[0]), Strings{});
}

TEST_F(ProbeTest, VolatileDefaultRewrites) {
  json statements = Probe(
      "ALTER TABLE child ADD COLUMN r float8 DEFAULT random();\n"
      "ALTER TABLE child ADD COLUMN c int DEFAULT 7;");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_TRUE(HasLock(statements[0], "public.child", "AccessExclusiveLock"));
  EXPECT_EQ(Rewritten(statements[0]), Strings{"public.child"}) << statements.dump(2);
  // A constant default is stored in the catalog: no rewrite (PostgreSQL 11+).
  EXPECT_EQ(Rewritten(statements[1]), Strings{}) << statements.dump(2);
}

TEST_F(ProbeTest, TypeChangeRewritesUnlessBinaryCoercible) {
  json statements = Probe(
      "ALTER TABLE child ALTER COLUMN n TYPE bigint;\n"
      "ALTER TABLE child ALTER COLUMN v TYPE varchar(20);");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_TRUE(HasLock(statements[0], "public.child", "AccessExclusiveLock"));
  EXPECT_EQ(Rewritten(statements[0]), Strings{"public.child"}) << statements.dump(2);
  Strings rebuilt = statements[0]["rebuilt_indexes"];
  EXPECT_NE(std::find(rebuilt.begin(), rebuilt.end(), "public.child_n"), rebuilt.end())
      << statements.dump(2);
  EXPECT_TRUE(HasLock(statements[1], "public.child", "AccessExclusiveLock"));
  EXPECT_EQ(Rewritten(statements[1]), Strings{}) << statements.dump(2);
}

TEST_F(ProbeTest, IndexBuildsAndConstraints) {
  json statements = Probe(
      "CREATE INDEX child_v ON child (v);\n"
      "ALTER TABLE child ADD CONSTRAINT child_parent_fk2 FOREIGN KEY (parent_id) REFERENCES "
      "parent (id) NOT VALID;\n"
      "ALTER TABLE child VALIDATE CONSTRAINT child_parent_fk;\n"
      "ALTER TABLE child ALTER COLUMN n SET NOT NULL;");
  ASSERT_EQ(statements.size(), 4u);
  // CREATE INDEX: SHARE on the table, so writes wait and reads go on.
  EXPECT_TRUE(HasLock(statements[0], "public.child", "ShareLock")) << statements.dump(2);
  EXPECT_FALSE(HasLock(statements[0], "public.child", "AccessExclusiveLock"));
  // ADD FOREIGN KEY ... NOT VALID: SHARE ROW EXCLUSIVE on both tables.
  EXPECT_TRUE(HasLock(statements[1], "public.child", "ShareRowExclusiveLock"))
      << statements.dump(2);
  EXPECT_TRUE(HasLock(statements[1], "public.parent", "ShareRowExclusiveLock"))
      << statements.dump(2);
  // VALIDATE CONSTRAINT: SHARE UPDATE EXCLUSIVE, which lets reads and writes go on.
  EXPECT_TRUE(HasLock(statements[2], "public.child", "ShareUpdateExclusiveLock"))
      << statements.dump(2);
  EXPECT_FALSE(HasLock(statements[2], "public.child", "AccessExclusiveLock"));
  // SET NOT NULL: ACCESS EXCLUSIVE.
  EXPECT_TRUE(HasLock(statements[3], "public.child", "AccessExclusiveLock")) << statements.dump(2);
  for (const json& statement : statements) EXPECT_EQ(Rewritten(statement), Strings{});
  EXPECT_EQ(ScratchDatabases(), Strings{}) << "the probe drops its scratch database";
}

TEST_F(ProbeTest, StatementsOutsideATransactionAreNotProbed) {
  json statements = Probe(
      "VACUUM FULL child;\nCREATE UNIQUE INDEX CONCURRENTLY child_v ON child (v);\n"
      "ALTER TABLE child ADD CONSTRAINT child_v_key UNIQUE USING INDEX "
      "child_v;",
      "-- retort:transaction none\n");
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0]["outcome"], "not probed");
  EXPECT_EQ(statements[0]["note"], "runs outside a transaction");
  EXPECT_EQ(statements[1]["outcome"], "not probed");
  EXPECT_EQ(statements[1]["note"], "runs outside a transaction");
  // The index built outside the probe's transactions is there for the next statement.
  EXPECT_EQ(statements[2]["outcome"], "probed") << statements.dump(2);
  EXPECT_TRUE(HasLock(statements[2], "public.child", "AccessExclusiveLock")) << statements.dump(2);
}

TEST_F(ProbeTest, TextReportAndTheTargetDatabaseIsUntouched) {
  project_->Add("002_probe.sql", Migration("bbb", "aaa",
                                           "ALTER TABLE child ADD COLUMN a int;\n"
                                           "CREATE INDEX child_a ON child (a);"));
  CommandOutput run = project_->Run({"lint", "--probe"});  // the single head
  ASSERT_EQ(run.exit_code, 0) << Describe(run);
  EXPECT_TRUE(Contains(run.out,
                       "probe of migrations/versions/002_probe.sql (revision bbb) on a "
                       "scratch database at aaa"))
      << run.out;
  EXPECT_TRUE(Contains(run.out,
                       "migrations/versions/002_probe.sql:5: ALTER TABLE child ADD "
                       "COLUMN a int\n  locks: AccessExclusiveLock on table "
                       "public.child\n  rewrites: none\n"))
      << run.out;
  EXPECT_TRUE(Contains(run.out,
                       "held until the migration commits: AccessExclusiveLock on table "
                       "public.child"))
      << run.out;
  // The configured database was never touched: no version table, no tables.
  EXPECT_EQ(project_->Scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "0");
}

TEST_F(ProbeTest, FailingStatementExitsOneAndSaysWhy) {
  project_->Add("002_probe.sql", Migration("bbb", "aaa",
                                           "ALTER TABLE child ADD COLUMN a int;\n"
                                           "ALTER TABLE nowhere ADD COLUMN b int;\n"
                                           "ALTER TABLE child ADD COLUMN c int;"));
  CommandOutput run = project_->Run({"lint", "--probe", "bbb"});
  EXPECT_EQ(run.exit_code, 1) << Describe(run);
  EXPECT_TRUE(Contains(run.out, "  failed: ERROR: relation \"nowhere\" does not exist")) << run.out;
  EXPECT_FALSE(Contains(run.out, "ADD COLUMN c int")) << "the probe stops at the failure";
  EXPECT_TRUE(Contains(run.err, "002_probe.sql:6:")) << Describe(run);
  EXPECT_EQ(ScratchDatabases(), Strings{});
}

TEST_F(ProbeTest, PlainSqlFileIsProbedOnTheHeads) {
  project_->Write("adhoc.sql", "ALTER TABLE parent ADD COLUMN name text DEFAULT 'x';\n");
  CommandOutput run = project_->Run({"lint", "--probe", "adhoc.sql", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << Describe(run);
  json report = ParseJson(run);
  EXPECT_EQ(report["replayed"], "aaa");
  EXPECT_TRUE(report["revision"].is_null());
  ASSERT_EQ(report["statements"].size(), 1u);
  EXPECT_TRUE(HasLock(report["statements"][0], "public.parent", "AccessExclusiveLock"));
}

}  // namespace
}  // namespace retort
