// Batched backfills end to end: `-- retort:batch` runs a statement batch by batch (each batch
// committed on its own) until it affects no rows; a failure keeps the committed batches and a
// rerun finishes; a terminal shows a progress bar; directive mistakes are file:line errors; with
// max-lag the backfill waits while a real streaming standby (made by pg_basebackup) is behind.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "base/files.h"
#include "pg/connection.h"
#include "support/pg_harness.h"

namespace retort::testing {
namespace {

namespace fs = std::filesystem;
using Rows = std::vector<std::vector<std::string>>;

bool Eventually(const std::function<bool()>& condition,
                std::chrono::seconds limit = std::chrono::seconds(60)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::string PgBinary(PgHarness* pg, const std::string& name) {
  std::string path = pg->bin_dir() + "/" + name;
  return fs::exists(path) ? path : "/usr/bin/" + name;
}

class Project {
 public:
  explicit Project(PgHarness* pg) : pg_(pg), database_(pg->CreateDatabase("backfill")) {
    dir_.Write("retort.toml", "[database]\nurl = \"" + pg_->Url(database_) +
                                  "\"\n\n[migrations]\nscript_location = \"migrations\"\n");
  }

  std::string Write(const std::string& id, const std::string& revises, const std::string& body,
                    bool transactional = false) const {
    return dir_.Write("migrations/versions/" + id + ".sql",
                      "-- retort:revision " + id + "\n-- retort:revises " + revises + "\n" +
                          (transactional ? "" : "-- retort:transaction none\n") +
                          "\n-- retort:upgrade\n" + body + "\n");
  }

  CommandOutput Run(const std::vector<std::string>& args) const {
    return RunRetort(args, dir_.path());
  }
  // `retort upgrade head` with a pseudo-terminal (from `script`) as stderr; the terminal's
  // output, progress bar included, is in `out`.
  CommandOutput UpgradeOnATerminal() const {
    return RunProgram(
        {"script", "-qefc", std::string(RETORT_BINARY) + " upgrade head", "/dev/null"},
        dir_.path());
  }
  Rows Query(const std::string& sql) const { return pg_->Query(database_, sql); }
  std::string Scalar(const std::string& sql) const { return pg_->Scalar(database_, sql); }
  std::string Version() const {
    return Scalar("SELECT coalesce(string_agg(version_num, ','), '') FROM retort_version");
  }
  const std::string& database() const { return database_; }
  const std::string& path() const { return dir_.path(); }

 private:
  PgHarness* pg_;
  std::string database_;
  TempDir dir_;
};

// The table every backfill here fills: b is NULL until the backfill copies a into it.
std::string Table(int rows) {
  return "CREATE TABLE t (id int PRIMARY KEY, a int NOT NULL, b int);\n"
         "INSERT INTO t SELECT g, g * 2, NULL FROM generate_series(1, " +
         std::to_string(rows) + ") g;";
}

constexpr char kBackfill[] =
    "UPDATE t SET b = a WHERE id IN (SELECT id FROM t WHERE b IS NULL LIMIT :batch_size);";

constexpr char kDone[] = "SELECT count(*) FROM t WHERE b = a";

TEST(Backfill, RunsBatchesUntilNoRowIsLeft) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none", Table(2050), /*transactional=*/true);
  project.Write("r2", "r1", std::string("-- retort:batch size=100\n") + kBackfill);

  CommandOutput upgraded = project.Run({"upgrade", "head"});

  ASSERT_EQ(upgraded.exit_code, 0) << Describe(upgraded);
  EXPECT_EQ(project.Scalar(kDone), "2050");
  // 20 full batches, one of 50, and the empty one that ends the loop.
  EXPECT_NE(upgraded.err.find("2,050 rows in 22 batches of 100"), std::string::npos)
      << upgraded.err;
  EXPECT_NE(upgraded.err.find("longest batch"), std::string::npos) << upgraded.err;
  EXPECT_EQ(project.Version(), "r2");
  // Each batch was a transaction of its own: the rows carry 21 writing transactions, not one.
  // (The statistics views, checked here before, reach other sessions only after the backend
  // flushes them, which raced the test.)
  EXPECT_EQ(project.Scalar("SELECT count(DISTINCT xmin::text) FROM t"), "21");
}

TEST(Backfill, AFailedBatchKeepsTheCommittedOnesAndARerunFinishes) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none",
                Table(1000) +
                    "\nCREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                    "BEGIN IF NEW.id = 777 THEN RAISE EXCEPTION 'row % is poisoned', NEW.id; "
                    "END IF; RETURN NEW; END $$;\n"
                    "CREATE TRIGGER poison BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION "
                    "poison();",
                /*transactional=*/true);
  project.Write("r2", "r1",
                std::string("-- retort:batch size=100\n-- retort:estimate SELECT count(*) FROM t "
                            "WHERE b IS NULL\n") +
                    kBackfill);

