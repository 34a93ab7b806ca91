// The migration lock against a real server and real retort processes: racing deployers apply
// every migration exactly once, CREATE INDEX CONCURRENTLY is not stalled by queued deployers, a
// killed migrator leaves a consistent version table and no stuck lock, and up-to-date databases
// never queue behind a running migrator.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/files.h"
#include "pg/connection.h"
#include "support/child_processes.h"
#include "support/pg_harness.h"

namespace retort::testing {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// Revision ids r01, r02, ...
std::string Rev(int number) { return (number < 10 ? "r0" : "r") + std::to_string(number); }

struct MigrationSpec {
  std::string upgrade;
  bool transactional = true;
};

// Migration `number` of the standard chain: a table, an index, and a row in applied_log, so
// that running it twice either fails or shows up as a second row.
MigrationSpec TableMigration(int number) {
  std::string table = "t_" + Rev(number);
  MigrationSpec spec;
  if (number == 1) spec.upgrade = "CREATE TABLE applied_log (revision text NOT NULL);\n";
  spec.upgrade += "CREATE TABLE " + table + " (id int PRIMARY KEY, v text);\n" +
                  "CREATE INDEX ix_" + table + "_v ON " + table + " (v);\n" +
                  "INSERT INTO applied_log (revision) VALUES ('" + Rev(number) + "');\n";
  return spec;
}

// A table with enough rows that building an index on it is real work.
MigrationSpec FilledTableMigration(int number) {
  MigrationSpec spec;
  spec.upgrade =
      "CREATE TABLE trips (id int PRIMARY KEY, traveler text NOT NULL);\n"
      "INSERT INTO trips SELECT g, 'traveler ' || (g % 997) FROM generate_series(1, 20000) g;\n"
      "INSERT INTO applied_log (revision) VALUES ('" +
      Rev(number) + "');\n";
  return spec;
}

// Outside a transaction, as CREATE INDEX CONCURRENTLY requires.
MigrationSpec ConcurrentIndexMigration(int number) {
  MigrationSpec spec;
  spec.transactional = false;
  spec.upgrade =
      "CREATE INDEX CONCURRENTLY ix_trips_traveler ON trips (traveler);\n"
      "INSERT INTO applied_log (revision) VALUES ('" +
      Rev(number) + "');\n";
  return spec;
}

// A project directory (retort.toml + migrations/versions/) for one fresh database.
class Project {
 public:
  Project(PgHarness* pg, std::string database, const std::string& extra_migrations_config = "")
      : pg_(pg), database_(std::move(database)) {
    dir_.Write("retort.toml", "[database]\nurl = \"" + pg_->Url(database_) +
                                  "\"\n\n[migrations]\nscript_location = \"migrations\"\n"
                                  "version_table = \"retort_version\"\n"
                                  // Generous, so that only the migration lock can time out.
                                  "lock_timeout = \"60s\"\n"
                                  "statement_timeout = \"0\"\n" +
                                  extra_migrations_config);
  }

  // Writes migration `number`, revising `number - 1` (a root for 1).
  void WriteMigration(int number, const MigrationSpec& spec) const {
    std::string text = "-- retort:revision " + Rev(number) + "\n";
    text += "-- retort:revises " + (number == 1 ? std::string("none") : Rev(number - 1)) + "\n";
    text += "-- retort:message migration " + std::to_string(number) + "\n";
    if (!spec.transactional) text += "-- retort:transaction none\n";
    text += "\n-- retort:upgrade\n" + spec.upgrade;
    dir_.Write("migrations/versions/" + Rev(number) + ".sql", text);
  }

  void WriteChain(int count) const {
    for (int number = 1; number <= count; ++number) WriteMigration(number, TableMigration(number));
  }

