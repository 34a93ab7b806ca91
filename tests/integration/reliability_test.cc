// retort under attack, against a real server and real retort processes: a migrator frozen and
// killed after the server finished its statement, a migration lock lost to pg_terminate_backend
// or idle_session_timeout, terminated sessions, a lock storm, and racing deployers that also
// downgrade. Each case is a state a deploy can really reach; none is simulated by writing
// retort's tables by hand.
#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "pg/connection.h"
#include "support/child_processes.h"
#include "support/pg_harness.h"

namespace retort::testing {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// A project for one fresh database whose migrations are written by the test, each revising the
// one written before it.
class Project {
 public:
  Project(PgHarness* pg, const std::string& prefix, const std::string& extra_config = "")
      : pg_(pg), database_(pg->CreateDatabase(prefix)) {
    dir_.Write("retort.toml", "[database]\nurl = \"" + pg_->Url(database_) +
                                  "\"\n\n[migrations]\nscript_location = \"migrations\"\n" +
                                  extra_config);
  }

  // Appends a migration; returns its revision id.
  std::string Add(const std::string& upgrade, const std::string& downgrade = "",
                  bool transactional = true) {
    std::string revision = "m" +
                           std::string(count_ < 9    ? "00"
                                       : count_ < 99 ? "0"
                                                     : "") +
                           std::to_string(count_ + 1);
    std::string text = "-- retort:revision " + revision + "\n-- retort:revises " +
                       (last_.empty() ? std::string("none") : last_) + "\n-- retort:message step " +
                       std::to_string(count_ + 1) + "\n";
    if (!transactional) text += "-- retort:transaction none\n";
    text += "\n-- retort:upgrade\n" + upgrade + "\n";
    if (!downgrade.empty()) text += "\n-- retort:downgrade\n" + downgrade + "\n";
    dir_.Write("migrations/versions/" + revision + ".sql", text);
    last_ = revision;
    ++count_;
    return revision;
  }

  std::vector<std::string> Argv(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {RetortBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  CommandOutput Run(const std::vector<std::string>& args) const {
    return RunRetort(args, dir_.path());
  }
  Rows Query(const std::string& sql) const { return pg_->Query(database_, sql); }
  std::string Scalar(const std::string& sql) const { return pg_->Scalar(database_, sql); }

  // The pid of the session running a statement that contains `marker`, or "" when none does.
  // Client sessions only: a parallel worker of the statement (a CREATE INDEX of a big table has
  // some) shows the same text, and ends before its leader does.
  std::string ActivePid(const std::string& marker) const {
    return Scalar(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = "
        "'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND query "
        "LIKE " +
        Literal("%" + marker + "%") + " LIMIT 1");
  }
  std::string StateOf(const std::string& pid) const {
    return Scalar("SELECT coalesce((SELECT state FROM pg_stat_activity WHERE pid = " + pid +
                  "), 'gone')");
  }

  const std::string& path() const { return dir_.path(); }
  const std::string& database() const { return database_; }

  static std::string Literal(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    return quoted + "'";
  }

 private:
  PgHarness* pg_;
  std::string database_;
  TempDir dir_;
  std::string last_;
  int count_ = 0;
};

// A table the test holds locked, so that a migration statement reading it waits exactly as long
// as the test wants (never a sleep standing in for "long enough").
class Gate {
 public:
  Gate(PgHarness* pg, const Project& project) {
    auto connection = retort::pg::Connection::Open(pg->ConnInfo(project.database()), "gate");
    if (!connection.ok()) {
      ADD_FAILURE() << connection.status().message();
      return;
    }
    connection_.emplace(std::move(*connection));
    if (!connection_->Execute("BEGIN; LOCK TABLE gate IN ACCESS EXCLUSIVE MODE").ok()) {
      ADD_FAILURE() << "cannot lock the gate";
    }
  }
  void Open() {
    if (connection_) {
      EXPECT_TRUE(connection_->Execute("COMMIT").ok());
    }
    connection_.reset();
  }

 private:
  std::optional<retort::pg::Connection> connection_;
};

// The pid of the session waiting for the gate, "" while none is.
std::string WaitingAtGate(const Project& project) {
  return project.Scalar(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = "
      "'Lock' AND query LIKE '%FROM gate%' AND pid <> pg_backend_pid() LIMIT 1");
}

// Freezes a running retort (SIGSTOP) once `frozen_when` holds, waits for `finished_when` (the
// server finishing the statement the frozen process sent), then kills it: the kill lands after
// the server did the work and before retort could record it, deterministically.
void FreezeThenKill(ChildProcesses& children, int child, const std::function<bool()>& frozen_when,
                    const std::function<bool()>& finished_when) {
  ASSERT_TRUE(Eventually(frozen_when)) << "the statement never started";
  ASSERT_EQ(::kill(children.pid(child), SIGSTOP), 0);
  ASSERT_TRUE(Eventually(finished_when)) << "the server never finished the statement";
  ASSERT_EQ(::kill(children.pid(child), SIGKILL), 0);
  EXPECT_EQ(children.Wait(child).exit_code, 128 + SIGKILL);
}

constexpr char kSlowCredit[] = "INSERT INTO ledger SELECT 'credit' FROM pg_sleep(1)";

// Issue 17.1: the server finished (and, before the fix, committed) a statement of a
// `transaction none` migration after retort died, with no progress row: the re-run ran it again.
TEST(KilledMigrator, TransactionNoneStatementIsNotRepeated) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, "kill_txnone");
  project.Add("CREATE TABLE ledger (entry text NOT NULL);");
  project.Add(std::string(kSlowCredit) + ";\nINSERT INTO ledger VALUES ('second');", "", false);