  CommandOutput failed = project.Run({"upgrade", "head"});

  ASSERT_EQ(failed.exit_code, 1) << Describe(failed);
  EXPECT_NE(failed.err.find("row 777 is poisoned"), std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find("are committed"), std::string::npos) << failed.err;
  long done = std::stol(project.Scalar(kDone));
  EXPECT_GT(done, 0);
  EXPECT_LT(done, 1000);
  EXPECT_EQ(done % 100, 0) << "a batch was committed in part";
  EXPECT_EQ(project.Version(), "r1");
  CommandOutput current = project.Run({"current"});
  EXPECT_NE(current.out.find("r2 (partially applied: upgrade stopped at statement 1 of 1"),
            std::string::npos)
      << current.out;

  project.Scalar("DROP TRIGGER poison ON t");
  CommandOutput rerun = project.Run({"upgrade", "head"});

  ASSERT_EQ(rerun.exit_code, 0) << Describe(rerun);
  EXPECT_EQ(project.Scalar(kDone), "1000");
  // The rerun only had the rest to do.
  EXPECT_NE(rerun.err.find(std::to_string(1000 - done) + " rows in"), std::string::npos)
      << rerun.err;
  EXPECT_EQ(project.Version(), "r2");
}

// The upgrade finished, and redrew (\r) a bar counting against the 3,000 rows with an ETA.
void ExpectAProgressBarOver3000Rows(const Project& project, const CommandOutput& shown) {
  ASSERT_EQ(shown.exit_code, 0) << Describe(shown);
  EXPECT_EQ(project.Scalar(kDone), "3000");
  EXPECT_NE(shown.out.find("\r"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("/3,000 rows"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("ETA"), std::string::npos) << shown.out;
}

TEST(Backfill, ATerminalShowsAProgressBarWithRateAndEta) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none", Table(3000), /*transactional=*/true);
  project.Write("r2", "r1",
                std::string("-- retort:batch size=100 sleep=10\n"
                            "-- retort:estimate SELECT count(*) FROM t WHERE b IS NULL\n") +
                    kBackfill);

  CommandOutput shown = project.UpgradeOnATerminal();

  ExpectAProgressBarOver3000Rows(project, shown);
  EXPECT_NE(shown.out.find("rows/s"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("%"), std::string::npos) << shown.out;
}

TEST(Backfill, TheScriptLoopsInADoBlockThatCommitsEachBatch) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none", Table(500), /*transactional=*/true);
  project.Write("r2", "r1", std::string("-- retort:batch size=60 sleep=1\n") + kBackfill);

  CommandOutput script = project.Run({"upgrade", "--sql"});
  ASSERT_EQ(script.exit_code, 0) << Describe(script);
  EXPECT_NE(script.out.find("EXECUTE 'UPDATE t SET b = a WHERE id IN (SELECT id FROM t WHERE b IS "
                            "NULL LIMIT 60)';\n    GET DIAGNOSTICS affected = ROW_COUNT;\n    "
                            "COMMIT;"),
            std::string::npos)
      << script.out;
  CommandOutput applied = RunProgram({PgBinary(pg, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                                      "-d", pg->ConnInfo(project.database()), "-f", "-"},
                                     "", {}, script.out);

  ASSERT_EQ(applied.exit_code, 0) << Describe(applied);
  EXPECT_EQ(project.Scalar(kDone), "500");
  EXPECT_EQ(project.Version(), "r2");
}

TEST(Backfill, DirectiveMistakesAreFileAndLineErrors) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none", Table(10), /*transactional=*/true);
  struct Case {
    std::string body;
    bool transactional;
    std::string message;
  };
  const std::vector<Case> cases = {
      {std::string("-- retort:batch\n") + kBackfill, false, "needs size=N"},
      {std::string("-- retort:batch sleep=5\n") + kBackfill, false, "needs size=N"},
      {std::string("-- retort:batch size=lots\n") + kBackfill, false,
       "size in '-- retort:batch' must be a whole number"},
      {std::string("-- retort:batch size=10 speed=5\n") + kBackfill, false,
       "unknown option 'speed'"},
      {std::string("-- retort:batch size=10 max-lag=soon\n") + kBackfill, false,
       "max-lag in '-- retort:batch' must be seconds"},
      {std::string("-- retort:batch size=10\n") + kBackfill, true,
       "mark the file '-- retort:transaction none'"},
      {"-- retort:batch size=10\nUPDATE t SET b = a;", false, "must use :batch_size"},
      {kBackfill, false, ":batch_size is only bound in a batched statement"},
      {std::string("-- retort:estimate SELECT 1\nSELECT 1;"), false,
       "belongs to a batched statement"},
      {std::string("SELECT 1;\n-- retort:batch size=10"), false, "must be followed by a statement"},
  };
  for (const Case& bad : cases) {
    std::string path = project.Write("r2", "r1", bad.body, bad.transactional);
    CommandOutput refused = project.Run({"upgrade", "head"});
    EXPECT_EQ(refused.exit_code, 2) << bad.body << "\n" << Describe(refused);
    EXPECT_NE(refused.err.find(path + ":"), std::string::npos) << bad.body << "\n" << refused.err;
    EXPECT_NE(refused.err.find(bad.message), std::string::npos) << bad.body << "\n" << refused.err;
  }
  // The directive's line is named, and only the directive is reported.
  std::string path =
      project.Write("r2", "r1", std::string("SELECT 1;\n-- retort:batch size=x\n") + kBackfill);
  CommandOutput refused = project.Run({"upgrade", "head"});
  auto text = ReadFile(path);
  ASSERT_TRUE(text.ok());
  int line = 1 + static_cast<int>(std::count(
                     text->begin(), text->begin() + static_cast<long>(text->find("size=x")), '\n'));
  EXPECT_EQ(refused.err, "retort: error: " + path + ":" + std::to_string(line) +
                             ": size in '-- retort:batch' must be a whole number from 1 to "
                             "1000000000 (found 'x')\n");
  EXPECT_EQ(project.Scalar("SELECT to_regclass('public.t') IS NULL"), "t");
}

// ---------------------------------------------------------------------------------------------
// Batching by key: `-- retort:batch size=N key=COLUMN`

// t as above, plus `hits`: one row per update of a row of t (written in the update's
// transaction, so a rolled-back batch leaves none).
std::string CountedTable(const std::string& ids, const std::string& key_type = "bigint") {
  return "CREATE TABLE t (id " + key_type +
         " PRIMARY KEY, a int NOT NULL, b int);\n"
         "INSERT INTO t SELECT " +
         ids +
         ", row_number() OVER () * 2, NULL FROM generate_series(1, 3000) g;\n"
         "CREATE TABLE hits (id " +
         key_type +
         " NOT NULL);\n"
         "CREATE FUNCTION count_hit() RETURNS trigger LANGUAGE plpgsql AS $$\n"
         "BEGIN INSERT INTO hits VALUES (NEW.id); RETURN NEW; END $$;\n"
         "CREATE TRIGGER count_hit AFTER UPDATE ON t FOR EACH ROW EXECUTE FUNCTION count_hit();";
}

// No `AND b IS NULL`: a row visited twice is updated twice, and `hits` shows it.
constexpr char kKeyedBackfill[] =
    "UPDATE t SET b = a WHERE id BETWEEN :batch_start AND :batch_end;";

// Every row of t updated exactly once, with the right value.
void ExpectEveryRowUpdatedOnce(const Project& project, int rows) {
  EXPECT_EQ(project.Scalar(kDone), std::to_string(rows));
  EXPECT_EQ(project.Scalar("SELECT count(*) || ' ' || count(DISTINCT id) FROM hits"),
            std::to_string(rows) + " " + std::to_string(rows));
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM t LEFT JOIN hits USING (id) WHERE hits.id IS "
                           "NULL"),
            "0");
  EXPECT_EQ(project.Scalar("SELECT md5(string_agg(id::text || ':' || b, ',' ORDER BY id)) = "
                           "md5(string_agg(id::text || ':' || a, ',' ORDER BY id)) FROM t"),
            "t");
}

