// Transaction-aware execution and lock timeouts, end to end with the built binary against a real
// server: statements that cannot run in a transaction and enum values used before their commit
// are refused before anything runs; a migration outside a transaction that fails is recorded as
// partially applied (`current` shows it) and resumes where it stopped; a failed CREATE INDEX
// CONCURRENTLY leaves an INVALID index that the next run drops; a migration that cannot get its
// lock gives up after lock_timeout, lets readers through, and retries.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/files.h"
#include "pg/connection.h"
#include "support/pg_harness.h"

namespace retort::testing {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// Polls a condition (never a timed wait standing in for one), up to `limit`.
bool Eventually(const std::function<bool()>& condition,
                std::chrono::seconds limit = std::chrono::seconds(30)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// A project directory and a fresh database.
class Project {
 public:
  Project(PgHarness* pg, const std::string& migrations_settings = "")
      : pg_(pg), database_(pg->CreateDatabase("safe")) {
    dir_.Write("retort.toml", "[database]\nurl = \"" + pg_->Url(database_) +
                                  "\"\n\n[migrations]\nscript_location = \"migrations\"\n" +
                                  migrations_settings);
  }

  // Writes migrations/versions/<id>.sql; returns its path.
  std::string Write(const std::string& id, const std::string& revises, const std::string& upgrade,
                    const std::string& downgrade = "", bool transactional = true) const {
    std::string text = "-- retort:revision " + id + "\n-- retort:revises " + revises +
                       "\n-- retort:message migration " + id + "\n" +
                       (transactional ? "" : "-- retort:transaction none\n") +
                       "\n-- retort:upgrade\n" + upgrade + "\n\n-- retort:downgrade\n" + downgrade +
                       "\n";
    return dir_.Write("migrations/versions/" + id + ".sql", text);
  }

  CommandOutput Run(const std::vector<std::string>& args) const {
    return RunRetort(args, dir_.path());
  }
  Rows Query(const std::string& sql) const { return pg_->Query(database_, sql); }
  std::string Scalar(const std::string& sql) const { return pg_->Scalar(database_, sql); }
  std::string Version() const {
    return Scalar("SELECT coalesce(string_agg(version_num, ','), '') FROM retort_version");
  }
  std::string ConnInfo() const { return pg_->ConnInfo(database_); }
  const std::string& path() const { return dir_.path(); }

 private:
  PgHarness* pg_;
  std::string database_;
  TempDir dir_;
};

// The line of `needle` in the file at `path` (1-based; 0 when absent).
int LineIn(const std::string& path, const std::string& needle) {
  auto text = ReadFile(path);
  if (!text.ok()) return 0;
  size_t at = text->find(needle);
  if (at == std::string::npos) return 0;
  return 1 +
         static_cast<int>(std::count(text->begin(), text->begin() + static_cast<long>(at), '\n'));
}

// `retort ARGS` running in the background, stdout and stderr in files the test can read while it
// runs. Killed and reaped if still running when this dies.
class Background {
 public:
  Background(const std::vector<std::string>& args, const std::string& cwd) {
    out_path_ = JoinPath(logs_.path(), "out");
    err_path_ = JoinPath(logs_.path(), "err");
    std::vector<std::string> argv = {RETORT_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> c_args;
    for (std::string& arg : argv) c_args.push_back(arg.data());
    c_args.push_back(nullptr);
    int null_in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out = ::open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    pid_ = ::fork();
    if (pid_ == 0) {
      if (::dup2(null_in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0 ||
          ::chdir(cwd.c_str()) != 0) {
        ::_exit(126);
      }
      ::execv(c_args[0], c_args.data());
      ::_exit(127);
    }
    for (int fd : {null_in, out, err}) ::close(fd);
    if (pid_ < 0) ADD_FAILURE() << "fork: " << std::strerror(errno);
  }
  ~Background() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      (void)Wait();
    }
  }
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  std::string Stderr() const {
    auto text = ReadFile(err_path_);
    return text.ok() ? *text : "";
  }
  bool Exited() {
    if (reaped_) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
    Reap(status);
    return true;
  }
  CommandOutput Wait() {
    if (!reaped_) {
      int status = 0;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      Reap(status);
    }
    return result_;
  }

 private:
  void Reap(int status) {
    reaped_ = true;
    result_.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    auto out = ReadFile(out_path_);
    result_.out = out.ok() ? *out : "";
    result_.err = Stderr();
  }

  TempDir logs_;
  std::string out_path_;
  std::string err_path_;
  pid_t pid_ = -1;
  bool reaped_ = false;
  CommandOutput result_;
};

// ---------------------------------------------------------------------------------------------
// Refused before anything runs

TEST(TransactionAware, ConcurrentIndexInATransactionalMigrationIsRefusedBeforeAnythingRuns) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none", "CREATE TABLE t (id int PRIMARY KEY, a int);", "DROP TABLE t;");
  std::string path = project.Write("r2", "r1",
                                   "CREATE TABLE u (id int);\n"
                                   "CREATE INDEX CONCURRENTLY ix_t_a ON t (a);",
                                   "DROP TABLE u;");

  CommandOutput upgraded = project.Run({"upgrade", "head"});

  EXPECT_EQ(upgraded.exit_code, 2) << Describe(upgraded);
  int line = LineIn(path, "CREATE INDEX CONCURRENTLY");
  EXPECT_NE(upgraded.err.find(path + ":" + std::to_string(line) + ":"), std::string::npos)
      << upgraded.err;
  EXPECT_NE(upgraded.err.find("cannot run inside a transaction block"), std::string::npos)
      << upgraded.err;
  EXPECT_NE(upgraded.err.find("-- retort:transaction none"), std::string::npos) << upgraded.err;
  // Not even r1, which is fine on its own, ran.
  EXPECT_EQ(project.Scalar("SELECT to_regclass('public.t') IS NULL"), "t");
  EXPECT_EQ(project.Scalar("SELECT to_regclass('public.retort_version') IS NULL"), "t");

  CommandOutput script = project.Run({"upgrade", "head", "--sql"});
  EXPECT_EQ(script.exit_code, 2) << Describe(script);
  EXPECT_EQ(script.out, "");
}

TEST(TransactionAware, EnumValueAddedAndUsedInOneTransactionIsRefused) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none",
                "CREATE TYPE mood AS ENUM ('ok', 'sad');\n"
                "CREATE TABLE people (id int PRIMARY KEY, m mood);\n"
                "INSERT INTO people VALUES (1, 'ok');");
  std::string path = project.Write("r2", "r1",
                                   "ALTER TYPE mood ADD VALUE 'great' AFTER 'ok';\n"
                                   "UPDATE people SET m = 'great' WHERE id = 1;");
  CommandOutput first = project.Run({"upgrade", "r1"});
  ASSERT_EQ(first.exit_code, 0) << Describe(first);

  CommandOutput refused = project.Run({"upgrade", "head"});

  EXPECT_EQ(refused.exit_code, 2) << Describe(refused);
  EXPECT_NE(refused.err.find(path + ":" + std::to_string(LineIn(path, "UPDATE people")) + ":"),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("'great'"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("before the transaction that added it commits"), std::string::npos)
      << refused.err;
  EXPECT_EQ(project.Version(), "r1");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_enum WHERE enumlabel = 'great'"), "0");

  // The fix the message names: outside a transaction the value is committed before its use.
  project.Write("r2", "r1",
                "ALTER TYPE mood ADD VALUE 'great' AFTER 'ok';\n"
                "UPDATE people SET m = 'great' WHERE id = 1;",
                "", /*transactional=*/false);
  CommandOutput fixed = project.Run({"upgrade", "head"});
  EXPECT_EQ(fixed.exit_code, 0) << Describe(fixed);
  EXPECT_EQ(project.Scalar("SELECT m FROM people WHERE id = 1"), "great");
}