  TempDir logs;
  ChildProcesses children(logs.path());
  int migrator = children.Start(project.Argv({"upgrade", "head"}), project.path());
  children.Release();
  std::string pid;
  FreezeThenKill(
      children, migrator,
      [&] {
        pid = project.ActivePid("pg_sleep(1)");
        return !pid.empty();
      },
      [&] { return project.StateOf(pid) != "active"; });

  CommandOutput rerun = project.Run({"upgrade", "head"});
  ASSERT_EQ(rerun.exit_code, 0) << Describe(rerun);
  EXPECT_EQ(project.Query("SELECT entry, count(*) FROM ledger GROUP BY entry ORDER BY entry"),
            (Rows{{"credit", "1"}, {"second", "1"}}));
  EXPECT_EQ(project.Scalar("SELECT version_num FROM retort_version"), "m002");
  EXPECT_EQ(project.Scalar("SELECT to_regclass('retort_progress') IS NULL"), "t");
}

// Issue 17.5: CREATE INDEX CONCURRENTLY completed on the server after retort died, with no
// progress row; before the fix every re-run failed with "already exists".
TEST(KilledMigrator, ConcurrentIndexBuiltAfterTheKillIsRecognised) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, "kill_cic");
  project.Add(
      "CREATE TABLE trips (id int PRIMARY KEY, traveler text NOT NULL);\n"
      "INSERT INTO trips SELECT g, 'traveler ' || (g % 997) FROM generate_series(1, 200000) g;\n"
      "CREATE TABLE marks (mark text);");
  project.Add(
      "CREATE INDEX CONCURRENTLY ix_trips_traveler ON trips (traveler);\n"
      "INSERT INTO marks VALUES ('after the index');",
      "", false);

  TempDir logs;
  ChildProcesses children(logs.path());
  int migrator = children.Start(project.Argv({"upgrade", "head"}), project.path());
  children.Release();
  std::string pid;
  FreezeThenKill(
      children, migrator,
      [&] {
        pid = project.ActivePid("CREATE INDEX CONCURRENTLY ix_trips_traveler");
        return !pid.empty();
      },
      [&] { return project.StateOf(pid) != "active"; });
  ASSERT_EQ(project.Scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = "
                           "'ix_trips_traveler'::regclass"),
            "t");

  CommandOutput current = project.Run({"current"});
  EXPECT_NE(current.out.find("partially applied"), std::string::npos) << Describe(current);

  CommandOutput rerun = project.Run({"upgrade", "head"});
  ASSERT_EQ(rerun.exit_code, 0) << Describe(rerun);
  EXPECT_NE(rerun.err.find("index ix_trips_traveler is valid"), std::string::npos)
      << Describe(rerun);
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM marks"), "1");
  EXPECT_EQ(project.Scalar("SELECT version_num FROM retort_version"), "m002");
}

