// SIGKILL at random moments of a 200-migration upgrade that mixes table and index creation,
// slow statements, and `transaction none` migrations building and dropping indexes
// CONCURRENTLY. After every kill the database must be at a valid revision whose schema (and the
// log each migration writes once) equals a clean replay to that revision, or be partially
// applied in a `transaction none` migration with `retort current` saying so; and a plain
// re-run must reach head, equal to the clean replay, without manual repair.
//
// RETORT_CRASH_TRIALS sets the number of kills (default 15 to keep CI short; the figure is 100).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "support/child_processes.h"
#include "support/pg_harness.h"

namespace retort::testing {
namespace {

constexpr int kMigrations = 200;

std::string Revision(int number) {
  std::string digits = std::to_string(number);
  return "c" + std::string(3 - digits.size(), '0') + digits;
}

std::string Log(int number) {
  return "INSERT INTO applied_log VALUES ('" + Revision(number) + "');\n";
}

// Migration `number`: mostly a table with an index; every tenth builds (and every twentieth
// also drops) an index CONCURRENTLY outside a transaction; every tenth plus five is slow.
std::string MigrationText(int number) {
  std::string text = "-- retort:revision " + Revision(number) + "\n-- retort:revises " +
                     (number == 1 ? std::string("none") : Revision(number - 1)) +
                     "\n-- retort:message crash step " + std::to_string(number) + "\n";
  std::string upgrade;
  if (number == 1) {
    upgrade =
        "CREATE TABLE applied_log (revision text NOT NULL);\n"
        "CREATE TABLE big (id int PRIMARY KEY, v text NOT NULL);\n"
        "INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 5000) g;\n" +
        Log(number);
  } else if (number % 10 == 0) {
    text += "-- retort:transaction none\n";
    std::string index = "ix_big_" + std::to_string(number);
    upgrade = "CREATE INDEX CONCURRENTLY " + index + " ON big (v, id);\n" + Log(number);
    if (number % 20 == 0) {
      upgrade += "DROP INDEX CONCURRENTLY ix_big_" + std::to_string(number - 10) + ";\n";
    }
  } else if (number % 10 == 5) {
    upgrade = "CREATE TABLE t_" + std::to_string(number) +
              " (id int PRIMARY KEY);\nINSERT INTO applied_log SELECT '" + Revision(number) +
              "' FROM pg_sleep(0.02);\n";
  } else {
    std::string table = "t_" + std::to_string(number);
    upgrade = "CREATE TABLE " + table + " (id int PRIMARY KEY, v text);\nCREATE INDEX ix_" +
              table + " ON " + table + " (v);\n" + Log(number);
  }
  return text + "\n-- retort:upgrade\n" + upgrade;
}

// What the migrations made: every relation of public with its columns or index definition and
// validity, and how many times each migration wrote its log row.
constexpr char kFingerprint[] =
    "SELECT coalesce(string_agg(line, E'\\n' ORDER BY line), '') FROM ("
    " SELECT c.relkind::text || ' ' || c.relname || ' ' || coalesce(pg_get_indexdef(c.oid) || "
    "   ' valid=' || i.indisvalid, (SELECT string_agg(a.attname || ':' || "
    "   format_type(a.atttypid, a.atttypmod), ',' ORDER BY a.attnum) FROM pg_attribute a "
    "   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') AS line"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN pg_index i ON i.indexrelid = c.oid"
    " WHERE n.nspname = 'public' AND c.relname NOT LIKE 'retort%'"
    " UNION ALL SELECT 'log ' || revision || ' x' || count(*) FROM applied_log GROUP BY revision"
    ") lines";

std::string Fingerprint(PgHarness* pg, const std::string& database) {
  if (pg->Scalar(database, "SELECT to_regclass('applied_log') IS NULL") == "t") return "";
  return pg->Scalar(database, kFingerprint);
}

int Trials() {
  const char* trials = std::getenv("RETORT_CRASH_TRIALS");
  return trials != nullptr && std::atoi(trials) > 0 ? std::atoi(trials) : 15;
}

TEST(Crash, RandomKillsDuringALongUpgradeLeaveAValidRevision) {
  RETORT_REQUIRE_PG(pg);
  TempDir project;
  project.Write("retort.toml", "[migrations]\nscript_location = \"migrations\"\n");
  for (int number = 1; number <= kMigrations; ++number) {
    project.Write("migrations/versions/" + Revision(number) + ".sql", MigrationText(number));
  }

  // The clean replay, one revision at a time.
  std::string reference = pg->CreateDatabase("crash_ref");
  std::map<std::string, std::string> expected;  // revision ("" for base) -> fingerprint
  expected[""] = "";
  for (int number = 1; number <= kMigrations; ++number) {
    CommandOutput step =
        RunRetort({"upgrade", Revision(number), "--url", pg->Url(reference)}, project.path());
    ASSERT_EQ(step.exit_code, 0) << Describe(step);
    expected[Revision(number)] = Fingerprint(pg, reference);
  }
  const std::string& head = expected[Revision(kMigrations)];

  // How long a whole upgrade takes here: kills land uniformly within it.
  std::string timing = pg->CreateDatabase("crash_time");
  auto started = std::chrono::steady_clock::now();
  CommandOutput whole = RunRetort({"upgrade", "head", "--url", pg->Url(timing)}, project.path());
  ASSERT_EQ(whole.exit_code, 0) << Describe(whole);
  long whole_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  ASSERT_EQ(Fingerprint(pg, timing), head);

  std::mt19937 random(20261206);
  int trials = Trials();
  int partial = 0;
  int killed_before_any = 0;
  for (int trial = 0; trial < trials; ++trial) {
    std::string database = pg->CreateDatabase("crash");
    std::string url = pg->Url(database);
    long kill_after_ms = std::uniform_int_distribution<long>(0, whole_ms)(random);
    TempDir logs;
    ChildProcesses children(logs.path());
    int migrator = children.Start({RetortBinary(), "upgrade", "head", "--url", url},
                                  project.path());
    children.Release();
    // The kill moment is the random variable under test, not a synchronisation.
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms));
    ::kill(children.pid(migrator), SIGKILL);
    ChildResult killed = children.Wait(migrator);
    if (killed.exit_code == 0) continue;  // finished before the kill: nothing to check