// ---------------------------------------------------------------------------------------------
// Partially applied migrations

constexpr char kLogTable[] = "CREATE TABLE applied_log (step text NOT NULL);";

std::string FourStatements(const std::string& third) {
  return "INSERT INTO applied_log VALUES ('s1');\n"
         "INSERT INTO applied_log VALUES ('s2');\n" +
         third +
         "\n"
         "INSERT INTO applied_log VALUES ('s4');";
}

TEST(PartialMigration, CurrentShowsItAndUpgradeResumesAtTheFailedStatement) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none", kLogTable);
  std::string path =
      project.Write("r2", "r1", FourStatements("INSERT INTO no_such_table VALUES ('s3');"), "",
                    /*transactional=*/false);

  CommandOutput failed = project.Run({"upgrade", "head"});

  ASSERT_EQ(failed.exit_code, 1) << Describe(failed);
  int third_line = LineIn(path, "no_such_table");
  EXPECT_NE(failed.err.find(path + ":" + std::to_string(third_line)), std::string::npos)
      << failed.err;
  EXPECT_NE(failed.err.find("partially applied at statement 3 of 4 of r2"), std::string::npos)
      << failed.err;
  EXPECT_EQ(project.Version(), "r1");
  EXPECT_EQ(project.Query("SELECT step FROM applied_log ORDER BY step"), (Rows{{"s1"}, {"s2"}}));

  CommandOutput current = project.Run({"current"});
  ASSERT_EQ(current.exit_code, 0) << Describe(current);
  EXPECT_NE(current.out.find("r1 (current)"), std::string::npos) << current.out;
  EXPECT_NE(current.out.find("r2 (partially applied: upgrade stopped at statement 3 of 4, " + path +
                             ":" + std::to_string(third_line) + ")"),
            std::string::npos)
      << current.out;
  EXPECT_NE(current.out.find("no_such_table"), std::string::npos) << current.out;
  CommandOutput json_current = project.Run({"current", "--format", "json"});
  ASSERT_EQ(json_current.exit_code, 0) << Describe(json_current);
  auto document = nlohmann::json::parse(json_current.out);
  ASSERT_EQ(document["partial"].size(), 1u) << json_current.out;
  EXPECT_EQ(document["partial"][0]["revision"], "r2");
  EXPECT_EQ(document["partial"][0]["direction"], "up");
  EXPECT_EQ(document["partial"][0]["statement"], 3);
  EXPECT_EQ(document["partial"][0]["statement_count"], 4);
  EXPECT_EQ(document["partial"][0]["line"], third_line);

  // A run that would leave it behind (or undo what lies under it) is refused.
  CommandOutput downgrade = project.Run({"downgrade", "base"});
  EXPECT_EQ(downgrade.exit_code, 2) << Describe(downgrade);
  EXPECT_NE(downgrade.err.find("r2 is partially applied"), std::string::npos) << downgrade.err;
  EXPECT_EQ(project.Version(), "r1");

  // Unfixed, it fails at the same statement without running 1 and 2 again.
  CommandOutput again = project.Run({"upgrade", "head"});
  EXPECT_EQ(again.exit_code, 1) << Describe(again);
  EXPECT_NE(again.err.find("resuming r2 (upgrade) at statement 3 of 4"), std::string::npos)
      << again.err;
  EXPECT_EQ(project.Query("SELECT step FROM applied_log ORDER BY step"), (Rows{{"s1"}, {"s2"}}));

  project.Write("r2", "r1", FourStatements("INSERT INTO applied_log VALUES ('s3');"), "",
                /*transactional=*/false);
  CommandOutput resumed = project.Run({"upgrade", "head"});

  ASSERT_EQ(resumed.exit_code, 0) << Describe(resumed);
  EXPECT_NE(resumed.err.find("resuming r2 (upgrade) at statement 3 of 4"), std::string::npos)
      << resumed.err;
  EXPECT_EQ(project.Query("SELECT step, count(*) FROM applied_log GROUP BY step ORDER BY step"),
            (Rows{{"s1", "1"}, {"s2", "1"}, {"s3", "1"}, {"s4", "1"}}));
  EXPECT_EQ(project.Version(), "r2");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM retort_history WHERE revision = 'r2'"), "1");
  // Nothing is left over: no progress table, nothing partial.
  EXPECT_EQ(project.Scalar("SELECT to_regclass('public.retort_progress') IS NULL"), "t");
  CommandOutput after = project.Run({"current", "--format", "json"});
  EXPECT_EQ(nlohmann::json::parse(after.out)["partial"].size(), 0u) << after.out;
}