int LineOf(const std::string& path, const std::string& text) {
  auto contents = ReadFile(path);
  if (!contents.ok() || contents->find(text) == std::string::npos) return 0;
  return 1 +
         static_cast<int>(std::count(
             contents->begin(), contents->begin() + static_cast<long>(contents->find(text)), '\n'));
}

TEST(KeyedBackfill, UpdatesEveryRowExactlyOnceAcrossGapsInABigintKey) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  // Uneven gaps, and keys beyond 32 bits: ranges count rows, not key values.
  project.Write("r1", "none", CountedTable("g * 7 + g % 5 + (g / 1000) * 10000000000"),
                /*transactional=*/true);
  project.Write("r2", "r1",
                std::string("-- retort:batch size=250 key=id target=0\n") + kKeyedBackfill);

  CommandOutput upgraded = project.Run({"upgrade", "head"});

  ASSERT_EQ(upgraded.exit_code, 0) << Describe(upgraded);
  ExpectEveryRowUpdatedOnce(project, 3000);
  EXPECT_NE(upgraded.err.find("3,000 rows in 12 batches of 250 by id ("), std::string::npos)
      << upgraded.err;
  EXPECT_NE(upgraded.err.find("p95"), std::string::npos) << upgraded.err;
  EXPECT_EQ(project.Version(), "r2");
  EXPECT_EQ(project.Scalar("SELECT to_regclass('retort_progress') IS NULL"), "t");
}