// A killed build that the server cancelled leaves an INVALID index: dropped, built again.
TEST(KilledMigrator, CancelledConcurrentIndexBuildIsBuiltAgain) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, "kill_cic_cancel");
  project.Add(
      "CREATE TABLE trips (id int PRIMARY KEY, traveler text NOT NULL);\n"
      "INSERT INTO trips SELECT g, 'traveler ' || (g % 997) FROM generate_series(1, 1000) g;");
  project.Add("CREATE INDEX CONCURRENTLY ix_trips_traveler ON trips (traveler);", "", false);

  // An open snapshot makes the build wait in its last phase, where a kill cancels it.
  auto blocker = retort::pg::Connection::Open(pg->ConnInfo(project.database()), "blocker");
  ASSERT_TRUE(blocker.ok()) << blocker.status().message();
  ASSERT_TRUE(blocker->Execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1").ok());

  TempDir logs;
  ChildProcesses children(logs.path());
  int migrator = children.Start(project.Argv({"upgrade", "head"}), project.path());
  children.Release();
  std::string pid;
  ASSERT_TRUE(Eventually([&] {
    pid = project.ActivePid("CREATE INDEX CONCURRENTLY ix_trips_traveler");
    return !pid.empty() && project.Scalar(
                               "SELECT count(*) FROM pg_index WHERE indexrelid = "
                               "to_regclass('ix_trips_traveler')") == "1";
  }));
  ASSERT_EQ(::kill(children.pid(migrator), SIGKILL), 0);
  children.Wait(migrator);
  // The server ends the orphaned build when it notices the client is gone.
  ASSERT_TRUE(Eventually([&] { return project.StateOf(pid) == "gone"; }));
  ASSERT_TRUE(blocker->Execute("COMMIT").ok());
  ASSERT_EQ(project.Scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = "
                           "'ix_trips_traveler'::regclass"),
            "f");

  CommandOutput rerun = project.Run({"upgrade", "head"});
  ASSERT_EQ(rerun.exit_code, 0) << Describe(rerun);
  EXPECT_EQ(project.Scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = "
                           "'ix_trips_traveler'::regclass"),
            "t");
}

// Issue 17.2: the lock session ended (pg_terminate_backend) while the first deployer ran a
// `transaction none` statement and a second deployer was queued; the second took the lock. Neither
// repeats a statement, and the first stops at its next step, saying why, instead of exiting 0
// without its lock.
TEST(LostLock, TerminatedLockSessionStopsTheFirstDeployer) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, "lost_lock", "lock_timeout = \"60s\"\n");
  project.Add(
      "CREATE TABLE ledger (entry text NOT NULL);\nCREATE TABLE gate (id int);\n"
      "INSERT INTO gate VALUES (1);");
  project.Add(
      "INSERT INTO ledger SELECT 'credit' FROM gate;\n"
      "INSERT INTO ledger VALUES ('second');",
      "", false);
  ASSERT_EQ(project.Run({"upgrade", "m001"}).exit_code, 0);
  Gate gate(pg, project);

  TempDir first_logs;
  ChildProcesses first(first_logs.path());
  TempDir second_logs;
  ChildProcesses second(second_logs.path());
  int a = first.Start(project.Argv({"upgrade", "head"}), project.path());
  first.Release();
  ASSERT_TRUE(Eventually([&] { return !WaitingAtGate(project).empty(); }));
  std::string lock_pid = project.Scalar(
      "SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE "
      "a.application_name = 'retort migration lock' AND l.locktype = 'advisory' AND l.granted");
  ASSERT_FALSE(lock_pid.empty());
  // The second deployer queues for the lock before the first one loses it.
  int b = second.Start(project.Argv({"upgrade", "head", "--lock-wait", "60s"}), project.path());
  second.Release();
  ASSERT_TRUE(Eventually([&] {
    return project.Scalar(
               "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
               "'retort migration lock'") == "2";
  }));
  // With a timeout, pg_terminate_backend returns once the session is gone and its lock with it:
  // without one it returns as soon as the signal is sent, and a guard run before the backend
  // exits still finds the lock held (and rightly lets the first deployer go on).
  ASSERT_EQ(project.Scalar("SELECT pg_terminate_backend(" + lock_pid + ", 60000)"), "t");
  gate.Open();

  ChildResult a_result = first.Wait(a);
  ChildResult b_result = second.Wait(b);
  EXPECT_EQ(b_result.exit_code, 0) << Describe({a_result, b_result});
  EXPECT_EQ(a_result.exit_code, 1) << Describe({a_result, b_result});
  EXPECT_NE(a_result.err.find("migration lock was lost"), std::string::npos)
      << Describe({a_result, b_result});
  EXPECT_EQ(project.Query("SELECT entry, count(*) FROM ledger GROUP BY entry ORDER BY entry"),
            (Rows{{"credit", "1"}, {"second", "1"}}));
  EXPECT_EQ(project.Scalar("SELECT version_num FROM retort_version"), "m002");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM retort_history WHERE revision = 'm002'"), "1");
}