// The new session of a resumed run has none of the settings the earlier run's statements made:
// they are made again, so that the statements after the resume point run as written.
TEST(PartialMigration, ResumeReplaysTheSessionSettingsThatRanBefore) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none", kLogTable);
  auto body = [](const std::string& third) {
    return "SET check_function_bodies = off;\n"
           "INSERT INTO applied_log VALUES ('s2');\n" +
           third +
           "\n"
           // Its body names a table created below: refused unless check_function_bodies is off.
           "CREATE FUNCTION later_count() RETURNS bigint LANGUAGE sql AS "
           "'SELECT count(*) FROM later_table';\n"
           "CREATE TABLE later_table (a int);";
  };
  project.Write("r2", "r1", body("SELECT 1 / 0;"), "", /*transactional=*/false);
  CommandOutput failed = project.Run({"upgrade", "head"});
  ASSERT_EQ(failed.exit_code, 1) << Describe(failed);

  std::string path = project.Write("r2", "r1", body("SELECT 1;"), "", /*transactional=*/false);
  CommandOutput resumed = project.Run({"upgrade", "head"});

  ASSERT_EQ(resumed.exit_code, 0) << Describe(resumed);
  EXPECT_NE(resumed.err.find("replaying the session setting of statement 1 of 5 (" + path + ":" +
                             std::to_string(LineIn(path, "check_function_bodies")) +
                             ") before resuming: SET check_function_bodies = off"),
            std::string::npos)
      << resumed.err;
  EXPECT_EQ(project.Version(), "r2");
  EXPECT_EQ(project.Scalar("SELECT later_count()"), "0");
  EXPECT_EQ(project.Query("SELECT step FROM applied_log"), (Rows{{"s2"}}));
}