TEST(KeyedBackfill, AnInterruptedWalkResumesAfterTheLastCommittedBatch) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none",
                CountedTable("g") +
                    "\nCREATE TABLE poison (id bigint PRIMARY KEY);\n"
                    "INSERT INTO poison VALUES (777);\n"
                    "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                    "BEGIN IF EXISTS (SELECT FROM poison p WHERE p.id = NEW.id) THEN RAISE "
                    "EXCEPTION 'row % is poisoned', NEW.id; END IF; RETURN NEW; END $$;\n"
                    "CREATE TRIGGER poison BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION "
                    "poison();",
                /*transactional=*/true);
  project.Write(
      "r2", "r1",
      std::string("SELECT 1;\n-- retort:batch size=100 key=id target=0\n") + kKeyedBackfill);

  CommandOutput failed = project.Run({"upgrade", "head"});

  ASSERT_EQ(failed.exit_code, 1) << Describe(failed);
  EXPECT_NE(failed.err.find("row 777 is poisoned"), std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find("batch 8 (id 701 to 800) failed"), std::string::npos) << failed.err;
  // The excerpt quotes the user's statement, not the BEGIN retort sends with it.
  EXPECT_NE(failed.err.find("STATEMENT:  UPDATE"), std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find("the next run resumes after id = 700"), std::string::npos)
      << failed.err;
  // Batches 1-7 committed, each with its progress; batch 8 left nothing behind.
  EXPECT_EQ(project.Scalar(kDone), "700");
  EXPECT_EQ(project.Scalar("SELECT count(*) || ' ' || max(id) FROM hits"), "700 700");
  EXPECT_EQ(project.Scalar("SELECT batch_key || ' ' || batch_rows FROM retort_progress WHERE "
                           "statement = 2"),
            "700 700");
  EXPECT_EQ(project.Version(), "r1");
  CommandOutput current = project.Run({"current"});
  EXPECT_NE(current.out.find("r2 (partially applied: upgrade stopped at statement 2 of 2"),
            std::string::npos)
      << current.out;

  project.Scalar("DELETE FROM poison");
  CommandOutput rerun = project.Run({"upgrade", "head"});

  ASSERT_EQ(rerun.exit_code, 0) << Describe(rerun);
  EXPECT_NE(rerun.err.find("resuming r2 statement 2/2 after id = 700 (700 rows done by earlier "
                           "runs)"),
            std::string::npos)
      << rerun.err;
  EXPECT_NE(rerun.err.find("2,300 rows in 23 batches of 100 by id (701 to 3000)"),
            std::string::npos)
      << rerun.err;
  // No row before the failure was updated again.
  ExpectEveryRowUpdatedOnce(project, 3000);
  EXPECT_EQ(project.Version(), "r2");
  EXPECT_EQ(project.Scalar("SELECT to_regclass('retort_progress') IS NULL"), "t");
}

