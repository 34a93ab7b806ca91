// SIGKILL at random moments of a 200-migration upgrade that mixes table and index creation,
// slow statements, and `transaction none` migrations building and dropping indexes
// CONCURRENTLY. After every kill the database must be at a valid revision whose schema (and the
// log each migration writes once) equals a clean replay to that revision, or be partially
// applied in a `transaction none` migration with `retort current` saying so; and a plain
// re-run must reach head, equal to the clean replay, without manual repair.
//
// RETORT_CRASH_TRIALS sets the number of kills (default 15 to keep CI short; the figure is
// 100).
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
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
    upgrade = "CREATE TABLE " + table + " (id int PRIMARY KEY, v text);\nCREATE INDEX ix_" + table +
              " ON " + table + " (v);\n" + Log(number);
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

std::string VersionOf(PgHarness* pg, const std::string& database) {
  if (pg->Scalar(database, "SELECT to_regclass('retort_version') IS NULL") == "t") return "";
  return pg->Scalar(database, "SELECT coalesce((SELECT version_num FROM retort_version), '')");
}

int Number(const std::string& revision) {
  return revision.empty() ? 0 : std::stoi(revision.substr(1));
}

// One killed upgrade: where it stopped and what it left.
struct Trial {
  std::string database;
  long kill_after_ms = 0;
  std::string revision;  // "" for base
  bool partial = false;
  std::string fingerprint;
  std::string current;  // `retort current` output
};

TEST(Crash, RandomKillsDuringALongUpgradeLeaveAValidRevision) {
  RETORT_REQUIRE_PG(pg);
  TempDir project;
  project.Write("retort.toml", "[migrations]\nscript_location = \"migrations\"\n");
  for (int number = 1; number <= kMigrations; ++number) {
    project.Write("migrations/versions/" + Revision(number) + ".sql", MigrationText(number));
  }

  // How long a whole upgrade takes here: kills land uniformly within it.
  std::string timing = pg->CreateDatabase("crash_time");
  auto started = std::chrono::steady_clock::now();
  CommandOutput whole = RunRetort({"upgrade", "head", "--url", pg->Url(timing)}, project.path());
  ASSERT_EQ(whole.exit_code, 0) << Describe(whole);
  long whole_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  const std::string head = Fingerprint(pg, timing);

  std::mt19937 random(20261206);
  std::vector<Trial> trials;
  for (int count = Trials(), trial = 0; trial < count; ++trial) {
    Trial killed;
    killed.database = pg->CreateDatabase("crash");
    std::string url = pg->Url(killed.database);
    killed.kill_after_ms = std::uniform_int_distribution<long>(0, whole_ms)(random);
    TempDir logs;
    ChildProcesses children(logs.path());
    int migrator =
        children.Start({RetortBinary(), "upgrade", "head", "--url", url}, project.path());
    children.Release();
    // The kill moment is the random variable under test, not a synchronisation.
    std::this_thread::sleep_for(std::chrono::milliseconds(killed.kill_after_ms));
    ::kill(children.pid(migrator), SIGKILL);
    if (children.Wait(migrator).exit_code == 0) continue;  // it finished first: nothing to check
    CommandOutput current = RunRetort({"current", "--url", url}, project.path());
    ASSERT_EQ(current.exit_code, 0) << "trial " << trial << "\n" << Describe(current);
    killed.current = current.out;
    killed.revision = VersionOf(pg, killed.database);
    killed.partial = current.out.find("partially applied") != std::string::npos;
    killed.fingerprint = Fingerprint(pg, killed.database);
    trials.push_back(std::move(killed));
  }

  // The clean replay, moved forward through the revisions the kills left, in order.
  std::vector<const Trial*> by_revision;
  for (const Trial& trial : trials) by_revision.push_back(&trial);
  std::sort(by_revision.begin(), by_revision.end(), [](const Trial* a, const Trial* b) {
    return Number(a->revision) < Number(b->revision);
  });
  std::string reference = pg->CreateDatabase("crash_ref");
  int partial = 0;
  for (const Trial* trial : by_revision) {
    std::string where = "killed after " + std::to_string(trial->kill_after_ms) + " ms at '" +
                        trial->revision + "'\n" + trial->current;
    if (!trial->revision.empty() && VersionOf(pg, reference) != trial->revision) {
      CommandOutput step =
          RunRetort({"upgrade", trial->revision, "--url", pg->Url(reference)}, project.path());
      ASSERT_EQ(step.exit_code, 0) << Describe(step);
    }
    if (trial->partial) {
      ++partial;
      // Only a `transaction none` migration (every tenth) can be part way.
      EXPECT_EQ((Number(trial->revision) + 1) % 10, 0) << where;
    } else {
      EXPECT_EQ(trial->fingerprint, Fingerprint(pg, reference)) << where;
    }
  }

  // A plain re-run finishes each one, without repair, at the same head.
  for (const Trial& trial : trials) {
    CommandOutput rerun =
        RunRetort({"upgrade", "head", "--url", pg->Url(trial.database)}, project.path());
    ASSERT_EQ(rerun.exit_code, 0) << "killed after " << trial.kill_after_ms << " ms at '"
                                  << trial.revision << "'\n"
                                  << Describe(rerun);
    EXPECT_EQ(Fingerprint(pg, trial.database), head);
    EXPECT_EQ(pg->Scalar(trial.database, "SELECT to_regclass('retort_progress') IS NULL"), "t");
  }
  std::cout << "crash trials: " << Trials() << " kills, " << trials.size()
            << " before the upgrade finished, " << partial
            << " left a migration partially applied; whole upgrade " << whole_ms << " ms\n";
}

}  // namespace
}  // namespace retort::testing