  std::vector<std::string> RetortArgv(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {RetortBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  CommandOutput Run(const std::vector<std::string>& args) const {
    return RunRetort(args, dir_.path());
  }

  Rows Query(const std::string& sql) const { return pg_->Query(database_, sql); }
  std::string Scalar(const std::string& sql) const { return pg_->Scalar(database_, sql); }

  const std::string& path() const { return dir_.path(); }
  const std::string& database() const { return database_; }

 private:
  PgHarness* pg_;
  std::string database_;
  TempDir dir_;
};

// One row {revision, "1"} per revision r01..r<count>, as the GROUP BY queries below return.
Rows OncePerRevision(int count) {
  Rows rows;
  for (int number = 1; number <= count; ++number) rows.push_back({Rev(number), "1"});
  return rows;
}

// Each migration ran exactly once, is recorded once, and the database is at r<count>.
void ExpectAppliedOnce(const Project& project, int count) {
  EXPECT_EQ(project.Query("SELECT revision, count(*) FROM applied_log GROUP BY revision "
                          "ORDER BY revision"),
            OncePerRevision(count));
  EXPECT_EQ(project.Query("SELECT revision, count(*) FROM retort_history GROUP BY revision "
                          "ORDER BY revision"),
            OncePerRevision(count));
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM retort_history WHERE direction <> 'up'"), "0");
  EXPECT_EQ(project.Query("SELECT version_num FROM retort_version"), Rows{{Rev(count)}});
}

// Every racer starts `upgrade head` at the same moment.
std::vector<ChildResult> Race(const Project& project, int racers,
                              const std::vector<std::string>& args) {
  TempDir logs;
  ChildProcesses children(logs.path());
  for (int i = 0; i < racers; ++i) children.Start(project.RetortArgv(args), project.path());
  children.Release();
  return children.WaitAll();
}

void ExpectAllSucceeded(const std::vector<ChildResult>& results, size_t racers) {
  ASSERT_EQ(results.size(), racers);
  int failures = 0;
  for (const ChildResult& result : results) failures += result.exit_code == 0 ? 0 : 1;
  EXPECT_EQ(failures, 0) << Describe(results);
}

constexpr char kAdvisoryLocksHere[] =
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

// The key retort takes for the default version table (two-key form, see pg/advisory_lock.cc).
constexpr char kRetortLockKeys[] = "hashtext('retort'), hashtext('public.retort_version')";

// Holds retort's migration lock from a session of the test's own.
class LockHolder {
 public:
  explicit LockHolder(const std::string& conninfo) {
    auto connection = pg::Connection::Open(conninfo, "concurrency-test-holder");
    if (!connection.ok()) {
      ADD_FAILURE() << connection.status().message();
      return;
    }
    connection_.emplace(std::move(*connection));
    auto locked =
        connection_->Execute(std::string("SELECT pg_advisory_lock(") + kRetortLockKeys + ")");
    if (!locked.ok()) ADD_FAILURE() << locked.error.ToString();
  }
  int pid() const { return connection_ ? connection_->BackendPid() : -1; }

  void Unlock() {
    if (!connection_) return;
    auto unlocked =
        connection_->Execute(std::string("SELECT pg_advisory_unlock(") + kRetortLockKeys + ")");
    if (!unlocked.ok() || unlocked.value->Get(0, 0) != "t") {
      ADD_FAILURE() << "cannot release the lock: " << unlocked.error.ToString();
    }
    connection_.reset();
  }

 private:
  std::optional<pg::Connection> connection_;
};

void RaceOnFreshDatabase(int racers) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, pg->CreateDatabase("race"));
  constexpr int kMigrations = 10;
  project.WriteChain(kMigrations);

  auto results = Race(project, racers, {"upgrade", "head", "--lock-wait", "60s"});

  ExpectAllSucceeded(results, static_cast<size_t>(racers));
  ExpectAppliedOnce(project, kMigrations);
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' "
                           "AND indexname LIKE 'ix_t_r%'"),
            std::to_string(kMigrations));
}

TEST(ConcurrentUpgrade, EightRacersApplyEachMigrationOnce) { RaceOnFreshDatabase(8); }

TEST(ConcurrentUpgrade, SixteenRacersApplyEachMigrationOnce) { RaceOnFreshDatabase(16); }