TEST(KeyedBackfill, RefusesAKeyThatIsNotUniqueIndexedAndNotNull) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none",
                Table(100) +
                    "\nALTER TABLE t ADD c int, ADD u int UNIQUE, ADD p int, ADD m int, ADD n int "
                    "NOT NULL DEFAULT 0;\n"
                    "UPDATE t SET c = id, u = id, p = id, m = id, n = id;\n"
                    "CREATE INDEX t_c ON t (c);\n"
                    "CREATE UNIQUE INDEX t_p ON t (p) WHERE p > 0;\n"
                    "CREATE UNIQUE INDEX t_m ON t (m, id);\n"
                    "ALTER TABLE t ALTER c SET NOT NULL, ALTER p SET NOT NULL, ALTER m SET NOT "
                    "NULL;",
                /*transactional=*/true);
  struct Case {
    std::string key;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"a", "column t.a is not unique (no unique index on it alone, and no index at all)"},
      {"c", "column t.c is not unique (no unique index on it alone, only a non-unique one"},
      {"p", "column t.p is not unique"},  // a partial unique index leaves values unchecked
      {"m", "column t.m is not unique"},  // unique only together with id
      {"u", "column t.u may be NULL"},
      {"nope", "table t has no column nope"},
      {"nosuch.id", "table nosuch does not exist"},
  };
  for (const Case& bad : cases) {
    std::string path = project.Write(
        "r2", "r1",
        "-- retort:batch size=10 key=" + bad.key + "\nUPDATE t SET b = a WHERE " +
            (bad.key == "nosuch.id" ? "id" : bad.key) + " BETWEEN :batch_start AND :batch_end;");
    CommandOutput refused = project.Run({"upgrade", "head"});
    EXPECT_NE(refused.exit_code, 0) << bad.key << "\n" << Describe(refused);
    std::string where = path + ":" + std::to_string(LineOf(path, "-- retort:batch")) + ": key=";
    EXPECT_NE(refused.err.find(where), std::string::npos) << where << "\n" << refused.err;
    EXPECT_NE(refused.err.find(bad.message), std::string::npos) << bad.key << "\n" << refused.err;
    EXPECT_NE(refused.err.find("this statement did not run"), std::string::npos) << refused.err;
    EXPECT_EQ(project.Scalar("SELECT count(*) FROM t WHERE b IS NOT NULL"), "0") << bad.key;
    EXPECT_EQ(project.Version(), "r1");
  }
  // A unique NOT NULL column is enough; it need not be the primary key.
  project.Write("r2", "r1",
                "-- retort:batch size=30 key=n\nUPDATE t SET b = a WHERE n BETWEEN :batch_start "
                "AND :batch_end;");
  project.Scalar("CREATE UNIQUE INDEX t_n ON t (n)");
  CommandOutput fixed = project.Run({"upgrade", "head"});
  ASSERT_EQ(fixed.exit_code, 0) << Describe(fixed);
  EXPECT_EQ(project.Scalar(kDone), "100");
}

TEST(KeyedBackfill, WalksUuidAndTextKeys) {
  RETORT_REQUIRE_PG(pg);
  for (const std::string& type : {std::string("uuid"), std::string("text")}) {
    Project project(pg);
    project.Write("r1", "none",
                  CountedTable(type == "uuid" ? "gen_random_uuid()" : "'k' || g", type),
                  /*transactional=*/true);
    project.Write("r2", "r1",
                  "-- retort:batch size=128 key=t.id\n"
                  "-- retort:estimate SELECT count(*) FROM t WHERE b IS NULL\n" +
                      std::string(kKeyedBackfill));

    CommandOutput upgraded = project.Run({"upgrade", "head"});

    ASSERT_EQ(upgraded.exit_code, 0) << type << "\n" << Describe(upgraded);
    ExpectEveryRowUpdatedOnce(project, 3000);
    EXPECT_NE(upgraded.err.find("3,000 rows in "), std::string::npos) << upgraded.err;
  }
}

