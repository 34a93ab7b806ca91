// devdb/scratch: scratch databases, the template cache and applying schema files, against the
// harness server.
#include "devdb/scratch.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/pg_harness.h"

namespace retort::devdb {
namespace {

using ::retort::testing::PgHarness;
using ::retort::testing::TempDir;

bool Exists(PgHarness* pg, const std::string& name) {
  return pg->Scalar("postgres",
                    "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'") == "1";
}

std::vector<std::string> DatabasesLike(PgHarness* pg, const std::string& pattern) {
  std::vector<std::string> names;
  for (const auto& row : pg->Query("postgres",
                                   "SELECT datname FROM pg_database WHERE datname "
                                   "LIKE '" +
                                       pattern + "' ORDER BY 1")) {
    names.push_back(row[0]);
  }
  return names;
}

std::string Scalar(pg::Connection& connection, const std::string& sql) {
  auto result = connection.Query(sql);
  EXPECT_TRUE(result.ok()) << result.status().message();
  if (!result.ok() || result->rows() == 0) return "";
  return result->Get(0, 0);
}

TEST(ScratchDatabase, IsCreatedEmptyAndDroppedWithItsObject) {
  RETORT_REQUIRE_PG(pg);
  std::string name;
  {
    auto scratch = ScratchDatabase::Create(pg->ConnInfo("postgres"), "Unit Test!");
    ASSERT_TRUE(scratch.ok()) << scratch.status().message();
    name = scratch->name();
    EXPECT_EQ(name.rfind("retort_scratch_unittest_", 0), 0u) << name;
    EXPECT_TRUE(Exists(pg, name));
    auto connection = scratch->Connect();
    ASSERT_TRUE(connection.ok()) << connection.status().message();
    EXPECT_EQ(connection->Database(), name);
    EXPECT_EQ(Scalar(*connection,
                     "SELECT count(*) FROM pg_class WHERE relnamespace = "
                     "'public'::regnamespace"),
              "0");
    // Moving keeps one owner: the database lives until the new object dies, even while a
    // session is still connected to it.
    ScratchDatabase moved = std::move(*scratch);
    EXPECT_TRUE(Exists(pg, name));
  }
  EXPECT_FALSE(Exists(pg, name));
}

TEST(ScratchDatabase, CopiesAGivenTemplate) {
  RETORT_REQUIRE_PG(pg);
  std::string source = pg->CreateDatabase("tpl");
  pg->Query(source, "CREATE TABLE kept (a int)");
  auto scratch = ScratchDatabase::Create(pg->ConnInfo("postgres"), "copy", source);
  ASSERT_TRUE(scratch.ok()) << scratch.status().message();
  auto connection = scratch->Connect();
  ASSERT_TRUE(connection.ok());
  EXPECT_EQ(Scalar(*connection, "SELECT to_regclass('public.kept') IS NOT NULL"), "t");
}

TEST(ScratchDatabase, ExplainsWhyItCannotCreate) {
  RETORT_REQUIRE_PG(pg);
  std::string db = pg->CreateDatabase("nocreate");
  pg->Query(db, "CREATE ROLE retort_no_createdb LOGIN");
  auto scratch = ScratchDatabase::Create(pg->ConnInfo(db) + " user=retort_no_createdb", "x");
  pg->Query(db, "DROP ROLE retort_no_createdb");
  ASSERT_FALSE(scratch.ok());
  EXPECT_EQ(scratch.status().code(), Code::kFailed);
  EXPECT_NE(scratch.status().message().find("CREATEDB"), std::string::npos)
      << scratch.status().message();
}

TEST(ScratchDatabase, DropsWhatACrashedProcessLeftBehind) {
  RETORT_REQUIRE_PG(pg);
  // A child creates a scratch database and dies without running destructors (as kill -9 would
  // leave it).
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    auto scratch = ScratchDatabase::Create(pg->ConnInfo("postgres"), "crash");
    std::string name = scratch.ok() ? scratch->name() : "";
    (void)!::write(pipe_fds[1], name.data(), name.size());
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  char buffer[128] = {};
  ssize_t length = ::read(pipe_fds[0], buffer, sizeof(buffer) - 1);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_GT(length, 0);
  std::string leftover(buffer, static_cast<size_t>(length));
  ASSERT_TRUE(Exists(pg, leftover)) << leftover;
  // A database named like another host's scratch database is never touched.
  std::string foreign = "retort_scratch_other_00000000_1_0";
  pg->Query("postgres", "CREATE DATABASE " + foreign);

  // The cleanup runs once per process, on its first Create; this test binary has made scratch
  // databases already, so let a new process do it.
  pid_t cleaner = ::fork();
  ASSERT_GE(cleaner, 0);
  if (cleaner == 0) {
    auto scratch = ScratchDatabase::Create(pg->ConnInfo("postgres"), "cleaner");
    ::_exit(scratch.ok() ? 0 : 1);
  }
  ::waitpid(cleaner, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_FALSE(Exists(pg, leftover));
  EXPECT_TRUE(Exists(pg, foreign));
  pg->Query("postgres", "DROP DATABASE " + foreign);
}

TEST(ScratchDatabase, TakesTheSpareMadeAheadOfTime) {
  RETORT_REQUIRE_PG(pg);
  std::string server = pg->ConnInfo("postgres");
  for (const std::string& name : DatabasesLike(pg, "retort\\_spare\\_%")) {
    pg->Query("postgres", "DROP DATABASE " + name);
  }
  ASSERT_TRUE(PrepareSpare(server).ok());
  std::vector<std::string> spares = DatabasesLike(pg, "retort\\_spare\\_%");
  ASSERT_EQ(spares.size(), 1u);
  // One is enough.
  ASSERT_TRUE(PrepareSpare(server).ok());
  EXPECT_EQ(DatabasesLike(pg, "retort\\_spare\\_%"), spares);

  auto scratch = ScratchDatabase::Create(server, "fast");
  ASSERT_TRUE(scratch.ok()) << scratch.status().message();
  EXPECT_TRUE(DatabasesLike(pg, "retort\\_spare\\_%").empty());
  EXPECT_TRUE(Exists(pg, scratch->name()));
  auto connection = scratch->Connect();
  ASSERT_TRUE(connection.ok());
  EXPECT_EQ(Scalar(*connection,
                   "SELECT count(*) FROM pg_class WHERE relnamespace = "
                   "'public'::regnamespace"),
            "0");
  // A copy of another template never takes the spare.
  ASSERT_TRUE(PrepareSpare(server).ok());
  std::string source = pg->CreateDatabase("src");
  auto copy = ScratchDatabase::Create(server, "copy", source);
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(DatabasesLike(pg, "retort\\_spare\\_%").size(), 1u);
}

TEST(TemplateCache, KeepsOneTemplatePerProject) {
  RETORT_REQUIRE_PG(pg);
  std::string server = pg->ConnInfo("postgres");
  std::string project = "0123456789abcdef";
  std::string other_project = "fedcba9876543210";
  auto make = [&](const std::string& project_key, const std::string& content_key) {
    auto scratch = ScratchDatabase::Create(server, "head");
    EXPECT_TRUE(scratch.ok());
    if (!scratch.ok()) return;
    {
      auto connection = scratch->Connect();
      ASSERT_TRUE(connection.ok());
      ASSERT_TRUE(
          connection->Query("CREATE TABLE t_" + content_key.substr(0, 4) + " (a int)").ok());
    }
    Status kept = KeepAsTemplate(std::move(*scratch), project_key, content_key);
    EXPECT_TRUE(kept.ok()) << kept.message();
  };
  make(project, "aaaa000000000000ffff");
  std::string first = TemplateName(project, "aaaa000000000000ffff");
  EXPECT_EQ(first, "retort_tpl_0123456789ab_aaaa000000000000");
  EXPECT_TRUE(Exists(pg, first));
  make(other_project, "cccc000000000000");
  std::string others = TemplateName(other_project, "cccc000000000000");

  // A second template of the same project replaces the first; other projects keep theirs.
  make(project, "bbbb000000000000");
  std::string second = TemplateName(project, "bbbb000000000000");
  EXPECT_TRUE(Exists(pg, second));
  EXPECT_FALSE(Exists(pg, first));
  EXPECT_TRUE(Exists(pg, others));
  auto connection = pg::Connection::OpenDatabase(server, second);
  ASSERT_TRUE(connection.ok());
  EXPECT_EQ(Scalar(*connection, "SELECT to_regclass('public.t_bbbb') IS NOT NULL"), "t");

  // Making the same template again (a racing process) keeps the existing one.
  make(project, "bbbb000000000000");
  EXPECT_TRUE(Exists(pg, second));
  auto exists = DatabaseExists(*connection, second);
  ASSERT_TRUE(exists.ok());
  EXPECT_TRUE(*exists);
  EXPECT_TRUE(DatabasesLike(pg, "retort\\_scratch\\_head%").empty());
  pg->Query("postgres", "DROP DATABASE " + others);
}

// The template key's server part: a template replayed before an extension package upgrade (a
// new default version) must not be read after it.
TEST(TemplateCache, ServerFingerprintNamesTheVersionAndEveryExtensionOnOffer) {
  RETORT_REQUIRE_PG(pg);
  auto connection = pg::Connection::Open(pg->ConnInfo("postgres"));
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  auto fingerprint = ServerFingerprint(*connection);
  ASSERT_TRUE(fingerprint.ok()) << fingerprint.status().message();
  EXPECT_EQ(fingerprint->substr(0, fingerprint->find(' ')),
            Scalar(*connection, "SHOW server_version_num"));
  std::string plpgsql = "plpgsql " + Scalar(*connection,
                                            "SELECT default_version FROM pg_available_extensions "
                                            "WHERE name = 'plpgsql'");
  EXPECT_NE(fingerprint->find(plpgsql), std::string::npos) << *fingerprint;
  EXPECT_EQ(std::to_string(std::count(fingerprint->begin(), fingerprint->end(), ',') + 1),
            Scalar(*connection, "SELECT count(*) FROM pg_available_extensions"));
}

// ---- ApplySqlFiles

class ApplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pg_ = PgHarness::Get();
    if (pg_ == nullptr) GTEST_SKIP() << PgHarness::UnavailableReason();
    db_ = pg_->CreateDatabase("apply");
    auto connection = pg::Connection::Open(pg_->ConnInfo(db_));
    ASSERT_TRUE(connection.ok());
    connection_.emplace(std::move(*connection));
  }