    CommandOutput current = RunRetort({"current", "--url", url}, project.path());
    ASSERT_EQ(current.exit_code, 0) << "trial " << trial << "\n" << Describe(current);
    std::string revision =
        pg->Scalar(database,
                   "SELECT CASE WHEN to_regclass('retort_version') IS NULL THEN '' ELSE "
                   "coalesce((SELECT version_num FROM retort_version), '') END");
    ASSERT_TRUE(expected.count(revision)) << "trial " << trial << ": at '" << revision << "'";
    if (revision.empty()) ++killed_before_any;
    bool is_partial = current.out.find("partially applied") != std::string::npos;
    if (is_partial) {
      ++partial;
      // Only a `transaction none` migration (every tenth) can be part way.
      int next = revision.empty() ? 1 : std::stoi(revision.substr(1)) + 1;
      EXPECT_EQ(next % 10, 0) << "trial " << trial << ": partial in " << Revision(next) << "\n"
                              << current.out;
    } else {
      EXPECT_EQ(Fingerprint(pg, database), expected[revision])
          << "trial " << trial << ": killed after " << kill_after_ms << " ms at '" << revision
          << "'";
    }

    CommandOutput rerun = RunRetort({"upgrade", "head", "--url", url}, project.path());
    ASSERT_EQ(rerun.exit_code, 0) << "trial " << trial << " (killed after " << kill_after_ms
                                  << " ms at '" << revision << "')\n"
                                  << Describe(rerun);
    ASSERT_EQ(Fingerprint(pg, database), head) << "trial " << trial;
    EXPECT_EQ(pg->Scalar(database, "SELECT to_regclass('retort_progress') IS NULL"), "t");
    pg->Query(database, "SELECT 1");
  }
  std::cout << "crash trials: " << trials << ", partially applied after the kill: " << partial
            << ", killed before the first migration: " << killed_before_any
            << ", whole upgrade " << whole_ms << " ms\n";
}

}  // namespace
}  // namespace retort::testing