// While one racer builds an index concurrently, the others queue for the migration lock. A
// waiter that holds a snapshot (a blocking pg_advisory_lock call does) makes the CREATE INDEX
// CONCURRENTLY wait for it, while it waits for the lock: the build stalls until the waiters
// give up (--lock-wait) and exit 1. So "every racer exits 0" is the assertion, not a duration.
TEST(ConcurrentUpgrade, QueuedRacersDoNotStallCreateIndexConcurrently) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, pg->CreateDatabase("race_cic"));
  constexpr int kMigrations = 8;
  constexpr int kRacers = 8;
  for (int number = 1; number <= kMigrations; ++number) {
    MigrationSpec spec = TableMigration(number);
    if (number == 4) spec = FilledTableMigration(number);
    if (number == 5) spec = ConcurrentIndexMigration(number);
    project.WriteMigration(number, spec);
  }

  // The racers start while the test holds the lock, so that all of them are queued before any
  // migrates: the index build then surely has waiters.
  LockHolder gate(pg->ConnInfo(project.database()));
  TempDir logs;
  ChildProcesses children(logs.path());
  for (int i = 0; i < kRacers; ++i) {
    children.Start(project.RetortArgv({"upgrade", "head", "--lock-wait", "20s"}), project.path());
  }
  children.Release();
  // Each racer waits for the lock on a session of its own, with this application_name
  // (commands/migrate.cc).
  bool queued = Eventually([&] {
    return project.Scalar(
               "SELECT count(*) FROM pg_stat_activity WHERE datname = "
               "current_database() AND application_name = 'retort migration lock'") ==
           std::to_string(kRacers);
  });
  gate.Unlock();
  auto results = children.WaitAll();

  EXPECT_TRUE(queued) << "not every racer queued for the lock:\n" << Describe(results);
  ExpectAllSucceeded(results, kRacers);
  ExpectAppliedOnce(project, kMigrations);
  EXPECT_EQ(project.Query("SELECT indisvalid, indisready FROM pg_index "
                          "WHERE indexrelid = to_regclass('public.ix_trips_traveler')"),
            (Rows{{"t", "t"}}));
}

// A long statement shows its progress on one line of stderr, read by a second session from
// pg_stat_progress_create_index, and the line is erased when the statement ends, however it
// ends. A writer's open transaction holds CREATE INDEX CONCURRENTLY in its "waiting for writers
// before build" phase until the test commits it or cancels the build.
void ShowsProgressOfAHeldIndexBuild(bool cancel) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, pg->CreateDatabase("progress"));
  project.WriteMigration(1, TableMigration(1));
  project.WriteMigration(2, FilledTableMigration(2));
  project.WriteMigration(3, ConcurrentIndexMigration(3));
  CommandOutput filled = project.Run({"upgrade", Rev(2)});
  ASSERT_EQ(filled.exit_code, 0) << filled.out << filled.err;

  auto writer = pg::Connection::Open(pg->ConnInfo(project.database()), "concurrency-test-writer");
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  auto wrote = writer->Execute("BEGIN; INSERT INTO trips VALUES (0, 'writer')");
  ASSERT_TRUE(wrote.ok()) << wrote.error.ToString();

  TempDir logs;
  ChildProcesses children(logs.path());
  children.Start(project.RetortArgv({"upgrade", "head"}), project.path(),
                 {"RETORT_PROGRESS=always"});
  children.Release();
  const std::string waiting = "statement 1/2 of " + Rev(3) + ": ";
  const std::string phase =
      "CREATE INDEX CONCURRENTLY: waiting for writers before build, lockers 0/1";
  std::string seen;
  bool shown = Eventually([&] {
    auto err = ReadFile(children.err_path(0));
    seen = err.ok() ? *err : "";
    return seen.find(phase) != std::string::npos;
  });
  // Released by the cancel, or by the writer's commit (which never comes before the cancel,
  // so that the build cannot finish first).
  bool cancelled = false;
  if (cancel) {
    cancelled = project.Scalar(
                    "SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() "
                    "AND query LIKE 'CREATE INDEX CONCURRENTLY%'") == "1";
    EXPECT_TRUE(cancelled) << "no running CREATE INDEX CONCURRENTLY to cancel";
  }
  auto commit = [&] {
    auto committed = writer->Execute("COMMIT");
    EXPECT_TRUE(committed.ok()) << committed.error.ToString();
  };
  if (!cancelled) commit();
  ChildResult result = children.Wait(0);
  if (cancelled) commit();

  ASSERT_EQ(result.exit_code, cancel ? 1 : 0) << Describe({result});
  EXPECT_TRUE(shown) << "no progress line naming the phase:\n" << seen;
  // Each redraw starts at the line's start; the last one is erased before anything else.
  size_t last = result.err.rfind("\r\x1b[K" + waiting);
  ASSERT_NE(last, std::string::npos) << result.err;
  size_t erased = result.err.find("\r\x1b[K", last + 1);
  ASSERT_NE(erased, std::string::npos) << result.err;
  EXPECT_EQ(result.err.find('\r', erased + 1), std::string::npos) << result.err;
  if (cancel) {
    EXPECT_NE(result.err.find("canceling statement due to user request", erased), std::string::npos)
        << result.err;
  } else {
    EXPECT_EQ(project.Scalar("SELECT indisvalid FROM pg_index "
                             "WHERE indexrelid = to_regclass('public.ix_trips_traveler')"),
              "t");
  }
}