TEST(KeyedBackfill, ATerminalShowsTheProgressBar) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none", Table(3000) + "\nANALYZE t;", /*transactional=*/true);
  // No estimate: the total comes from the planner's row count.
  project.Write(
      "r2", "r1",
      std::string("-- retort:batch size=100 key=id target=0 sleep=10\n") + kKeyedBackfill);

  CommandOutput shown = project.UpgradeOnATerminal();

  ExpectAProgressBarOver3000Rows(project, shown);
}

TEST(KeyedBackfill, TheScriptWalksTheKeyInADoBlock) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none", CountedTable("g * 3"), /*transactional=*/true);
  project.Write("r2", "r1", std::string("-- retort:batch size=70 key=id\n") + kKeyedBackfill);

  CommandOutput script = project.Run({"upgrade", "--sql"});
  ASSERT_EQ(script.exit_code, 0) << Describe(script);
  EXPECT_NE(script.out.find("EXECUTE 'UPDATE t SET b = a WHERE id BETWEEN $1 AND $2' USING "
                            "batch_start, batch_end;\n    COMMIT;"),
            std::string::npos)
      << script.out;
  CommandOutput applied = RunProgram({PgBinary(pg, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                                      "-d", pg->ConnInfo(project.database()), "-f", "-"},
                                     "", {}, script.out);

  ASSERT_EQ(applied.exit_code, 0) << Describe(applied);
  ExpectEveryRowUpdatedOnce(project, 3000);
  EXPECT_EQ(project.Version(), "r2");
}

// ---------------------------------------------------------------------------------------------
// max-lag with a real standby

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

// A streaming standby of the harness cluster: pg_basebackup -R into a temp dir, started with
// pg_ctl (as the postgres OS user when the tests run as root) on a port of its own.
class Standby {
 public:
  explicit Standby(PgHarness* pg) : pg_(pg), port_(FreePort()) {
    data_ = JoinPath(dir_.path(), "data");
    if (::geteuid() == 0) {
      // The server account must own the folder (for the data and the socket).
      CommandOutput owned = RunProgram({"chown", pg->superuser() + ":", dir_.path()}, "");
      if (owned.exit_code != 0) ADD_FAILURE() << Describe(owned);
    }
    CommandOutput copied = AsServer({PgBinary(pg, "pg_basebackup"), "-D", data_, "-R", "-X",
                                     "stream", "--checkpoint=fast", "-h", "127.0.0.1", "-p",
                                     std::to_string(pg->port()), "-U", pg->superuser()});
    if (copied.exit_code != 0) {
      ADD_FAILURE() << "pg_basebackup: " << Describe(copied);
      return;
    }
    CommandOutput started = AsServer(
        {PgBinary(pg, "pg_ctl"), "-D", data_, "-l", JoinPath(dir_.path(), "log"), "-w", "-o",
         "-p " + std::to_string(port_) + " -k " + dir_.path() + " -c listen_addresses=''",
         "start"});
    if (started.exit_code != 0) {
      auto log = ReadFile(JoinPath(dir_.path(), "log"));
      ADD_FAILURE() << "the standby did not start: " << Describe(started) << (log.ok() ? *log : "");
      return;
    }
    running_ = true;
  }
  ~Standby() {
    if (running_) {
      (void)AsServer({PgBinary(pg_, "pg_ctl"), "-D", data_, "-m", "immediate", "-w", "stop"});
    }
  }
  Standby(const Standby&) = delete;
  Standby& operator=(const Standby&) = delete;

  bool running() const { return running_; }
  std::string Scalar(const std::string& database, const std::string& sql) const {
    auto connection =
        pg::Connection::Open("host=" + dir_.path() + " port=" + std::to_string(port_) +
                             " user=" + pg_->superuser() + " dbname=" + database);
    if (!connection.ok()) return "error: " + connection.status().message();
    auto result = connection->Execute(sql);
    if (!result.ok()) return "error: " + result.error.ToString();
    return result.value->rows() > 0 ? result.value->Get(0, 0) : "";
  }

 private:
  CommandOutput AsServer(std::vector<std::string> argv) const {
    if (::geteuid() == 0) argv.insert(argv.begin(), {"runuser", "-u", pg_->superuser(), "--"});
    return RunProgram(argv, "/");
  }