  Status Apply(const std::vector<std::pair<std::string, std::string>>& files) {
    std::vector<SqlFile> list;
    for (const auto& [name, text] : files) {
      list.push_back(SqlFile{dir_.Write(name, text), name});
    }
    return ApplySqlFiles(*connection_, list);
  }

  std::string Scalar(const std::string& sql) { return pg_->Scalar(db_, sql); }

  PgHarness* pg_ = nullptr;
  std::string db_;
  TempDir dir_;
  std::optional<pg::Connection> connection_;
};

TEST_F(ApplyTest, AppliesFilesInOrderWithAnySql) {
  Status applied = Apply(
      {{"schema/00_types.sql", "CREATE TYPE mood AS ENUM ('ok');\n"},
       {"schema/10_tables.sql",
        "-- a comment first\nCREATE TABLE parent (id int PRIMARY KEY, m mood) PARTITION BY LIST "
        "(id);\nDO $$\nBEGIN\n  FOR i IN 0..9 LOOP\n    EXECUTE format('CREATE TABLE %I "
        "PARTITION OF parent FOR VALUES IN (%s)', 'part_' || i, i);\n  END LOOP;\nEND\n$$;\n"
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n"},
       {"schema/20_empty.sql", "-- nothing but a comment\n"}});
  ASSERT_TRUE(applied.ok()) << applied.message();
  EXPECT_EQ(Scalar("SELECT count(*) FROM pg_inherits WHERE inhparent = 'parent'::regclass"), "10");
  EXPECT_EQ(Scalar("SELECT f()"), "1");
}

TEST_F(ApplyTest, RunsStatementsThatRefuseATransactionOneByOne) {
  Status applied = Apply({{"schema/a.sql",
                           "CREATE TYPE mood AS ENUM ('ok');\n"
                           "ALTER TYPE mood ADD VALUE 'great';\n"
                           "CREATE TABLE t (m mood DEFAULT 'great');\n"
                           "CREATE INDEX CONCURRENTLY ix_t_m ON t (m);\n"
                           "VACUUM t;\n"}});
  ASSERT_TRUE(applied.ok()) << applied.message();
  EXPECT_EQ(Scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_t_m'::regclass"), "t");
}

TEST_F(ApplyTest, SessionSettingsDoNotLeakIntoTheNextFile) {
  pg_->Query(db_, "CREATE SCHEMA other");
  Status applied = Apply({{"schema/a.sql", "SET search_path = other;\nCREATE TABLE a (x int);\n"},
                          {"schema/b.sql", "CREATE TABLE b (x int);\n"}});
  ASSERT_TRUE(applied.ok()) << applied.message();
  EXPECT_EQ(Scalar("SELECT to_regclass('other.a') IS NOT NULL"), "t");
  EXPECT_EQ(Scalar("SELECT to_regclass('public.b') IS NOT NULL"), "t");
  // ... nor into whoever reads the database afterwards.
  EXPECT_EQ(Scalar("SELECT 1"), "1");
  auto path = connection_->Query("SHOW search_path");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(path->Get(0, 0), "\"$user\", public");
}

TEST_F(ApplyTest, ASyntaxErrorNamesFileAndLineBeforeAnythingRuns) {
  Status applied = Apply({{"schema/a.sql", "CREATE TABLE a (x int);\n"},
                          {"schema/b.sql", "\nCREATE TABLE b (\n  x int\n  y int\n);\n"}});
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.code(), Code::kInvalidInput);
  EXPECT_EQ(applied.message().rfind("schema/b.sql:4: syntax error", 0), 0u) << applied.message();
  EXPECT_EQ(Scalar("SELECT to_regclass('public.a') IS NULL"), "t");
}

// COPY ... FROM stdin says so by name (its rows are psql's to stream), before anything runs:
// with rows after it (a syntax error for the parser) and without (a statement that would wait
// for data).
TEST_F(ApplyTest, CopyFromStdinIsRefusedByName) {
  Status with_rows =
      Apply({{"schema/a.sql", "CREATE TABLE a (x int);\n"},
             {"schema/b.sql", "CREATE TABLE b (x int);\n\nCOPY b (x) FROM stdin;\n1\n2\n\\.\n"}});
  ASSERT_FALSE(with_rows.ok());
  EXPECT_EQ(with_rows.code(), Code::kInvalidInput);
  EXPECT_EQ(
      with_rows.message().rfind(
          "schema/b.sql:3: COPY ... FROM stdin is not supported in schema and migration files", 0),
      0u)
      << with_rows.message();
  Status without_rows = Apply({{"schema/c.sql", "CREATE TABLE c (x int);\nCOPY c FROM STDIN;\n"}});
  ASSERT_FALSE(without_rows.ok());
  EXPECT_EQ(without_rows.code(), Code::kInvalidInput);
  EXPECT_EQ(without_rows.message().rfind("schema/c.sql:2: COPY ... FROM stdin is not supported", 0),
            0u)
      << without_rows.message();
  EXPECT_EQ(Scalar("SELECT to_regclass('public.a') IS NULL AND to_regclass('public.c') IS NULL"),
            "t");
}

TEST_F(ApplyTest, ARuntimeErrorNamesTheLineOfTheErrorPosition) {
  Status applied = Apply({{"schema/a.sql",
                           "CREATE TABLE a (x int);\n\nCREATE VIEW v AS\n  SELECT x\n  FROM "
                           "missing_table;\n"}});
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.code(), Code::kInvalidInput);
  EXPECT_EQ(applied.message().rfind("schema/a.sql:5: statement failed: ERROR:  relation "
                                    "\"missing_table\" does not exist",
                                    0),
            0u)
      << applied.message();
  // The file ran as one transaction: nothing of it is left.
  EXPECT_EQ(Scalar("SELECT to_regclass('public.a') IS NULL"), "t");
}

TEST_F(ApplyTest, AnErrorWithoutPositionNamesTheStatement) {
  Status applied = Apply({{"schema/a.sql", "CREATE TABLE a (x int);\n"},
                          {"schema/b.sql",
                           "CREATE TABLE b (x int);\n-- next: fails inside the block\nDO $$\n"
                           "BEGIN\n  PERFORM 1 / 0;\nEND\n$$;\n"}});
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(
      applied.message().rfind("schema/b.sql:3: statement failed: ERROR:  division by zero", 0), 0u)
      << applied.message();
}

TEST_F(ApplyTest, AnErrorInAStatementRunAloneNamesItsLine) {
  Status applied = Apply({{"schema/a.sql",
                           "CREATE TABLE a (x int);\nCREATE INDEX CONCURRENTLY ix ON a (x);\n"
                           "CREATE VIEW v AS SELECT\n  y FROM a;\n"}});
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.message().rfind("schema/a.sql:4: statement failed: ERROR:  column \"y\"", 0),
            0u)
      << applied.message();
}