TEST(StatementProgress, ShowsTheIndexBuildPhaseUntilTheStatementEnds) {
  ShowsProgressOfAHeldIndexBuild(false);
}

TEST(StatementProgress, ACancelledStatementErasesTheLineBeforeItsError) {
  ShowsProgressOfAHeldIndexBuild(true);
}

void ExpectLockReleased(const Project& project) {
  bool released = Eventually([&] { return project.Scalar(kAdvisoryLocksHere) == "0"; });
  EXPECT_TRUE(released) << "advisory locks still held: "
                        << ::testing::PrintToString(project.Query(
                               "SELECT l.pid, l.classid, l.objid, l.objsubid, a.application_name "
                               "FROM pg_locks l LEFT JOIN pg_stat_activity a USING (pid) "
                               "WHERE l.locktype = 'advisory'"));
}

void CreateIndexConcurrentlyUnderTheLock(const std::string& migrations_config) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, pg->CreateDatabase("cic"), migrations_config);
  project.WriteMigration(1, TableMigration(1));
  project.WriteMigration(2, FilledTableMigration(2));
  project.WriteMigration(3, ConcurrentIndexMigration(3));
  project.WriteMigration(4, TableMigration(4));

  CommandOutput upgraded = project.Run({"upgrade", "head", "--lock-wait", "5s"});

  EXPECT_EQ(upgraded.exit_code, 0) << upgraded.out << upgraded.err;
  EXPECT_EQ(project.Scalar("SELECT indisvalid FROM pg_index "
                           "WHERE indexrelid = to_regclass('public.ix_trips_traveler')"),
            "t");
  ExpectAppliedOnce(project, 4);
  ExpectLockReleased(project);
}

TEST(CreateIndexConcurrently, CompletesWhileRetortHoldsItsLock) {
  CreateIndexConcurrentlyUnderTheLock("");
}

// The run's shared transaction must be committed before the non-transactional migration.
TEST(CreateIndexConcurrently, CompletesInASingleTransactionRun) {
  CreateIndexConcurrentlyUnderTheLock("transaction_per_migration = false\n");
}