  PgHarness* pg_;
  int port_;
  TempDir dir_;
  std::string data_;
  bool running_ = false;
};

// Both walks wait for the standby before each batch: the predicate one (batches found by a
// query) and the keyed one (ranges of the key). Kept here, not with the other keyed tests, because
// it needs the standby.
struct MaxLagCase {
  std::string name;
  std::string migration;
};

class MaxLag : public ::testing::TestWithParam<MaxLagCase> {};

std::string MaxLagCaseName(const ::testing::TestParamInfo<MaxLagCase>& param) {
  return param.param.name;
}

TEST_P(MaxLag, WaitsWhileAStandbyIsBehindAndContinuesWhenItCatchesUp) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none", Table(2000), /*transactional=*/true);
  project.Write("r2", "r1", GetParam().migration);
  CommandOutput first = project.Run({"upgrade", "r1"});
  ASSERT_EQ(first.exit_code, 0) << Describe(first);

  Standby standby(pg);
  ASSERT_TRUE(standby.running());
  std::string streaming_sql =
      "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND "
      "replay_lsn >= pg_current_wal_lsn()";
  ASSERT_TRUE(Eventually([&] {
    return project.Scalar(streaming_sql) == "1" &&
           standby.Scalar(project.database(), "SELECT count(*) FROM t") == "2000";
  })) << "the standby did not catch up";
  ASSERT_EQ(standby.Scalar("postgres", "SELECT pg_wal_replay_pause()"), "");
  ASSERT_TRUE(Eventually([&] {
    return standby.Scalar("postgres", "SELECT pg_get_wal_replay_pause_state()") == "paused";
  }));

  TempDir logs;
  std::string err_path = JoinPath(logs.path(), "err");
  pid_t child = ::fork();
  if (child == 0) {
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int out = ::open("/dev/null", O_WRONLY);
    if (err < 0 || out < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0 ||
        ::chdir(project.path().c_str()) != 0) {
      ::_exit(126);
    }
    ::execl(RETORT_BINARY, RETORT_BINARY, "upgrade", "head", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ASSERT_GT(child, 0) << std::strerror(errno);
  auto stderr_text = [&] {
    auto text = ReadFile(err_path);
    return text.ok() ? *text : std::string();
  };
  int status = 0;
  bool exited = false;
  auto child_exited = [&] {
    if (!exited && ::waitpid(child, &status, WNOHANG) == child) exited = true;
    return exited;
  };
  bool waiting = Eventually([&] {
    return stderr_text().find("waiting for replica lag") != std::string::npos || child_exited();
  });
  EXPECT_TRUE(waiting);
  EXPECT_FALSE(child_exited()) << "retort finished while the standby was paused:\n"
                               << stderr_text();
  long done_while_paused = std::stol(project.Scalar(kDone));
  EXPECT_LT(done_while_paused, 2000);
  EXPECT_EQ(project.Version(), "r1");

  EXPECT_EQ(standby.Scalar("postgres", "SELECT pg_wal_replay_resume()"), "");
  if (!exited) {
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
  }

  ASSERT_TRUE(WIFEXITED(status)) << stderr_text();
  EXPECT_EQ(WEXITSTATUS(status), 0) << stderr_text();
  std::string err = stderr_text();
  EXPECT_NE(err.find(" s behind (max-lag 0.3 s)"), std::string::npos) << err;
  EXPECT_NE(err.find("replicas caught up"), std::string::npos) << err;
  EXPECT_EQ(project.Scalar(kDone), "2000");
  EXPECT_EQ(project.Version(), "r2");
  EXPECT_TRUE(Eventually([&] { return standby.Scalar(project.database(), kDone) == "2000"; }));
}

INSTANTIATE_TEST_SUITE_P(
    Backfill, MaxLag,
    ::testing::Values(
        MaxLagCase{"Predicate",
                   std::string("-- retort:batch size=50 sleep=20 max-lag=0.3\n") + kBackfill},
        MaxLagCase{"Keyed", std::string("-- retort:batch size=50 key=id target=0 sleep=20 "
                                        "max-lag=0.3\n") +
                                "UPDATE t SET b = a WHERE id BETWEEN :batch_start AND "
                                ":batch_end;"}),
    MaxLagCaseName);

}  // namespace
}  // namespace retort::testing