// Issue 17.2: idle_session_timeout on the database must not end the lock session (idle while
// the migration runs) or a queued deployer's session (idle while it waits for the lock).
TEST(LostLock, IdleSessionTimeoutEndsNoSessionOfOurs) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, "idle_timeout");
  project.Add("CREATE TABLE ledger (entry text NOT NULL);");
  project.Add("INSERT INTO ledger SELECT 'credit' FROM pg_sleep(1.5);");
  project.Add("INSERT INTO ledger VALUES ('third');");
  project.Query("ALTER DATABASE " + project.database() + " SET idle_session_timeout = '300ms'");

  TempDir logs;
  ChildProcesses children(logs.path());
  for (int i = 0; i < 4; ++i) {
    children.Start(project.Argv({"upgrade", "head", "--lock-wait", "60s"}), project.path());
  }
  children.Release();
  auto results = children.WaitAll();
  for (const ChildResult& result : results) EXPECT_EQ(result.exit_code, 0) << Describe(results);
  EXPECT_EQ(project.Query("SELECT entry, count(*) FROM ledger GROUP BY entry ORDER BY entry"),
            (Rows{{"credit", "1"}, {"third", "1"}}));
  EXPECT_EQ(project.Scalar("SELECT version_num FROM retort_version"), "m003");
}

// Faults: the migration session terminated mid-migration: exit 1 naming where the database is
// (read on a new session), nothing half-done, and the retry completes.
TEST(Faults, TerminatedMigrationSession) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, "fault_migration");
  project.Add("CREATE TABLE ledger (entry text NOT NULL);");
  project.Add("INSERT INTO ledger SELECT 'credit' FROM pg_sleep(2);");

  TempDir logs;
  ChildProcesses children(logs.path());
  int migrator = children.Start(project.Argv({"upgrade", "head"}), project.path());
  children.Release();
  std::string pid;
  ASSERT_TRUE(Eventually([&] {
    pid = project.ActivePid("pg_sleep(2)");
    return !pid.empty();
  }));
  ASSERT_EQ(project.Scalar("SELECT pg_terminate_backend(" + pid + ")"), "t");
  ChildResult result = children.Wait(migrator);
  EXPECT_EQ(result.exit_code, 1) << Describe({result});
  EXPECT_NE(result.err.find("the database is at m001"), std::string::npos) << Describe({result});
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM ledger"), "0");

  CommandOutput retry = project.Run({"upgrade", "head"});
  ASSERT_EQ(retry.exit_code, 0) << Describe(retry);
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM ledger"), "1");
  EXPECT_EQ(
      project.Scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                     "(SELECT oid FROM pg_database WHERE datname = current_database())"),
      "0");
}