TEST(KilledMigrator, LeavesAConsistentVersionTableAndNoStuckLock) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, pg->CreateDatabase("kill"));
  project.WriteChain(4);
  MigrationSpec slow = TableMigration(3);
  // The workload being interrupted, not synchronisation: the test waits until it is running.
  slow.upgrade += "SELECT pg_sleep(30);\n";
  project.WriteMigration(3, slow);

  TempDir logs;
  ChildProcesses children(logs.path());
  int migrator = children.Start(project.RetortArgv({"upgrade", "head"}), project.path());
  ASSERT_GE(migrator, 0);
  children.Release();
  std::string sleeping_backend;
  bool running = Eventually([&] {
    sleeping_backend = project.Scalar(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%pg_sleep(30)%'");
    return !sleeping_backend.empty() || children.Exited(migrator);
  });
  ASSERT_TRUE(running) << "migration 3 never started";
  ASSERT_FALSE(sleeping_backend.empty())
      << "retort exited before migration 3 ran: " << children.Wait(migrator).err;

  ASSERT_EQ(::kill(children.pid(migrator), SIGKILL), 0);
  EXPECT_EQ(children.Wait(migrator).exit_code, 128 + SIGKILL);
  // The server only notices the dead client when the sleep ends; end it now, as a DBA would.
  EXPECT_EQ(project.Scalar("SELECT pg_terminate_backend(" + sleeping_backend + ", 20000)"), "t");

  // The lock session died with its connection: nobody has to terminate it.
  ExpectLockReleased(project);
  CommandOutput current = project.Run({"current"});
  EXPECT_EQ(current.exit_code, 0) << current.err;
  EXPECT_NE(current.out.find(Rev(2)), std::string::npos) << current.out;
  EXPECT_EQ(current.out.find(Rev(3)), std::string::npos) << current.out;
  EXPECT_EQ(project.Query("SELECT version_num FROM retort_version"), Rows{{Rev(2)}});
  EXPECT_EQ(project.Scalar("SELECT to_regclass('public.t_r03') IS NULL"), "t");
  EXPECT_EQ(project.Query("SELECT revision FROM applied_log ORDER BY revision"),
            (Rows{{Rev(1)}, {Rev(2)}}));

  project.WriteMigration(3, TableMigration(3));
  CommandOutput resumed = project.Run({"upgrade", "head", "--lock-wait", "5s"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  ExpectAppliedOnce(project, 4);
}

TEST(UpToDateDatabase, DoesNotQueueBehindTheMigrationLock) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, pg->CreateDatabase("noop"));
  project.WriteChain(2);
  CommandOutput first = project.Run({"upgrade", Rev(1)});
  ASSERT_EQ(first.exit_code, 0) << first.err;

  {
    LockHolder holder(pg->ConnInfo(project.database()));
    // Proves the holder's key is retort's: a real upgrade cannot get past it.
    CommandOutput blocked = project.Run({"upgrade", "head", "--lock-wait", "1s"});
    EXPECT_EQ(blocked.exit_code, 1) << blocked.out << blocked.err;
    EXPECT_NE(blocked.err.find("pid " + std::to_string(holder.pid())), std::string::npos)
        << "the error should name the holder: " << blocked.err;
    EXPECT_EQ(project.Query("SELECT version_num FROM retort_version"), Rows{{Rev(1)}});
  }

  CommandOutput upgraded = project.Run({"upgrade", "head", "--lock-wait", "10s"});
  ASSERT_EQ(upgraded.exit_code, 0) << upgraded.err;

  LockHolder holder(pg->ConnInfo(project.database()));
  // A short --lock-wait turns "queued for the lock" into exit 1 instead of a long wait.
  CommandOutput noop = project.Run({"upgrade", "head", "--lock-wait", "2s"});
  EXPECT_EQ(noop.exit_code, 0) << noop.out << noop.err;
  CommandOutput current = project.Run({"current"});
  EXPECT_EQ(current.exit_code, 0) << current.err;
  EXPECT_NE(current.out.find(Rev(2)), std::string::npos) << current.out;
  EXPECT_EQ(project.Query("SELECT version_num FROM retort_version"), Rows{{Rev(2)}});
}

}  // namespace
}  // namespace retort::testing

namespace retort::testing {
namespace {

// A killed migrator's transaction can still be committing when the next deployer takes the lock
// (the lock's own session dies at once). Simulated by a session that does migration 2's work and
// moves the version row, and commits only once retort is blocked. Migration 2 only inserts data,
// so no DDL conflict would save us: without the guard it would run twice.
TEST(VersionGuard, ASecondMigratorStopsInsteadOfApplyingAMigrationTwice) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, pg->CreateDatabase("guard"));
  project.WriteChain(3);
  MigrationSpec data_only;
  data_only.upgrade = "INSERT INTO applied_log (revision) VALUES ('" + Rev(2) + "');\n";
  project.WriteMigration(2, data_only);
  CommandOutput first = project.Run({"upgrade", Rev(1)});
  ASSERT_EQ(first.exit_code, 0) << first.err;

  auto orphan = pg::Connection::Open(pg->ConnInfo(project.database()));
  ASSERT_TRUE(orphan.ok()) << orphan.status().message();
  auto begun =
      orphan->Execute("BEGIN; " + data_only.upgrade + "UPDATE retort_version SET " +
                      "version_num = '" + Rev(2) + "' WHERE version_num = '" + Rev(1) + "'");
  ASSERT_TRUE(begun.ok()) << begun.error.ToString();

  TempDir logs;
  ChildProcesses children(logs.path());
  int deployer = children.Start(project.RetortArgv({"upgrade", "head"}), project.path());
  ASSERT_GE(deployer, 0);
  children.Release();
  bool blocked = Eventually([&] {
    return project.Scalar(
               "SELECT count(*) FROM pg_stat_activity WHERE datname = "
               "current_database() AND wait_event_type = 'Lock' AND "
               "application_name = 'retort'") == "1" ||
           children.Exited(deployer);
  });
  ASSERT_TRUE(blocked) << "retort neither blocked nor exited";
  ASSERT_TRUE(orphan->Execute("COMMIT").ok());