TEST(PartialMigration, AStatementThatAlreadyRanMustNotChange) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none", kLogTable);
  project.Write("r2", "r1", FourStatements("SELECT 1 / 0;"), "", /*transactional=*/false);
  CommandOutput failed = project.Run({"upgrade", "head"});
  ASSERT_EQ(failed.exit_code, 1) << Describe(failed);

  // Statement 1 edited (another value) along with the fix of statement 3.
  std::string edited =
      "INSERT INTO applied_log VALUES ('s1 edited');\n"
      "INSERT INTO applied_log VALUES ('s2');\n"
      "SELECT 1;\n"
      "INSERT INTO applied_log VALUES ('s4');";
  std::string path = project.Write("r2", "r1", edited, "", /*transactional=*/false);
  CommandOutput refused = project.Run({"upgrade", "head"});

  EXPECT_EQ(refused.exit_code, 2) << Describe(refused);
  EXPECT_NE(refused.err.find(path + ":" + std::to_string(LineIn(path, "s1 edited")) + ":"),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("statement 1 is no longer the statement that ran"), std::string::npos)
      << refused.err;
  EXPECT_EQ(project.Query("SELECT step FROM applied_log ORDER BY step"), (Rows{{"s1"}, {"s2"}}));

  // Formatting and comments are not changes.
  project.Write("r2", "r1",
                "insert   into applied_log\n  values ('s1');  -- reformatted\n"
                "INSERT INTO applied_log VALUES ('s2');\nSELECT 1;\n"
                "INSERT INTO applied_log VALUES ('s4');",
                "", /*transactional=*/false);
  CommandOutput resumed = project.Run({"upgrade", "head"});
  EXPECT_EQ(resumed.exit_code, 0) << Describe(resumed);
  EXPECT_EQ(project.Query("SELECT step FROM applied_log ORDER BY step"),
            (Rows{{"s1"}, {"s2"}, {"s4"}}));
}

TEST(PartialMigration, StampForgetsAPartialMigration) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none", kLogTable);
  project.Write("r2", "r1", FourStatements("SELECT 1 / 0;"), "", /*transactional=*/false);
  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 1);

  CommandOutput stamped = project.Run({"stamp", "r1"});
  ASSERT_EQ(stamped.exit_code, 0) << Describe(stamped);
  CommandOutput current = project.Run({"current", "--format", "json"});
  EXPECT_EQ(nlohmann::json::parse(current.out)["partial"].size(), 0u) << current.out;
  CommandOutput downgraded = project.Run({"downgrade", "base"});
  EXPECT_EQ(downgraded.exit_code, 0) << Describe(downgraded);
}