// Pipelining: a live upgrade sends the migrations after the one running before it has committed.
// A migration that fails only at COMMIT (a deferred foreign key) leaves the session outside any
// transaction, so the next migration, already sent, would start cleanly: its guard must refuse
// it, and so on for the rest of what was in flight (more than one pipeline window of them).
TEST(Pipelining, MigrationsSentAfterOneThatFailedAtCommitDoNotRun) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, "pipeline_commit");
  project.Add(
      "CREATE TABLE parent (id int PRIMARY KEY);\n"
      "CREATE TABLE child (parent_id int REFERENCES parent DEFERRABLE INITIALLY DEFERRED);");
  for (int i = 2; i <= 10; ++i) project.Add("CREATE TABLE early_" + std::to_string(i) + " ();");
  project.Add("INSERT INTO child VALUES (42);");  // m011: fails at COMMIT
  for (int i = 12; i <= 40; ++i) project.Add("CREATE TABLE late_" + std::to_string(i) + " ();");

  CommandOutput upgrade = project.Run({"upgrade", "head"});
  EXPECT_EQ(upgrade.exit_code, 1) << Describe(upgrade);
  EXPECT_NE(upgrade.err.find("child_parent_id_fkey"), std::string::npos) << Describe(upgrade);
  EXPECT_NE(upgrade.err.find("m011"), std::string::npos) << Describe(upgrade);
  EXPECT_EQ(project.Scalar("SELECT version_num FROM retort_version"), "m010");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'early%'"), "9");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'late%'"), "0");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM child"), "0");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM retort_history WHERE direction = 'up'"), "10");
  // Every migration that committed was reported, and none after.
  EXPECT_NE(upgrade.err.find("m010"), std::string::npos) << Describe(upgrade);
  EXPECT_EQ(upgrade.err.find("late_12"), std::string::npos) << Describe(upgrade);

  EXPECT_EQ(project.Scalar("INSERT INTO parent VALUES (42) RETURNING id"), "42");
  CommandOutput rerun = project.Run({"upgrade", "head"});
  ASSERT_EQ(rerun.exit_code, 0) << Describe(rerun);
  EXPECT_EQ(project.Scalar("SELECT version_num FROM retort_version"), "m040");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'late%'"), "29");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM retort_history WHERE direction = 'up'"), "40");
}

// Pipelining: a statement that fails in the middle of a long run stops it there with the
// statement's file and line, and what was sent after it is not applied.
TEST(Pipelining, FailingStatementStopsTheRunAtItsMigration) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, "pipeline_error");
  for (int i = 1; i <= 25; ++i) project.Add("CREATE TABLE t_" + std::to_string(i) + " ();");
  project.Add("CREATE TABLE t_26 ();\nSELECT 1 / 0;");  // m026
  for (int i = 27; i <= 45; ++i) project.Add("CREATE TABLE t_" + std::to_string(i) + " ();");

  CommandOutput upgrade = project.Run({"upgrade", "head"});
  EXPECT_EQ(upgrade.exit_code, 1) << Describe(upgrade);
  EXPECT_NE(upgrade.err.find("m026.sql:7: statement 2 of 2 in revision m026 failed"),
            std::string::npos)
      << Describe(upgrade);
  EXPECT_NE(upgrade.err.find("division by zero"), std::string::npos) << Describe(upgrade);
  EXPECT_EQ(project.Scalar("SELECT version_num FROM retort_version"), "m025");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_tables WHERE tablename LIKE 't\\_%'"), "25");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM retort_history"), "25");
}

// Faults: a queued deployer's lock session terminated while it waits: it exits 1 saying so;
// the running deployer is unaffected.
TEST(Faults, TerminatedWaiter) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, "fault_waiter", "lock_timeout = \"60s\"\n");
  project.Add(
      "CREATE TABLE ledger (entry text NOT NULL);\nCREATE TABLE gate (id int);\n"
      "INSERT INTO gate VALUES (1);");
  project.Add("INSERT INTO ledger SELECT 'credit' FROM gate;");
  ASSERT_EQ(project.Run({"upgrade", "m001"}).exit_code, 0);
  Gate gate(pg, project);

  TempDir logs;
  ChildProcesses children(logs.path());
  int running = children.Start(project.Argv({"upgrade", "head"}), project.path());
  children.Release();
  ASSERT_TRUE(Eventually([&] { return !WaitingAtGate(project).empty(); }));
  TempDir waiter_logs;
  ChildProcesses waiters(waiter_logs.path());
  int waiter =
      waiters.Start(project.Argv({"upgrade", "head", "--lock-wait", "60s"}), project.path());
  waiters.Release();
  std::string waiter_pid;
  ASSERT_TRUE(Eventually([&] {
    waiter_pid = project.Scalar(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'retort migration lock' "
        "AND NOT EXISTS (SELECT FROM pg_locks l WHERE l.pid = pg_stat_activity.pid AND "
        "l.locktype = 'advisory' AND l.granted) LIMIT 1");
    return !waiter_pid.empty();
  }));
  ASSERT_EQ(project.Scalar("SELECT pg_terminate_backend(" + waiter_pid + ")"), "t");
  gate.Open();
  ChildResult waiter_result = waiters.Wait(waiter);
  ChildResult running_result = children.Wait(running);
  EXPECT_EQ(waiter_result.exit_code, 1) << Describe({running_result, waiter_result});
  EXPECT_NE(waiter_result.err.find("migration lock"), std::string::npos)
      << Describe({waiter_result});
  EXPECT_EQ(running_result.exit_code, 0) << Describe({running_result, waiter_result});
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM ledger"), "1");
  CommandOutput retry = project.Run({"upgrade", "head"});
  EXPECT_EQ(retry.exit_code, 0) << Describe(retry);
  EXPECT_NE(retry.err.find("already at m002"), std::string::npos) << Describe(retry);
}