  ChildResult result = children.Wait(deployer);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("is not at " + Rev(1)), std::string::npos) << result.err;
  EXPECT_EQ(project.Query("SELECT revision, count(*) FROM applied_log GROUP BY revision "
                          "ORDER BY revision"),
            OncePerRevision(2));
  EXPECT_EQ(project.Query("SELECT version_num FROM retort_version"), Rows{{Rev(2)}});

  CommandOutput next = project.Run({"upgrade", "head"});
  EXPECT_EQ(next.exit_code, 0) << next.err;
  EXPECT_EQ(project.Query("SELECT revision, count(*) FROM applied_log GROUP BY revision "
                          "ORDER BY revision"),
            OncePerRevision(3));
}

}  // namespace
}  // namespace retort::testing

namespace retort::testing {
namespace {

// The pieces pipelining rests on, against the server itself.
TEST(Pipeline, ExecuteEachKeepsAFailureToItsOwnStatement) {
  RETORT_REQUIRE_PG(pg);
  auto connection = pg::Connection::Open(pg->ConnInfo(pg->CreateDatabase("execute_each")));
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  std::vector<pg::PgOutcome<pg::PgResult>> outcomes =
      connection->ExecuteEach({"SELECT 1", "SELECT * FROM no_such_table", "SELECT 3, 4"});
  ASSERT_EQ(outcomes.size(), 3u);
  ASSERT_TRUE(outcomes[0].ok());
  EXPECT_EQ(outcomes[0].value->Get(0, 0), "1");
  ASSERT_FALSE(outcomes[1].ok());
  EXPECT_EQ(outcomes[1].error.sqlstate, "42P01");
  ASSERT_TRUE(outcomes[2].ok()) << outcomes[2].error.ToString();
  EXPECT_EQ(outcomes[2].value->Get(0, 1), "4");
  // The session is usable afterwards, outside pipeline mode.
  auto after = connection->Execute("SELECT 5");
  ASSERT_TRUE(after.ok()) << after.error.ToString();
  EXPECT_EQ(after.value->Get(0, 0), "5");
}

TEST(Pipeline, SegmentsAfterAFailureAreNeitherSentNorReported) {
  RETORT_REQUIRE_PG(pg);
  auto connection = pg::Connection::Open(pg->ConnInfo(pg->CreateDatabase("segments")));
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  ASSERT_TRUE(connection->Execute("CREATE TABLE seen (segment int)").ok());
  // 40 segments, a window of 4: segment 9 fails in its second statement.
  std::vector<std::string> texts;
  for (int i = 0; i < 40; ++i) {
    texts.push_back("INSERT INTO seen VALUES (" + std::to_string(i) + ")");
  }
  std::vector<size_t> built, waited, completed;
  pg::Connection::SegmentsOutcome outcome = connection->PipelineSegments(
      40, 4,
      [&](size_t i) -> std::optional<std::vector<std::string_view>> {
        built.push_back(i);
        std::vector<std::string_view> statements = {"BEGIN", texts[i]};
        if (i == 9) statements.push_back("SELECT 1 / 0");
        statements.push_back("COMMIT");
        return statements;
      },
      [&](size_t i) { waited.push_back(i); }, [&](size_t i) { completed.push_back(i); });
  ASSERT_TRUE(outcome.failure.has_value());
  EXPECT_EQ(outcome.failure->segment, 9u);
  EXPECT_EQ(outcome.failure->failure.index, 2u);
  EXPECT_EQ(outcome.failure->failure.error.sqlstate, "22012");
  EXPECT_EQ(outcome.completed, 9u);
  EXPECT_EQ(completed, (std::vector<size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(waited, (std::vector<size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  // Never more than the window ahead of the segment being read: 9 was read, 10-12 went out.
  EXPECT_EQ(built.back(), 12u);
  // The segments sent after 9 found the session in its failed transaction and did nothing.
  ASSERT_TRUE(connection->InTransaction());
  ASSERT_TRUE(connection->Execute("ROLLBACK").ok());
  auto seen = connection->Execute("SELECT count(*), max(segment) FROM seen");
  ASSERT_TRUE(seen.ok()) << seen.error.ToString();
  EXPECT_EQ(seen.value->Get(0, 0), "9");
  EXPECT_EQ(seen.value->Get(0, 1), "8");
}

}  // namespace
}  // namespace retort::testing
