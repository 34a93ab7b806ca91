// Checksums of applied migrations and migrations/retort.sum, against a real server.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/pg_harness.h"

namespace retort::testing {
namespace {

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class ChecksumProject {
 public:
  ChecksumProject(PgHarness* pg, std::string database) : pg_(pg), database_(std::move(database)) {
    dir_.Write("retort.toml", "[database]\nurl = \"" + pg_->Url(database_) + "\"\n");
    dir_.Write("migrations/versions/.keep", "");
  }

  void Write(const std::string& id, const std::string& parent, const std::string& upgrade) const {
    dir_.Write("migrations/versions/" + id + ".sql",
               "-- retort:revision " + id + "\n-- retort:revises " + parent +
                   "\n\n-- retort:upgrade\n" + upgrade + "\n\n-- retort:downgrade\nSELECT 1;\n");
  }

  CommandOutput Run(const std::vector<std::string>& args) const {
    return RunRetort(args, dir_.path());
  }
  std::string Scalar(const std::string& sql) const { return pg_->Scalar(database_, sql); }
  const TempDir& dir() const { return dir_; }

 private:
  PgHarness* pg_;
  std::string database_;
  TempDir dir_;
};

TEST(AppliedChecksums, AnEditedAppliedMigrationIsRefusedAndShown) {
  RETORT_REQUIRE_PG(pg);
  ChecksumProject project(pg, pg->CreateDatabase("edited"));
  project.Write("a1", "none", "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);");
  project.Write("b2", "a1", "CREATE TABLE b (id int);");
  ASSERT_EQ(project.Run({"upgrade", "a1"}).exit_code, 0);

  project.Write("a1", "none", "CREATE TABLE a (id int);\nINSERT INTO a VALUES (2);");
  CommandOutput refused = project.Run({"upgrade", "head"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("a1.sql (revision a1)"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("upgrade statement 2 (line 6) changed: was `INSERT INTO a VALUES "
                             "(1)`, now `INSERT INTO a VALUES (2)`"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(project.Scalar("SELECT to_regclass('public.b') IS NULL"), "t");

  CommandOutput validate = project.Run({"validate"});
  EXPECT_EQ(validate.exit_code, 3) << validate.out << validate.err;
  EXPECT_NE(validate.out.find("a1.sql (revision a1)"), std::string::npos) << validate.out;

  CommandOutput accepted = project.Run({"stamp", "--update-checksums"});
  EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM retort_history WHERE direction = 'checksum'"),
            "1");
  EXPECT_EQ(project.Run({"validate"}).exit_code, 0);
  CommandOutput upgraded = project.Run({"upgrade", "head"});
  EXPECT_EQ(upgraded.exit_code, 0) << upgraded.err;
  EXPECT_EQ(project.Scalar("SELECT to_regclass('public.b') IS NOT NULL"), "t");
}

// check compares the files with schema/; an applied file that was edited no longer says what the
// database holds, so check refuses too. Where the database cannot be reached (CI), check runs.
TEST(AppliedChecksums, CheckRefusesAnEditedAppliedMigration) {
  RETORT_REQUIRE_PG(pg);
  std::string database = pg->CreateDatabase("checkedit");
  ChecksumProject project(pg, database);
  project.dir().Write("retort.toml", "[database]\nurl = \"" + pg->Url(database) +
                                         "\"\n[schema]\npaths = [\"schema\"]\ndev_url = \"" +
                                         pg->Url("postgres") + "\"\n");
  project.dir().Write("schema/tables.sql", "CREATE TABLE a (id int);\n");
  project.Write("a1", "none", "CREATE TABLE a (id int);");
  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  CommandOutput matching = project.Run({"check"});
  EXPECT_EQ(matching.exit_code, 0) << matching.err;

  // The edit keeps the files in line with schema/, so only the checksum can tell.
  project.Write("a1", "none", "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);");
  CommandOutput refused = project.Run({"check"});
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("a1.sql (revision a1)"), std::string::npos) << refused.err;

  CommandOutput offline =
      RunRetort({"check", "--url", "postgresql://nobody@127.0.0.1:1/none"}, project.dir().path());
  EXPECT_EQ(offline.exit_code, 0) << offline.out << offline.err;
  EXPECT_NE(offline.err.find("not compared"), std::string::npos) << offline.err;
}

TEST(AppliedChecksums, ReformattingAnAppliedMigrationIsNotAnEdit) {
  RETORT_REQUIRE_PG(pg);
  ChecksumProject project(pg, pg->CreateDatabase("reformat"));
  project.Write("a1", "none", "CREATE TABLE a (id int, name text);");
  project.Write("b2", "a1", "CREATE TABLE b (id int);");
  ASSERT_EQ(project.Run({"upgrade", "a1"}).exit_code, 0);
  project.Write("a1", "none",
                "-- the first table\nCREATE TABLE a (\n    id   int,\n    name text\n)  ;");
  CommandOutput upgraded = project.Run({"upgrade", "head"});
  EXPECT_EQ(upgraded.exit_code, 0) << upgraded.err;
  EXPECT_EQ(project.Run({"validate"}).exit_code, 0);
}

// History rows store the hash of their source, so a deploy need not have the server hash every
// recorded file; a table an older retort made (no such column, rows without a hash) still has
// its edits caught, and gains the column the next time retort migrates.
TEST(AppliedChecksums, RecordedSourceHashesAndTablesOfAnOlderRetort) {
  RETORT_REQUIRE_PG(pg);
  ChecksumProject project(pg, pg->CreateDatabase("olderhistory"));
  std::string original = "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);";
  std::string edited = "CREATE TABLE a (id int);\nINSERT INTO a VALUES (2);";
  project.Write("a1", "none", original);
  project.Write("b2", "a1", "CREATE TABLE b (id int);");
  ASSERT_EQ(project.Run({"upgrade", "a1"}).exit_code, 0);
  project.Scalar("ALTER TABLE retort_history DROP COLUMN source_sha256");

  project.Write("a1", "none", edited);
  EXPECT_EQ(project.Run({"validate"}).exit_code, 3) << "an edit missed without the column";
  project.Write("a1", "none", original);
  CommandOutput upgraded = project.Run({"upgrade", "head"});
  ASSERT_EQ(upgraded.exit_code, 0) << upgraded.err;
  EXPECT_EQ(project.Scalar("SELECT string_agg(revision || ':' || coalesce((source_sha256 = "
                           "encode(sha256(convert_to(source, 'UTF8')), 'hex'))::text, 'null'), "
                           "',' ORDER BY id) FROM retort_history"),
            "a1:null,b2:true");
  project.Write("a1", "none", edited);
  EXPECT_EQ(project.Run({"validate"}).exit_code, 3) << "an edit missed in a row without a hash";
}

// A no-op upgrade compares the files with the applied digest (one row) instead of every recorded
// checksum. The run that migrates writes it; it is trusted only while the history's newest row is
// the one it was written for, since retort only ever appends to the history: a row rewritten in
// place goes unnoticed until the history moves on, and then the files are compared again.
TEST(AppliedChecksums, ANoOpUpgradeTrustsTheAppliedDigestUntilTheHistoryMovesOn) {
  RETORT_REQUIRE_PG(pg);
  ChecksumProject project(pg, pg->CreateDatabase("digest"));
  std::string original = "CREATE TABLE a (id int);";
  project.Write("a1", "none", original);
  project.Write("b2", "a1", "CREATE TABLE b (id int);");
  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  EXPECT_EQ(project.Scalar("SELECT version_table || ' ' || history_rows || ' ' || (history_max_id "
                           "= (SELECT max(id) FROM retort_history)) FROM retort_digest"),
            "retort_version 2 true");

  // An edited file is refused whatever the digest says.
  project.Write("a1", "none", original + "\nINSERT INTO a VALUES (1);");
  CommandOutput refused = project.Run({"upgrade", "head"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("a1.sql (revision a1)"), std::string::npos) << refused.err;
  project.Write("a1", "none", original);

  // Rewritten in place, not appended: the no-op run does not read it.
  project.Scalar(
      "UPDATE retort_history SET source_sha256 = 'rewritten', checksum = 'rewritten' "
      "WHERE revision = 'a1'");
  CommandOutput trusted = project.Run({"upgrade", "head"});
  EXPECT_EQ(trusted.exit_code, 0) << trusted.err;

  // Any appended row (here as an older retort would stamp) makes it stale: every file is compared.
  project.Scalar(
      "INSERT INTO retort_history (revision, direction, started_at, finished_at, "
      "duration_ms, tool_version) VALUES ('b2', 'stamp', now(), now(), 0, 'older')");
  CommandOutput compared = project.Run({"upgrade", "head"});
  EXPECT_EQ(compared.exit_code, 2) << compared.err;
  EXPECT_NE(compared.err.find("a1.sql (revision a1)"), std::string::npos) << compared.err;
}

// Another checkout accepts an edit (`stamp --update-checksums`): the digest this checkout's
// files matched is stale, so this checkout's files are compared again and refused; once they
// match, the no-op run writes the digest again. A database whose tables an older retort made
// (no digest table) is compared every time and not written to.
TEST(AppliedChecksums, TheAppliedDigestIsWrittenAgainAfterTheFilesWereCompared) {
  RETORT_REQUIRE_PG(pg);
  ChecksumProject project(pg, pg->CreateDatabase("digeststale"));
  std::string original = "CREATE TABLE a (id int);";
  std::string edited = original + "\nINSERT INTO a VALUES (1);";
  project.Write("a1", "none", original);
  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  std::string written = project.Scalar("SELECT history_max_id FROM retort_digest");

  project.Write("a1", "none", edited);
  ASSERT_EQ(project.Run({"stamp", "--update-checksums"}).exit_code, 0);
  project.Write("a1", "none", original);
  CommandOutput refused = project.Run({"upgrade", "head"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("a1.sql (revision a1)"), std::string::npos) << refused.err;
  EXPECT_EQ(project.Scalar("SELECT history_max_id FROM retort_digest"), written);

  project.Write("a1", "none", edited);
  CommandOutput matching = project.Run({"upgrade", "head"});
  EXPECT_EQ(matching.exit_code, 0) << matching.err;
  EXPECT_EQ(project.Scalar("SELECT history_rows || ' ' || (history_max_id = (SELECT max(id) FROM "
                           "retort_history)) FROM retort_digest"),
            "2 true");

  project.Scalar("DROP TABLE retort_digest");
  project.Write("a1", "none", original);
  EXPECT_EQ(project.Run({"upgrade", "head"}).exit_code, 2);
  project.Write("a1", "none", edited);
  EXPECT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  EXPECT_EQ(project.Scalar("SELECT to_regclass('retort_digest') IS NULL"), "t");
}

// The digest is a shortcut: a migration whose transaction cannot write it (here a trigger
// stands in for a role that may not) commits without it, and a no-op run that cannot write it
// succeeds all the same.
TEST(AppliedChecksums, AMigrationCommitsWhenItsDigestCannotBeWritten) {
  RETORT_REQUIRE_PG(pg);
  ChecksumProject project(pg, pg->CreateDatabase("digestrefused"));
  project.Write("a1", "none", "CREATE TABLE a (id int);");
  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  project.Scalar(
      "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
      "'no digest' USING ERRCODE = 'insufficient_privilege'; END $$;\n"
      "CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON retort_digest FOR EACH ROW EXECUTE "
      "FUNCTION refuse()");
  project.Write("b2", "a1", "CREATE TABLE b (id int);");
  CommandOutput upgraded = project.Run({"upgrade", "head"});
  EXPECT_EQ(upgraded.exit_code, 0) << upgraded.err;
  EXPECT_EQ(project.Scalar("SELECT string_agg(version_num, ',') FROM retort_version"), "b2");
  CommandOutput noop = project.Run({"upgrade", "head"});
  EXPECT_EQ(noop.exit_code, 0) << noop.err;
  EXPECT_EQ(project.Scalar("SELECT history_rows FROM retort_digest"), "1");
}

TEST(AppliedChecksums, EditingAMigrationThatHasNotRunIsFine) {
  RETORT_REQUIRE_PG(pg);
  ChecksumProject project(pg, pg->CreateDatabase("pending"));
  project.Write("a1", "none", "CREATE TABLE a (id int);");
  project.Write("b2", "a1", "CREATE TABLE b (id int);");
  ASSERT_EQ(project.Run({"upgrade", "a1"}).exit_code, 0);
  project.Write("b2", "a1", "CREATE TABLE b (id bigint);");
  EXPECT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
}

TEST(SumFile, RevisionMaintainsItAndAConflictedMergeIsCaught) {
  RETORT_REQUIRE_PG(pg);
  ChecksumProject project(pg, pg->CreateDatabase("sum"));
  CommandOutput first = project.Run({"revision", "-m", "first", "--rev-id", "aaa"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::string sum_path = project.dir().path() + "/migrations/retort.sum";
  CommandOutput validate = project.Run({"validate"});
  EXPECT_EQ(validate.exit_code, 0) << validate.out << validate.err;

  // What git leaves behind when two branches each added a revision.
  CommandOutput second = project.Run({"revision", "-m", "second", "--rev-id", "bbb"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  project.dir().Write("migrations/retort.sum",
                      "<<<<<<< HEAD\nh1:aaaa\n=======\nh1:bbbb\n>>>>>>> branch\n");
  CommandOutput third = project.Run({"revision", "-m", "third"});
  EXPECT_EQ(third.exit_code, 2) << third.err;
  EXPECT_NE(third.err.find("retort.sum:1"), std::string::npos) << third.err;
  validate = project.Run({"validate"});
  EXPECT_EQ(validate.exit_code, 3) << validate.out;

  EXPECT_EQ(project.Run({"hash"}).exit_code, 0);
  EXPECT_EQ(project.Run({"validate"}).exit_code, 0);
  EXPECT_EQ(project.Run({"revision", "-m", "third"}).exit_code, 0);
}

// The everyday flow: `revision` writes the file and its sum, the author fills it in, `upgrade`
// applies it on their database and takes the edit into retort.sum (saying so), and validate
// passes without `retort hash`. Accepting an edit of an applied file with
// `stamp --update-checksums` takes it into retort.sum too.
TEST(SumFile, UpgradeAndUpdateChecksumsTakeEditsIntoIt) {
  RETORT_REQUIRE_PG(pg);
  ChecksumProject project(pg, pg->CreateDatabase("sumflow"));
  CommandOutput written = project.Run({"revision", "-m", "first", "--rev-id", "aaa"});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  std::string name;
  for (const auto& entry :
       std::filesystem::directory_iterator(project.dir().path() + "/migrations/versions")) {
    if (entry.path().extension() == ".sql")
      name = "migrations/versions/" + entry.path().filename().string();
  }
  ASSERT_FALSE(name.empty());
  std::string path = project.dir().path() + "/" + name;
  std::string text = ReadFileOrEmpty(path);
  ASSERT_NE(text.find("-- retort:upgrade\n"), std::string::npos) << path;
  text.insert(text.find("-- retort:upgrade\n") + 18, "CREATE TABLE flow (id int);\n");
  project.dir().Write(name, text);
  CommandOutput stale = project.Run({"validate"});
  EXPECT_EQ(stale.exit_code, 3) << stale.out << stale.err;
  EXPECT_NE(stale.out.find("retort upgrade"), std::string::npos) << stale.out;

  CommandOutput upgraded = project.Run({"upgrade", "head"});
  ASSERT_EQ(upgraded.exit_code, 0) << upgraded.err;
  EXPECT_NE(upgraded.err.find("retort.sum: took in the edit of"), std::string::npos)
      << upgraded.err;
  CommandOutput valid = project.Run({"validate"});
  EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;

  // Applied now: an edit is refused until accepted, and accepting it fixes the sum as well.
  text.insert(text.find("CREATE TABLE flow (id int);\n") + 28, "INSERT INTO flow VALUES (1);\n");
  project.dir().Write(name, text);
  EXPECT_EQ(project.Run({"upgrade", "head"}).exit_code, 2);
  CommandOutput accepted = project.Run({"stamp", "--update-checksums"});
  ASSERT_EQ(accepted.exit_code, 0) << accepted.err;
  CommandOutput accepted_valid = project.Run({"validate"});
  EXPECT_EQ(accepted_valid.exit_code, 0) << accepted_valid.out << accepted_valid.err;
}

}  // namespace
}  // namespace retort::testing