// Lock storm: a long transaction holds a lock the migration needs. Application queries queue
// behind retort's lock request, but only for lock_timeout at a time: across every retry, none
// of them waits for longer (they run with a lock_timeout of their own, four times retort's, and
// none may fail), and retort gives up after its retries with a message naming the cause.
TEST(LockStorm, ApplicationQueriesNeverWaitLongerThanLockTimeout) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, "lock_storm",
                  "lock_timeout = \"250ms\"\nlock_retries = 3\nlock_retry_base = \"100ms\"\n");
  project.Add("CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL DEFAULT 0);");
  project.Add("ALTER TABLE accounts ADD COLUMN note text;");
  ASSERT_EQ(project.Run({"upgrade", "m001"}).exit_code, 0);
  project.Query("INSERT INTO accounts SELECT g FROM generate_series(1, 100) g");

  // The long transaction: a row lock's ROW EXCLUSIVE table lock conflicts with ALTER TABLE.
  auto holder = retort::pg::Connection::Open(pg->ConnInfo(project.database()), "long transaction");
  ASSERT_TRUE(holder.ok());
  ASSERT_TRUE(holder->Execute("BEGIN; UPDATE accounts SET balance = 1 WHERE id = 1").ok());

  TempDir logs;
  ChildProcesses children(logs.path());
  int migrator = children.Start(project.Argv({"upgrade", "head"}), project.path());
  children.Release();
  auto app = retort::pg::Connection::Open(pg->ConnInfo(project.database()), "application");
  ASSERT_TRUE(app.ok());
  ASSERT_TRUE(app->Execute("SET lock_timeout = '1s'").ok());
  int queries = 0;
  int failed = 0;
  std::string first_error;
  while (!children.Exited(migrator)) {
    auto read = app->Execute("SELECT count(*) FROM accounts");
    ++queries;
    if (!read.ok()) {
      ++failed;
      if (first_error.empty()) first_error = read.error.ToString();
    }
  }
  ChildResult result = children.Wait(migrator);
  EXPECT_EQ(result.exit_code, 1) << Describe({result});
  EXPECT_NE(result.err.find("gave up after 3 retries"), std::string::npos) << Describe({result});
  EXPECT_GT(queries, 0);
  EXPECT_EQ(failed, 0) << first_error;
  ASSERT_TRUE(holder->Execute("COMMIT").ok());
  CommandOutput retry = project.Run({"upgrade", "head"});
  EXPECT_EQ(retry.exit_code, 0) << Describe(retry);
}