TEST_F(ApplyTest, AFileMustNotEndInsideATransaction) {
  Status applied = Apply({{"schema/a.sql", "BEGIN;\nCREATE TABLE a (x int);\n"}});
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.code(), Code::kInvalidInput);
  EXPECT_NE(applied.message().find("schema/a.sql:2: the file ends inside a transaction"),
            std::string::npos)
      << applied.message();
  EXPECT_FALSE(connection_->InTransaction());
}

TEST_F(ApplyTest, ExplicitTransactionsInAFileWork) {
  Status applied = Apply(
      {{"schema/a.sql", "BEGIN;\nCREATE TABLE a (x int);\nCOMMIT;\nCREATE TABLE b (x int);\n"}});
  ASSERT_TRUE(applied.ok()) << applied.message();
  EXPECT_EQ(Scalar("SELECT to_regclass('public.a') IS NOT NULL AND to_regclass('public.b') IS "
                   "NOT NULL"),
            "t");
}

TEST_F(ApplyTest, AMissingFileIsBadInput) {
  Status applied = ApplySqlFiles(*connection_, std::vector<std::string>{dir_.path() + "/nope.sql"});
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.code(), Code::kInvalidInput);
  EXPECT_NE(applied.message().find("nope.sql"), std::string::npos) << applied.message();
}

}  // namespace
}  // namespace retort::devdb