TEST(FailedConcurrentIndex, LeavesAnInvalidIndexThatTheNextRunDropsBeforeBuildingIt) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none",
                std::string(kLogTable) +
                    "\nCREATE TABLE accounts (id int PRIMARY KEY, email text NOT NULL);\n"
                    "INSERT INTO accounts SELECT g, 'user' || (g % 90) FROM generate_series(1, "
                    "100) g;");
  std::string path = project.Write("r2", "r1",
                                   "INSERT INTO applied_log VALUES ('s1');\n"
                                   "CREATE UNIQUE INDEX CONCURRENTLY ux_accounts_email ON "
                                   "accounts (email);",
                                   "DROP INDEX CONCURRENTLY ux_accounts_email;",
                                   /*transactional=*/false);

  CommandOutput failed = project.Run({"upgrade", "head"});

  ASSERT_EQ(failed.exit_code, 1) << Describe(failed);
  EXPECT_NE(failed.err.find("left INVALID index public.ux_accounts_email"), std::string::npos)
      << failed.err;
  EXPECT_EQ(project.Scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = "
                           "'public.ux_accounts_email'::regclass"),
            "f");

  // The fix: a statement before the index that removes the duplicates (statement 1, which ran,
  // stays as it is).
  project.Write("r2", "r1",
                "INSERT INTO applied_log VALUES ('s1');\n"
                "DELETE FROM accounts a USING accounts b WHERE a.email = b.email AND a.id > b.id;\n"
                "CREATE UNIQUE INDEX CONCURRENTLY ux_accounts_email ON accounts (email);",
                "DROP INDEX CONCURRENTLY ux_accounts_email;", /*transactional=*/false);
  CommandOutput resumed = project.Run({"upgrade", "head"});

  ASSERT_EQ(resumed.exit_code, 0) << Describe(resumed);
  EXPECT_NE(resumed.err.find("found INVALID index public.ux_accounts_email"), std::string::npos)
      << resumed.err;
  EXPECT_NE(resumed.err.find("DROP INDEX CONCURRENTLY IF EXISTS public.ux_accounts_email"),
            std::string::npos)
      << resumed.err;
  EXPECT_EQ(project.Scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = "
                           "'public.ux_accounts_email'::regclass"),
            "t");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM accounts"), "90");
  EXPECT_EQ(project.Query("SELECT step FROM applied_log"), (Rows{{"s1"}}));
  EXPECT_EQ(project.Version(), "r2");
  (void)path;
}

// ---------------------------------------------------------------------------------------------
// Lock timeouts with retry

// A session of the test's own holding ACCESS SHARE on a table in an open transaction, as a long
// report would: it conflicts with ALTER TABLE's ACCESS EXCLUSIVE.
class LockHolder {
 public:
  LockHolder(const std::string& conninfo, const std::string& table) {
    auto connection = pg::Connection::Open(conninfo, "safety-test-holder");
    if (!connection.ok()) {
      ADD_FAILURE() << connection.status().message();
      return;
    }
    connection_.emplace(std::move(*connection));
    auto locked = connection_->Execute("BEGIN; LOCK TABLE " + table + " IN ACCESS SHARE MODE");
    if (!locked.ok()) ADD_FAILURE() << locked.error.ToString();
  }
  void Release() {
    if (connection_) (void)connection_->Execute("ROLLBACK");
    connection_.reset();
  }

 private:
  std::optional<pg::Connection> connection_;
};

constexpr char kOrders[] =
    "CREATE TABLE orders (id int PRIMARY KEY, total numeric);\n"
    "INSERT INTO orders SELECT g, g * 1.5 FROM generate_series(1, 1000) g;";