// A CONCURRENTLY build waits, by design, for the transactions older than it, through lock
// waits. lock_timeout is there to keep application queries from queueing behind retort, which a
// CONCURRENTLY statement never makes them do: under lock_timeout one long transaction failed the
// build, and its retry then failed on the INVALID index the first attempt left ("already
// exists"). The build must outwait lock_timeout many times over and succeed.
TEST(LockStorm, ConcurrentIndexBuildOutwaitsLockTimeout) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, "cic_wait",
                  "lock_timeout = \"200ms\"\nlock_retries = 2\nlock_retry_base = \"50ms\"\n");
  project.Add("CREATE TABLE events (id int PRIMARY KEY, kind text);");
  project.Add("CREATE INDEX CONCURRENTLY events_kind ON events (kind);",
              "DROP INDEX CONCURRENTLY events_kind;", /*transactional=*/false);
  ASSERT_EQ(project.Run({"upgrade", "m001"}).exit_code, 0);

  // An open writer of the table: the build's first phase waits for it to end.
  auto writer = retort::pg::Connection::Open(pg->ConnInfo(project.database()), "open writer");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->Execute("BEGIN; INSERT INTO events VALUES (1, 'a')").ok());

  TempDir logs;
  ChildProcesses children(logs.path());
  int migrator = children.Start(project.Argv({"upgrade", "head"}), project.path());
  children.Release();
  // Waiting at least ten lock_timeouts (and three times retort's whole retry budget) proves
  // that none applies to it; the build exits 1 at the first if one does.
  bool waited = Eventually([&] {
    return children.Exited(migrator) ||
           project.Scalar(
               "SELECT count(*) FROM pg_stat_activity WHERE query LIKE "
               "'CREATE INDEX CONCURRENTLY events_kind%' AND wait_event_type = "
               "'Lock' AND now() - query_start > interval '2s'") == "1";
  });
  EXPECT_TRUE(waited);
  EXPECT_FALSE(children.Exited(migrator)) << Describe({children.Wait(migrator)});
  ASSERT_TRUE(writer->Execute("COMMIT").ok());
  ChildResult result = children.Wait(migrator);
  EXPECT_EQ(result.exit_code, 0) << Describe({result});
  EXPECT_EQ(project.Scalar("SELECT version_num FROM retort_version"), "m002");
  EXPECT_EQ(project.Scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = "
                           "'events_kind'::regclass"),
            "t");
  // retort's own lock_timeout is back for the statements after it.
  EXPECT_EQ(result.err.find("55P03"), std::string::npos) << result.err;
}

// Sixteen deployers × twenty rounds: in each round, twelve run `upgrade head` and four
// `downgrade -1`, all released at once. Each migration's up step inserts a ledger row and its
// down step deletes it, and the history must alternate up/down for every revision: a step run
// twice shows up in either. Every process exits 0 (or says "already at"), and no lock is left.
TEST(Races, SixteenDeployersTwentyRoundsWithDowngrades) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, "races");
  project.Query("CREATE TABLE ledger (revision text PRIMARY KEY)");
  for (int i = 1; i <= 6; ++i) {
    std::string revision = "m00" + std::to_string(i);
    project.Add("INSERT INTO ledger VALUES ('" + revision + "');",
                "DELETE FROM ledger WHERE revision = '" + revision + "';", i % 3 != 0);
  }
  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  std::mt19937 random(17);
  for (int round = 0; round < 20; ++round) {
    TempDir logs;
    ChildProcesses children(logs.path());
    std::vector<bool> downgrades(16, false);
    for (int i = 0; i < 4; ++i) downgrades[random() % 16] = true;
    for (int i = 0; i < 16; ++i) {
      children.Start(
          project.Argv(downgrades[static_cast<size_t>(i)]
                           ? std::vector<std::string>{"downgrade", "-1", "--lock-wait", "120s"}
                           : std::vector<std::string>{"upgrade", "head", "--lock-wait", "120s"}),
          project.path());
    }
    children.Release();
    auto results = children.WaitAll();
    for (const ChildResult& result : results) {
      ASSERT_EQ(result.exit_code, 0) << "round " << round << "\n" << Describe(results);
    }
    // The ledger holds exactly the applied revisions.
    std::string version = project.Scalar("SELECT version_num FROM retort_version");
    int applied = version.empty() ? 0 : std::stoi(version.substr(1));
    EXPECT_EQ(project.Scalar("SELECT count(*) FROM ledger"), std::to_string(applied))
        << "round " << round;
  }
  // Per revision, the history alternates up, down, up, ...: no step ran twice in a row.
  Rows doubled = project.Query(
      "SELECT revision, id FROM (SELECT revision, id, direction, lag(direction) OVER "
      "(PARTITION BY revision ORDER BY id) AS previous FROM retort_history WHERE direction IN "
      "('up', 'down')) h WHERE direction = previous");
  EXPECT_TRUE(doubled.empty()) << doubled.size() << " steps ran twice in a row";
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"), "0");
  EXPECT_EQ(project.Scalar("SELECT to_regclass('retort_progress') IS NULL"), "t");
}

}  // namespace
}  // namespace retort::testing