TEST(LockTimeouts, MigrationRetriesReadersGetThroughAndItSucceedsOnceTheHolderLeaves) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg,
                  "lock_timeout = \"100ms\"\nlock_retries = 100\nlock_retry_base = \"20ms\"\n"
                  "lock_retry_max = \"200ms\"\n");
  project.Write("r1", "none", kOrders);
  std::string path = project.Write("r2", "r1", "ALTER TABLE orders ADD COLUMN currency text;");
  ASSERT_EQ(project.Run({"upgrade", "r1"}).exit_code, 0);

  LockHolder holder(project.ConnInfo(), "orders");
  Background migrator({"upgrade", "head"}, project.path());
  bool retried = Eventually([&] {
    return migrator.Stderr().find("retry 2/100") != std::string::npos || migrator.Exited();
  });
  ASSERT_TRUE(retried) << "no retry logged: " << migrator.Stderr();
  ASSERT_FALSE(migrator.Exited()) << Describe(migrator.Wait());

  // Readers while retort keeps asking for ACCESS EXCLUSIVE: each waits at most lock_timeout
  // behind it, so each completes well inside its own statement_timeout.
  auto reader = pg::Connection::Open(project.ConnInfo(), "safety-test-reader");
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  ASSERT_TRUE(reader->Execute("SET statement_timeout = '2s'").ok());
  int reads = 0;
  while (migrator.Stderr().find("retry 6/100") == std::string::npos && !migrator.Exited()) {
    auto read = reader->Execute("SELECT count(*) FROM orders");
    ASSERT_TRUE(read.ok()) << "a reader was blocked: " << read.error.ToString();
    EXPECT_EQ(read.value->Get(0, 0), "1000");
    ++reads;
  }
  EXPECT_GT(reads, 0);
  EXPECT_EQ(project.Version(), "r1");

  holder.Release();
  CommandOutput result = migrator.Wait();

  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  std::string where =
      "statement 1 of 1 (" + path + ":" + std::to_string(LineIn(path, "ALTER TABLE")) + ")";
  EXPECT_NE(result.err.find("lock timeout on " + where + ", retry 1/100 in "), std::string::npos)
      << result.err;
  EXPECT_EQ(project.Version(), "r2");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = "
                           "'orders' AND column_name = 'currency'"),
            "1");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM retort_history WHERE revision = 'r2'"), "1");
}

TEST(LockTimeouts, WhenRetriesRunOutTheVersionIsUnchanged) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, "lock_timeout = \"50ms\"\nlock_retries = 2\nlock_retry_base = \"10ms\"\n");
  project.Write("r1", "none", kOrders);
  project.Write("r2", "r1", "ALTER TABLE orders ADD COLUMN currency text;");
  ASSERT_EQ(project.Run({"upgrade", "r1"}).exit_code, 0);

  LockHolder holder(project.ConnInfo(), "orders");
  CommandOutput result = project.Run({"upgrade", "head"});

  EXPECT_EQ(result.exit_code, 1) << Describe(result);
  EXPECT_NE(result.err.find("retry 1/2"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("retry 2/2"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("retry 3/"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("gave up after 2 retries"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("lock timeout"), std::string::npos) << result.err;
  EXPECT_EQ(project.Version(), "r1");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = "
                           "'orders' AND column_name = 'currency'"),
            "0");
  holder.Release();
}

TEST(LockTimeouts, AStatementOutsideATransactionIsRetriedOnItsOwn) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg,
                  "lock_timeout = \"50ms\"\nlock_retries = 100\nlock_retry_base = \"10ms\"\n"
                  "lock_retry_max = \"100ms\"\n");
  project.Write("r1", "none", std::string(kOrders) + "\n" + kLogTable);
  project.Write("r2", "r1",
                "INSERT INTO applied_log VALUES ('before');\n"
                "ALTER TABLE orders ADD COLUMN currency text;",
                "", /*transactional=*/false);
  ASSERT_EQ(project.Run({"upgrade", "r1"}).exit_code, 0);

  LockHolder holder(project.ConnInfo(), "orders");
  Background migrator({"upgrade", "head"}, project.path());
  bool retried = Eventually([&] {
    return migrator.Stderr().find("retry 1/100") != std::string::npos || migrator.Exited();
  });
  ASSERT_TRUE(retried) << migrator.Stderr();
  holder.Release();
  CommandOutput result = migrator.Wait();

  EXPECT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_NE(result.err.find("lock timeout on statement 2 of 2"), std::string::npos) << result.err;
  // Only the statement was retried, not the one before it.
  EXPECT_EQ(project.Query("SELECT step FROM applied_log"), (Rows{{"before"}}));
  EXPECT_EQ(project.Version(), "r2");
}

}  // namespace
}  // namespace retort::testing
