// check, diff, inspect and revision --autogenerate end to end: the built binary, a project with
// schema/ files and migrations, the harness server as the dev server (dev_url) and as the
// configured database.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "base/strings.h"
#include "commands/commands.h"
#include "config/config.h"
#include "support/pg_harness.h"

namespace retort {
namespace {

namespace fs = std::filesystem;
using ::retort::testing::CommandOutput;
using ::retort::testing::Describe;
using ::retort::testing::PgHarness;
using ::retort::testing::RunRetort;
using ::retort::testing::TempDir;

using Strings = std::vector<std::string>;

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

bool Contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Whether one statement of `sql` (text between semicolons) holds `words` in this order, ignoring
// case: the tests do not depend on how render spaces, qualifies or quotes.
bool HasStatement(const std::string& sql, const Strings& words) {
  std::istringstream statements(Lower(sql));
  std::string statement;
  while (std::getline(statements, statement, ';')) {
    size_t at = 0;
    bool all = true;
    for (const std::string& word : words) {
      at = statement.find(Lower(word), at);
      if (at == std::string::npos) {
        all = false;
        break;
      }
      at += word.size();
    }
    if (all) return true;
  }
  return false;
}

// The value of a `-- retort:NAME value` header line; "" when absent.
std::string HeaderValue(const std::string& text, const std::string& name) {
  std::istringstream lines(text);
  std::string line;
  std::string prefix = "-- retort:" + name;
  while (std::getline(lines, line)) {
    if (line.rfind(prefix, 0) != 0 || line.size() == prefix.size() ||
        !std::isspace(static_cast<unsigned char>(line[prefix.size()]))) {
      continue;
    }
    size_t begin = line.find_first_not_of(" \t", prefix.size());
    size_t end = line.find_last_not_of(" \t\r");
    return begin == std::string::npos ? "" : line.substr(begin, end - begin + 1);
  }
  return "";
}

Strings FilesIn(const std::string& directory) {
  Strings names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The text of a migration file's section ("upgrade" or "downgrade").
std::string Section(const std::string& text, const std::string& name) {
  size_t start = text.find("-- retort:" + name);
  if (start == std::string::npos) return "";
  start = text.find('\n', start);
  if (start == std::string::npos) return "";
  size_t end = name == "upgrade" ? text.find("-- retort:downgrade", start) : std::string::npos;
  return text.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
}

// Whether `text` holds anything but blank lines and `--` comments.
bool HasSql(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string::npos && line.compare(first, 2, "--") != 0) return true;
  }
  return false;
}

std::string Migration(const std::string& id, const std::string& revises, const std::string& up,
                      const std::string& down, const std::string& extra_header = "") {
  return "-- retort:revision  " + id + "\n-- retort:revises   " + revises +
         "\n-- retort:message   migration " + id + "\n" + extra_header + "\n-- retort:upgrade\n" +
         up + "\n\n-- retort:downgrade\n" + down + "\n";
}

Strings DatabasesLike(PgHarness* pg, const std::string& pattern) {
  Strings names;
  for (const auto& row : pg->Query("postgres",
                                   "SELECT datname FROM pg_database WHERE datname "
                                   "LIKE '" +
                                       pattern + "' ORDER BY 1")) {
    names.push_back(row[0]);
  }
  return names;
}

const char kDocsTable[] =
    "CREATE TABLE docs (\n    id bigint PRIMARY KEY,\n    body text NOT NULL\n);\n";
const char kDocsWithTitle[] =
    "CREATE TABLE docs (\n    id bigint PRIMARY KEY,\n    body text NOT NULL,\n    title text\n);"
    "\n";

// A project whose configured database is a fresh harness database and whose dev server is the
// harness server. Its migrations create `docs`; schema/ starts out describing the same.
class EngineProject {
 public:
  explicit EngineProject(PgHarness* pg) : pg_(pg), db_(pg->CreateDatabase("eng")) {
    dir_.Write("retort.toml", "[database]\nurl = \"" + pg->Url(db_) +
                                  "\"\n\n[migrations]\nscript_location = \"migrations\"\n\n"
                                  "[schema]\npaths = [\"schema\"]\ndev_url = \"" +
                                  pg->Url("postgres") + "\"\n");
    fs::create_directories(VersionsDir());
    AddMigration("20250101_0000-aaa000000001_docs.sql",
                 Migration("aaa000000001", "none", kDocsTable, "DROP TABLE docs;"));
    WriteSchema("10_docs.sql", kDocsTable);
  }
  ~EngineProject() {
    // Templates are per project; this one is gone with its directory.
    for (const std::string& name : DatabasesLike(pg_, "retort\\_tpl\\_%")) {
      pg_->Query("postgres", "DROP DATABASE IF EXISTS " + name);
    }
  }

  const std::string& path() const { return dir_.path(); }
  const std::string& db() const { return db_; }
  std::string Url() const { return pg_->Url(db_); }
  std::string VersionsDir() const { return dir_.path() + "/migrations/versions"; }
  void AddMigration(const std::string& name, const std::string& text) const {
    dir_.Write("migrations/versions/" + name, text);
  }
  void WriteSchema(const std::string& name, const std::string& text) const {
    dir_.Write("schema/" + name, text);
  }
  void RemoveSchema(const std::string& name) const { fs::remove(dir_.path() + "/schema/" + name); }

  CommandOutput Run(const Strings& args) const { return RunRetort(args, dir_.path()); }

  std::string Scalar(const std::string& sql) const { return pg_->Scalar(db_, sql); }
  bool HasColumn(const std::string& table, const std::string& column) const {
    return Scalar(
               "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' "
               "AND table_name = '" +
               table + "' AND column_name = '" + column + "'") == "1";
  }

 private:
  PgHarness* pg_;
  TempDir dir_;
  std::string db_;
};

// Every command cleans up after itself on the dev server.
void ExpectNoScratchDatabases(PgHarness* pg) {
  EXPECT_EQ(DatabasesLike(pg, "retort\\_scratch\\_%"), Strings{});
}

// ---------------------------------------------------------------------------------------------
// check

TEST(CheckCommand, PassesWhenTheMigrationsMatchSchema) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  CommandOutput check = project.Run({"check"});
  EXPECT_EQ(check.exit_code, 0) << Describe(check);
  EXPECT_TRUE(Contains(check.out, "migrations match schema/")) << Describe(check);
  CommandOutput json = project.Run({"check", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << Describe(json);
  nlohmann::json report = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << Describe(json);
  EXPECT_EQ(report["match"], true) << json.out;
  EXPECT_EQ(report["sql"], "") << json.out;
  ExpectNoScratchDatabases(pg);
}

TEST(CheckCommand, FailsWithTheMissingSqlWhenSchemaHasAnExtraColumn) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  project.WriteSchema("10_docs.sql", kDocsWithTitle);
  CommandOutput check = project.Run({"check"});
  EXPECT_EQ(check.exit_code, 3) << Describe(check);
  EXPECT_TRUE(HasStatement(check.out, {"ALTER TABLE", "docs", "ADD COLUMN", "title"}))
      << Describe(check);
  EXPECT_TRUE(Contains(check.err, "do not match schema/")) << Describe(check);
  CommandOutput json = project.Run({"check", "--format", "json"});
  ASSERT_EQ(json.exit_code, 3) << Describe(json);
  nlohmann::json report = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << Describe(json);
  EXPECT_EQ(report["match"], false) << json.out;
  EXPECT_EQ(report["heads"], nlohmann::json::array({"aaa000000001"})) << json.out;
  EXPECT_EQ(report["schema"], "schema/") << json.out;
  EXPECT_TRUE(HasStatement(report["sql"].get<std::string>(), {"ADD COLUMN", "title"})) << json.out;
  ExpectNoScratchDatabases(pg);
}

TEST(CheckCommand, ReplaysNonTransactionalMigrationsAndSchemaFiles) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  const char kMood[] =
      "ALTER TYPE mood ADD VALUE 'great' AFTER 'ok';\n"
      "CREATE INDEX CONCURRENTLY ix_docs_body ON docs (body);\n";
  project.AddMigration("20250102_0000-aaa000000002_mood.sql",
                       Migration("aaa000000002", "aaa000000001", "CREATE TYPE mood AS ENUM ('ok');",
                                 "DROP TYPE mood;"));
  project.AddMigration(
      "20250103_0000-aaa000000003_more.sql",
      Migration("aaa000000003", "aaa000000002", kMood, "DROP INDEX CONCURRENTLY ix_docs_body;",
                "-- retort:transaction none\n"));
  project.WriteSchema("20_mood.sql", "CREATE TYPE mood AS ENUM ('ok');\n" + std::string(kMood));
  CommandOutput check = project.Run({"check"});
  EXPECT_EQ(check.exit_code, 0) << Describe(check);
  ExpectNoScratchDatabases(pg);
}

TEST(CheckCommand, ASchemaSyntaxErrorNamesFileAndLine) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  project.WriteSchema("20_bad.sql",
                      "CREATE TABLE a (x int);\n\nCREATE TABLE b (\n  x int\n  y int\n);\n");
  CommandOutput check = project.Run({"check"});
  EXPECT_EQ(check.exit_code, 2) << Describe(check);
  EXPECT_TRUE(Contains(check.err, "schema/20_bad.sql:5: syntax error")) << Describe(check);
  ExpectNoScratchDatabases(pg);
}

TEST(CheckCommand, ASchemaRuntimeErrorNamesFileAndLine) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  project.WriteSchema(
      "20_bad.sql",
      "CREATE TABLE a (x int);\n\nCREATE VIEW v AS\n  SELECT x FROM unknown_table;\n");
  CommandOutput check = project.Run({"check"});
  EXPECT_EQ(check.exit_code, 2) << Describe(check);
  EXPECT_TRUE(Contains(check.err, "schema/20_bad.sql:4: statement failed")) << Describe(check);
  EXPECT_TRUE(Contains(check.err, "unknown_table")) << Describe(check);
  ExpectNoScratchDatabases(pg);
}

TEST(CheckCommand, AMissingSchemaPathIsBadInput) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  fs::remove_all(project.path() + "/schema");
  CommandOutput check = project.Run({"check"});
  EXPECT_EQ(check.exit_code, 2) << Describe(check);
  EXPECT_TRUE(Contains(check.err, "no schema files (schema/ does not exist)")) << Describe(check);
  ExpectNoScratchDatabases(pg);
}

// check reads the migrations' headers first and parses their SQL while the schema side runs;
// every file with a syntax error is still named, and the exit code says bad input.
TEST(CheckCommand, MigrationsWithSyntaxErrorsAreAllNamed) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  project.AddMigration("20250102_0000-aaa000000002_bad.sql",
                       Migration("aaa000000002", "aaa000000001",
                                 "ALTER TABLE docs ADD COLUMN a int;\nALTR TABLE docs;", ""));
  project.AddMigration(
      "20250103_0000-aaa000000003_worse.sql",
      Migration("aaa000000003", "aaa000000002", "CREAT TABLE worse (id int);", ""));
  CommandOutput check = project.Run({"check"});
  EXPECT_EQ(check.exit_code, 2) << Describe(check);
  EXPECT_TRUE(Contains(check.err, "aaa000000002_bad.sql:")) << Describe(check);
  EXPECT_TRUE(Contains(check.err, "at or near \"ALTR\"")) << Describe(check);
  EXPECT_TRUE(Contains(check.err, "aaa000000003_worse.sql:")) << Describe(check);
  EXPECT_TRUE(Contains(check.err, "at or near \"CREAT\"")) << Describe(check);
  ExpectNoScratchDatabases(pg);
}

TEST(CheckCommand, AFailingMigrationNamesItsFileAndLine) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  project.AddMigration(
      "20250102_0000-aaa000000002_bad.sql",
      Migration("aaa000000002", "aaa000000001",
                "ALTER TABLE docs ADD COLUMN a int;\nALTER TABLE nope ADD COLUMN b int;", ""));
  CommandOutput check = project.Run({"check"});
  EXPECT_NE(check.exit_code, 0) << Describe(check);
  EXPECT_NE(check.exit_code, 3) << Describe(check);
  EXPECT_TRUE(Contains(check.err, "aaa000000002_bad.sql:")) << Describe(check);
  EXPECT_TRUE(Contains(check.err, "\"nope\" does not exist")) << Describe(check);
  ExpectNoScratchDatabases(pg);
}

// The template a check's log names on the line that starts with `side` ("migrations at",
// "schema/:"), or "" when that line names none.
std::string TemplateOf(const std::string& log, const std::string& side) {
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(side, 0) != 0) continue;
    size_t at = line.find("retort_tpl_");
    if (at == std::string::npos) return "";
    size_t end = line.find_first_of(" )", at);
    return line.substr(at, end == std::string::npos ? std::string::npos : end - at);
  }
  return "";
}

// Both sides of a check keep what they built: the replayed head keyed by the migrations, the
// applied schema keyed by the schema files; an unchanged side is read instead of rebuilt.
TEST(CheckCommand, KeepsEachSideAsATemplateKeyedByItsFiles) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  auto templates = [pg] {
    Strings names = DatabasesLike(pg, "retort\\_tpl\\_%");
    std::sort(names.begin(), names.end());
    return names;
  };
  ASSERT_TRUE(templates().empty());
  CommandOutput first = project.Run({"check"});
  ASSERT_EQ(first.exit_code, 0) << Describe(first);
  EXPECT_TRUE(Contains(first.err, "replayed 1 migration")) << Describe(first);
  EXPECT_TRUE(Contains(first.err, "schema/: 1 file applied")) << Describe(first);
  std::string migrations = TemplateOf(first.err, "migrations at");
  std::string schema = TemplateOf(first.err, "schema/:");
  ASSERT_FALSE(migrations.empty()) << Describe(first);
  ASSERT_FALSE(schema.empty()) << Describe(first);
  EXPECT_NE(migrations, schema);
  Strings both = {migrations, schema};
  std::sort(both.begin(), both.end());
  EXPECT_EQ(templates(), both);

  // Nothing changed: both are read, nothing is replayed or applied.
  CommandOutput second = project.Run({"check"});
  ASSERT_EQ(second.exit_code, 0) << Describe(second);
  EXPECT_TRUE(Contains(second.err, "read from template " + migrations)) << Describe(second);
  EXPECT_TRUE(Contains(second.err, "schema/: 1 file read from template " + schema))
      << Describe(second);
  EXPECT_FALSE(Contains(second.err, "replayed")) << Describe(second);
  EXPECT_FALSE(Contains(second.err, "applied")) << Describe(second);
  EXPECT_EQ(templates(), both);

  // Reformatting a migration keeps its checksum, and the template.
  std::string path = project.VersionsDir() + "/20250101_0000-aaa000000001_docs.sql";
  WriteText(path, ReadText(path) + "\n-- a trailing comment\n");
  CommandOutput reformatted = project.Run({"check"});
  ASSERT_EQ(reformatted.exit_code, 0) << Describe(reformatted);
  EXPECT_EQ(templates(), both);

  // A changed schema file is applied again, and its template replaces the old one; the
  // migrations' stays. The result is the new file's, not the template's.
  project.WriteSchema("10_docs.sql", kDocsWithTitle);
  CommandOutput schema_changed = project.Run({"check"});
  EXPECT_EQ(schema_changed.exit_code, 3) << Describe(schema_changed);
  EXPECT_TRUE(HasStatement(schema_changed.out, {"ADD COLUMN", "title"}))
      << Describe(schema_changed);
  EXPECT_TRUE(Contains(schema_changed.err, "read from template " + migrations))
      << Describe(schema_changed);
  std::string new_schema = TemplateOf(schema_changed.err, "schema/:");
  EXPECT_TRUE(Contains(schema_changed.err, "schema/: 1 file applied")) << Describe(schema_changed);
  EXPECT_NE(new_schema, schema);
  Strings after_schema = {migrations, new_schema};
  std::sort(after_schema.begin(), after_schema.end());
  EXPECT_EQ(templates(), after_schema);

  // Changing a migration makes a new template that replaces the old one.
  project.AddMigration("20250101_0000-aaa000000001_docs.sql",
                       Migration("aaa000000001", "none", kDocsWithTitle, "DROP TABLE docs;"));
  CommandOutput changed = project.Run({"check"});
  ASSERT_EQ(changed.exit_code, 0) << Describe(changed);
  EXPECT_TRUE(Contains(changed.err, "replayed 1 migration")) << Describe(changed);
  EXPECT_TRUE(Contains(changed.err, "schema/: 1 file read from template " + new_schema))
      << Describe(changed);
  std::string new_migrations = TemplateOf(changed.err, "migrations at");
  EXPECT_NE(new_migrations, migrations);
  Strings after = {new_migrations, new_schema};
  std::sort(after.begin(), after.end());
  EXPECT_EQ(templates(), after);
  ExpectNoScratchDatabases(pg);
}

// Finding the template needs every migration statement parsed and fingerprinted (its content
// key ignores formatting); .retort/template-keys remembers which content key files with these
// exact bytes had, so an unchanged project finds its template without parsing anything.
TEST(CheckCommand, RemembersTheTemplateKeyOfUnchangedFiles) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  WriteText(project.path() + "/.gitignore", ".retort/\n");
  std::string keys_path = project.path() + "/.retort/template-keys";
  CommandOutput first = project.Run({"check"});
  ASSERT_EQ(first.exit_code, 0) << Describe(first);
  std::string migrations = TemplateOf(first.err, "migrations at");
  ASSERT_FALSE(migrations.empty()) << Describe(first);
  Strings lines = Split(ReadText(keys_path), '\n');
  ASSERT_EQ(lines.size(), 2u) << ReadText(keys_path);  // one line, then the final newline's ""
  Strings keys = Split(lines[0], ' ');
  ASSERT_EQ(keys.size(), 2u) << lines[0];
  // The content key names the template: retort_tpl_<project key>_<content key's first 16>.
  EXPECT_EQ(migrations.substr(migrations.size() - 16), keys[1].substr(0, 16));

  CommandOutput second = project.Run({"check"});
  ASSERT_EQ(second.exit_code, 0) << Describe(second);
  EXPECT_TRUE(Contains(second.err, "read from template " + migrations)) << Describe(second);
  EXPECT_EQ(Split(ReadText(keys_path), '\n'), lines);

  // Reformatted, the file has new bytes and is parsed again: same content key, same template,
  // and a second line for its new bytes, first.
  std::string path = project.VersionsDir() + "/20250101_0000-aaa000000001_docs.sql";
  WriteText(path, ReadText(path) + "\n-- a trailing comment\n");
  CommandOutput reformatted = project.Run({"check"});
  ASSERT_EQ(reformatted.exit_code, 0) << Describe(reformatted);
  EXPECT_TRUE(Contains(reformatted.err, "read from template " + migrations))
      << Describe(reformatted);
  Strings after = Split(ReadText(keys_path), '\n');
  ASSERT_EQ(after.size(), 3u) << ReadText(keys_path);
  EXPECT_EQ(after[1], lines[0]);
  EXPECT_NE(Split(after[0], ' ')[0], keys[0]);
  EXPECT_EQ(Split(after[0], ' ')[1], keys[1]);

  // A syntax error is still found: new bytes have no remembered key.
  WriteText(path, ReadText(path) + "\nALTR TABLE docs ADD COLUMN x int;\n");
  CommandOutput broken = project.Run({"check"});
  EXPECT_EQ(broken.exit_code, 2) << Describe(broken);
  EXPECT_TRUE(Contains(broken.err, "at or near \"ALTR\"")) << Describe(broken);
}

TEST(CheckCommand, WithNoMigrationsComparesAnEmptyDatabase) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  fs::remove(project.VersionsDir() + "/20250101_0000-aaa000000001_docs.sql");
  CommandOutput differs = project.Run({"check"});
  EXPECT_EQ(differs.exit_code, 3) << Describe(differs);
  EXPECT_TRUE(HasStatement(differs.out, {"CREATE TABLE", "docs"})) << Describe(differs);
}

// An empty schema/ (as `init` leaves it) or `paths = []` declares no desired state: there is
// nothing to compare the migrations with, which is bad input, never "drop everything".
TEST(CheckCommand, WithoutSchemaFilesThereIsNothingToCheck) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  project.RemoveSchema("10_docs.sql");
  CommandOutput empty = project.Run({"check"});
  EXPECT_EQ(empty.exit_code, 2) << Describe(empty);
  EXPECT_TRUE(Contains(empty.err, "schema/ holds no .sql file")) << Describe(empty);
  EXPECT_FALSE(HasStatement(empty.out, {"DROP TABLE"})) << Describe(empty);

  std::string config = ReadText(project.path() + "/retort.toml");
  config.replace(config.find("paths = [\"schema\"]"), 18, "paths = []");
  WriteText(project.path() + "/retort.toml", config);
  CommandOutput no_paths = project.Run({"check", "--format", "json"});
  EXPECT_EQ(no_paths.exit_code, 2) << Describe(no_paths);
  EXPECT_TRUE(Contains(no_paths.err, "[schema] paths is empty")) << Describe(no_paths);
  EXPECT_FALSE(Contains(no_paths.err, "do not match")) << Describe(no_paths);
  EXPECT_FALSE(HasStatement(no_paths.out, {"DROP TABLE"})) << Describe(no_paths);
  ExpectNoScratchDatabases(pg);
}

// ---------------------------------------------------------------------------------------------
// revision --autogenerate

TEST(AutogenerateCommand, WritesBothDirectionsThatUpgradeAndDowngradeCleanly) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  project.WriteSchema("10_docs.sql", kDocsWithTitle);
  CommandOutput generated =
      project.Run({"revision", "--autogenerate", "-m", "add title", "--rev-id", "bbb000000002"});
  ASSERT_EQ(generated.exit_code, 0) << Describe(generated);
  Strings files = FilesIn(project.VersionsDir());
  ASSERT_EQ(files.size(), 2u);
  std::string written;
  for (const std::string& name : files) {
    if (Contains(name, "bbb000000002")) written = ReadText(project.VersionsDir() + "/" + name);
  }
  ASSERT_FALSE(written.empty());
  EXPECT_EQ(HeaderValue(written, "revises"), "aaa000000001") << written;
  EXPECT_TRUE(HasStatement(Section(written, "upgrade"), {"ADD COLUMN", "title"})) << written;
  EXPECT_FALSE(HasStatement(Section(written, "upgrade"), {"DROP COLUMN"})) << written;
  EXPECT_TRUE(HasStatement(Section(written, "downgrade"), {"DROP COLUMN", "title"})) << written;
  ExpectNoScratchDatabases(pg);

  // The migrations now match schema/.
  CommandOutput check = project.Run({"check"});
  EXPECT_EQ(check.exit_code, 0) << Describe(check);

  // And the file runs both ways on a real database.
  CommandOutput upgraded = project.Run({"upgrade", "head"});
  ASSERT_EQ(upgraded.exit_code, 0) << Describe(upgraded);
  EXPECT_TRUE(project.HasColumn("docs", "title"));
  CommandOutput downgraded = project.Run({"downgrade", "-1"});
  ASSERT_EQ(downgraded.exit_code, 0) << Describe(downgraded);
  EXPECT_FALSE(project.HasColumn("docs", "title"));
  EXPECT_TRUE(project.HasColumn("docs", "body"));
}

TEST(AutogenerateCommand, WritesNothingWhenNothingChangedUnlessEmptyIsGiven) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  CommandOutput nothing = project.Run({"revision", "--autogenerate", "-m", "nothing"});
  EXPECT_EQ(nothing.exit_code, 0) << Describe(nothing);
  EXPECT_TRUE(Contains(nothing.err, "no changes")) << Describe(nothing);
  EXPECT_EQ(FilesIn(project.VersionsDir()).size(), 1u);

  CommandOutput empty = project.Run({"revision", "--autogenerate", "--empty", "-m", "placeholder"});
  EXPECT_EQ(empty.exit_code, 0) << Describe(empty);
  Strings files = FilesIn(project.VersionsDir());
  ASSERT_EQ(files.size(), 2u);
  std::string written;
  for (const std::string& name : files) {
    if (Contains(name, "placeholder")) written = ReadText(project.VersionsDir() + "/" + name);
  }
  EXPECT_FALSE(HasSql(Section(written, "upgrade"))) << written;
  EXPECT_FALSE(HasSql(Section(written, "downgrade"))) << written;
  ExpectNoScratchDatabases(pg);
}

// Autogenerating against an empty schema/ would write a migration that drops everything the
// migrations built: refused, with what it would drop and how to go on.
TEST(AutogenerateCommand, RefusesToDropEverythingWhenSchemaHasNoFiles) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  project.AddMigration(
      "20250102_0000-aaa000000002_view.sql",
      Migration("aaa000000002", "aaa000000001", "CREATE VIEW docs_view AS SELECT id FROM docs;",
                "DROP VIEW docs_view;"));
  project.RemoveSchema("10_docs.sql");
  CommandOutput refused = project.Run({"revision", "--autogenerate", "-m", "oops"});
  EXPECT_EQ(refused.exit_code, 2) << Describe(refused);
  EXPECT_TRUE(Contains(refused.err, "schema/ holds no .sql file")) << Describe(refused);
  EXPECT_TRUE(Contains(refused.err, "drop all 2 objects")) << Describe(refused);
  EXPECT_TRUE(Contains(refused.err, "1 table, 1 view")) << Describe(refused);
  EXPECT_TRUE(Contains(refused.err, "retort inspect head")) << Describe(refused);
  EXPECT_EQ(FilesIn(project.VersionsDir()).size(), 2u);
  ExpectNoScratchDatabases(pg);
}

TEST(AutogenerateCommand, FromDbStartsFromTheConfiguredDatabase) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  project.WriteSchema("10_docs.sql", kDocsWithTitle);
  // Not at head yet: refused.
  CommandOutput behind = project.Run({"revision", "--autogenerate", "--from-db", "-m", "x"});
  EXPECT_EQ(behind.exit_code, 2) << Describe(behind);
  EXPECT_TRUE(Contains(behind.err, "upgrade it first")) << Describe(behind);

  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  // Someone added the column by hand; the database, not the migrations, is the starting point.
  pg->Query(project.db(), "ALTER TABLE docs ADD COLUMN title text");
  CommandOutput same = project.Run({"revision", "--autogenerate", "--from-db", "-m", "x"});
  EXPECT_EQ(same.exit_code, 0) << Describe(same);
  EXPECT_TRUE(Contains(same.err, "no changes")) << Describe(same);
  EXPECT_EQ(FilesIn(project.VersionsDir()).size(), 1u);
}

// autogenerate writes both directions, so a type change without a cast needs a conversion
// each way; given both, the file runs up and down.
TEST(AutogenerateCommand, ATypeChangeWithoutACastNeedsUsingBothWays) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  project.WriteSchema(
      "10_docs.sql",
      "CREATE TABLE docs (\n    id bigint PRIMARY KEY,\n    body text NOT NULL\n);\n"
      "CREATE TABLE stamps (id int PRIMARY KEY, at timestamp);\n");
  project.AddMigration(
      "20250102_0000-aaa000000002_stamps.sql",
      Migration("aaa000000002", "aaa000000001",
                "CREATE TABLE stamps (id int PRIMARY KEY, at bigint);", "DROP TABLE stamps;"));
  CommandOutput refused = project.Run({"revision", "--autogenerate", "-m", "stamps"});
  EXPECT_EQ(refused.exit_code, 2) << Describe(refused);
  EXPECT_TRUE(Contains(refused.err,
                       "column public.stamps.at changes type from bigint to "
                       "timestamp without time zone"))
      << Describe(refused);
  EXPECT_EQ(FilesIn(project.VersionsDir()).size(), 2u);

  CommandOutput one_way = project.Run({"revision", "--autogenerate", "-m", "stamps", "--using",
                                       "public.stamps.at=to_timestamp(at)"});
  EXPECT_EQ(one_way.exit_code, 2) << Describe(one_way);
  EXPECT_TRUE(Contains(one_way.err, "downgrade: column public.stamps.at")) << Describe(one_way);
  EXPECT_TRUE(Contains(one_way.err, "--downgrade-using")) << Describe(one_way);
  EXPECT_EQ(FilesIn(project.VersionsDir()).size(), 2u);

  CommandOutput check = project.Run({"check"});
  EXPECT_EQ(check.exit_code, 2) << Describe(check);
  EXPECT_TRUE(Contains(check.err, "column public.stamps.at")) << Describe(check);

  CommandOutput written =
      project.Run({"revision", "--autogenerate", "-m", "stamps", "--rev-id", "ccc000000003",
                   "--using", "public.stamps.at=to_timestamp(at)", "--downgrade-using",
                   "stamps.at=extract(epoch FROM at)::bigint"});
  ASSERT_EQ(written.exit_code, 0) << Describe(written);
  // stamps exists already: the rewrite stays, and the author hears of it.
  EXPECT_TRUE(Contains(written.err, "note: the type change of public.stamps.at rewrites the table"))
      << Describe(written);
  std::string text;
  for (const std::string& name : FilesIn(project.VersionsDir())) {
    if (Contains(name, "ccc000000003")) text = ReadText(project.VersionsDir() + "/" + name);
  }
  EXPECT_TRUE(HasStatement(Section(text, "upgrade"), {"TYPE", "USING to_timestamp(at)"})) << text;
  EXPECT_TRUE(HasStatement(Section(text, "downgrade"),
                           {"TYPE bigint", "USING extract(epoch FROM at)::bigint"}))
      << text;
  EXPECT_EQ(project.Run({"check"}).exit_code, 0);
  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  pg->Query(project.db(), "INSERT INTO stamps VALUES (1, '2025-01-02 03:04:05')");
  CommandOutput down = project.Run({"downgrade", "-1"});
  ASSERT_EQ(down.exit_code, 0) << Describe(down);
  EXPECT_EQ(project.Scalar("SELECT at FROM stamps"), "1735787045");
}

TEST(AutogenerateCommand, FlagsNeedAutogenerate) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  CommandOutput run = project.Run({"revision", "--empty", "-m", "x"});
  EXPECT_EQ(run.exit_code, 2) << Describe(run);
  EXPECT_TRUE(Contains(run.err, "--autogenerate")) << Describe(run);
}

// The online plan on a table with rows: a column with a volatile default and NOT NULL filled by
// a keyed backfill, an index and a unique constraint built CONCURRENTLY. The unique build meets
// duplicates and fails; once the data is fixed, the next upgrade drops the INVALID index it left
// and finishes; the downgrade gives back the schema exactly.
TEST(AutogenerateCommand, OnlinePlanResumesAfterAFailedUniqueBuild) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  pg->Query(project.db(),
            "INSERT INTO docs SELECT i, 'body ' || i FROM generate_series(1, 2500) i; "
            "UPDATE docs SET body = 'twice' WHERE id IN (7, 1200); ANALYZE docs");
  CommandOutput before = project.Run({"inspect"});
  ASSERT_EQ(before.exit_code, 0) << Describe(before);
  project.WriteSchema("10_docs.sql",
                      "CREATE TABLE docs (\n    id bigint PRIMARY KEY,\n    body text NOT NULL "
                      "UNIQUE,\n    token uuid NOT NULL DEFAULT gen_random_uuid()\n);\n"
                      "CREATE INDEX docs_token_idx ON docs (token);\n");
  CommandOutput generated =
      project.Run({"revision", "--autogenerate", "-m", "online", "--rev-id", "bbb000000002"});
  ASSERT_EQ(generated.exit_code, 0) << Describe(generated);
  std::string path;
  for (const std::string& name : FilesIn(project.VersionsDir())) {
    if (Contains(name, "bbb000000002")) path = project.VersionsDir() + "/" + name;
  }
  std::string text = ReadText(path);
  EXPECT_EQ(HeaderValue(text, "transaction"), "none") << text;
  std::string up = Section(text, "upgrade");
  EXPECT_TRUE(Contains(up,
                       "-- retort:batch size=10000 key=id\nUPDATE public.docs SET token = "
                       "DEFAULT WHERE id BETWEEN :batch_start AND :batch_end"))
      << text;
  EXPECT_TRUE(HasStatement(up, {"CREATE INDEX CONCURRENTLY docs_token_idx"})) << text;
  EXPECT_TRUE(HasStatement(up, {"CREATE UNIQUE INDEX CONCURRENTLY docs_body_key"})) << text;
  EXPECT_TRUE(HasStatement(up, {"ADD CONSTRAINT docs_body_key UNIQUE USING INDEX docs_body_key"}))
      << text;
  EXPECT_TRUE(HasStatement(up, {"CHECK (token IS NOT NULL) NOT VALID"})) << text;
  EXPECT_FALSE(HasStatement(up, {"ADD COLUMN", "DEFAULT"})) << text;
  EXPECT_TRUE(
      HasStatement(Section(text, "downgrade"), {"DROP INDEX CONCURRENTLY", "docs_token_idx"}))
      << text;
  // Nothing in it that lint warns about, even graded by the live table.
  CommandOutput lint = project.Run({"lint", path});
  EXPECT_EQ(lint.exit_code, 0) << Describe(lint);
  EXPECT_TRUE(Contains(lint.out, "no findings")) << Describe(lint);

  CommandOutput failed = project.Run({"upgrade", "head"});
  EXPECT_EQ(failed.exit_code, 1) << Describe(failed);
  EXPECT_TRUE(Contains(failed.err, "docs_body_key")) << Describe(failed);
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM docs WHERE token IS NULL"), "0");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "1");
  CommandOutput partial = project.Run({"current"});
  EXPECT_TRUE(Contains(partial.out, "partially applied")) << Describe(partial);

  pg->Query(project.db(), "UPDATE docs SET body = 'once' WHERE id = 1200");
  CommandOutput resumed = project.Run({"upgrade", "head"});
  ASSERT_EQ(resumed.exit_code, 0) << Describe(resumed);
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "0");
  EXPECT_EQ(project.Scalar("SELECT count(DISTINCT token) FROM docs"), "2500");
  EXPECT_EQ(project.Scalar("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'docs'::regclass "
                           "AND attname = 'token'"),
            "t");
  CommandOutput check = project.Run({"check"});
  EXPECT_EQ(check.exit_code, 0) << Describe(check);
  // The database itself is what schema/ describes.
  CommandOutput converged = project.Run({"diff", project.Url(), "schema"});
  EXPECT_EQ(converged.exit_code, 0) << Describe(converged);
  EXPECT_TRUE(Contains(converged.err, "no differences")) << Describe(converged);

  CommandOutput down = project.Run({"downgrade", "-1"});
  ASSERT_EQ(down.exit_code, 0) << Describe(down);
  CommandOutput after = project.Run({"inspect"});
  EXPECT_EQ(after.out, before.out);
}

// An index of a partitioned table, built partition by partition: a partition's failed build
// leaves an INVALID index, and the resumed run drops it, builds it again and attaches it.
TEST(AutogenerateCommand, PartitionedIndexResumesAtTheFailedPartition) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  const std::string events =
      "CREATE TABLE events (kind text NOT NULL, code int NOT NULL) PARTITION BY LIST (kind);\n"
      "CREATE TABLE events_a PARTITION OF events FOR VALUES IN ('a');\n"
      "CREATE TABLE events_b PARTITION OF events FOR VALUES IN ('b');\n";
  project.AddMigration("20250101_0001-aaa000000002_events.sql",
                       Migration("aaa000000002", "aaa000000001", events, "DROP TABLE events;"));
  project.WriteSchema("20_events.sql", events);
  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  pg->Query(project.db(), "INSERT INTO events VALUES ('a', 1), ('a', 2), ('b', 1), ('b', 1)");
  CommandOutput before = project.Run({"inspect"});
  ASSERT_EQ(before.exit_code, 0) << Describe(before);
  project.WriteSchema(
      "20_events.sql",
      events + "CREATE UNIQUE INDEX events_kind_code_idx ON events (kind, code);\n");
  CommandOutput generated =
      project.Run({"revision", "--autogenerate", "-m", "online", "--rev-id", "bbb000000003"});
  ASSERT_EQ(generated.exit_code, 0) << Describe(generated);
  std::string path;
  for (const std::string& name : FilesIn(project.VersionsDir())) {
    if (Contains(name, "bbb000000003")) path = project.VersionsDir() + "/" + name;
  }
  std::string up = Section(ReadText(path), "upgrade");
  EXPECT_TRUE(HasStatement(up, {"CREATE UNIQUE INDEX events_kind_code_idx ON ONLY public.events"}))
      << up;
  EXPECT_TRUE(HasStatement(
      up, {"CREATE UNIQUE INDEX CONCURRENTLY events_b_kind_code_idx ON public.events_b"}))
      << up;
  EXPECT_TRUE(HasStatement(up, {"ALTER INDEX public.events_kind_code_idx ATTACH PARTITION "
                                "public.events_b_kind_code_idx"}))
      << up;

  CommandOutput failed = project.Run({"upgrade", "head"});
  EXPECT_EQ(failed.exit_code, 1) << Describe(failed);
  EXPECT_TRUE(Contains(failed.err, "INVALID index public.events_b_kind_code_idx"))
      << Describe(failed);
  EXPECT_EQ(project.Scalar("SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY 1) FROM "
                           "pg_index WHERE NOT indisvalid"),
            "events_kind_code_idx,events_b_kind_code_idx");

  pg->Query(project.db(), "DELETE FROM events WHERE ctid = (SELECT max(ctid) FROM events_b)");
  CommandOutput resumed = project.Run({"upgrade", "head"});
  ASSERT_EQ(resumed.exit_code, 0) << Describe(resumed);
  EXPECT_TRUE(Contains(resumed.err, "found INVALID index public.events_b_kind_code_idx"))
      << Describe(resumed);
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "0");
  CommandOutput check = project.Run({"check"});
  EXPECT_EQ(check.exit_code, 0) << Describe(check);

  CommandOutput down = project.Run({"downgrade", "-1"});
  ASSERT_EQ(down.exit_code, 0) << Describe(down);
  EXPECT_EQ(project.Run({"inspect"}).out, before.out);
}

TEST(AutogenerateCommand, PlainWritesTheSimpleForm) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  project.WriteSchema("10_docs.sql", std::string(kDocsTable) + "CREATE INDEX ON docs (body);\n");
  CommandOutput generated = project.Run(
      {"revision", "--autogenerate", "--plain", "-m", "plain", "--rev-id", "bbb000000002"});
  ASSERT_EQ(generated.exit_code, 0) << Describe(generated);
  std::string text;
  for (const std::string& name : FilesIn(project.VersionsDir())) {
    if (Contains(name, "bbb000000002")) text = ReadText(project.VersionsDir() + "/" + name);
  }
  EXPECT_EQ(HeaderValue(text, "transaction"), "") << text;
  EXPECT_TRUE(HasStatement(Section(text, "upgrade"), {"CREATE INDEX docs_body_idx"})) << text;
  EXPECT_FALSE(Contains(text, "CONCURRENTLY")) << text;
  CommandOutput plain_alone = project.Run({"revision", "--plain", "-m", "x"});
  EXPECT_EQ(plain_alone.exit_code, 2) << Describe(plain_alone);
}

// ---------------------------------------------------------------------------------------------
// renames (docs/formats.md, "Renames")

// The text of the file a revision wrote, found by its id.
std::string WrittenFile(const EngineProject& project, const std::string& rev_id) {
  for (const std::string& name : FilesIn(project.VersionsDir())) {
    if (Contains(name, rev_id)) return ReadText(project.VersionsDir() + "/" + name);
  }
  return "";
}

const char kDocsRenamed[] =
    "CREATE TABLE docs (\n    id bigint PRIMARY KEY,\n    content text NOT NULL\n);\n";

// Without a terminal nobody can be asked: the drop and the add are written, with the likely
// rename named right under the DESTRUCTIVE line and in a note.
TEST(AutogenerateCommand, ALikelyRenameWithoutATerminalIsNamedNextToTheDrop) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  project.WriteSchema("10_docs.sql", kDocsRenamed);
  CommandOutput generated =
      project.Run({"revision", "--autogenerate", "-m", "content", "--rev-id", "bbb000000002"});
  ASSERT_EQ(generated.exit_code, 0) << Describe(generated);
  std::string upgrade = Section(WrittenFile(project, "bbb000000002"), "upgrade");
  EXPECT_TRUE(HasStatement(upgrade, {"DROP COLUMN body"})) << upgrade;
  EXPECT_TRUE(HasStatement(upgrade, {"ADD COLUMN content"})) << upgrade;
  size_t destructive = upgrade.find("-- DESTRUCTIVE: drops column public.docs.body");
  ASSERT_NE(destructive, std::string::npos) << upgrade;
  size_t next_line = upgrade.find('\n', destructive) + 1;
  EXPECT_EQ(upgrade.compare(next_line, 21, "-- Probably a rename:"), 0) << upgrade;
  EXPECT_TRUE(Contains(upgrade, "--rename public.docs.body=content")) << upgrade;
  EXPECT_TRUE(Contains(generated.err, "note: public.docs.body is dropped and"))
      << Describe(generated);
  EXPECT_TRUE(Contains(generated.err, "--rename public.docs.body=content")) << Describe(generated);
  // The drop's finding is the plan's hazard, under lint's rule code, on the DROP's line.
  std::string file = WrittenFile(project, "bbb000000002");
  int drop_line =
      1 +
      static_cast<int>(std::count(
          file.begin(),
          file.begin() + static_cast<long>(file.find("ALTER TABLE public.docs DROP COLUMN body")),
          '\n'));
  EXPECT_TRUE(Contains(generated.err, ":" + std::to_string(drop_line) +
                                          ": error[RT102 drop-column]: drops column "
                                          "public.docs.body and its data\n"))
      << Describe(generated);
}

// A renamed table with a foreign key pointing to it and a renamed column with an index: the
// file renames them (and the key and index named after them), keeps the rows, converges, lints
// clean of rename findings, and its downgrade gives everything back.
TEST(AutogenerateCommand, RenameKeepsTheDataBothWays) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  project.AddMigration(
      "20250102_0000-aaa000000002_notes.sql",
      Migration("aaa000000002", "aaa000000001",
                "CREATE INDEX docs_body_idx ON docs (body);\nCREATE TABLE notes (id integer "
                "PRIMARY KEY, doc_id bigint REFERENCES docs (id));",
                "DROP TABLE notes;\nDROP INDEX docs_body_idx;"));
  project.WriteSchema("10_docs.sql",
                      "CREATE TABLE articles (id bigint PRIMARY KEY, content text NOT NULL);\n"
                      "CREATE INDEX articles_content_idx ON articles (content);\n"
                      "CREATE TABLE notes (id integer PRIMARY KEY, doc_id bigint REFERENCES "
                      "articles (id));\n");
  // The column named by its table's new name, in public: articles.body.
  CommandOutput generated =
      project.Run({"revision", "--autogenerate", "-m", "articles", "--rev-id", "bbb000000003",
                   "--rename", "docs=articles", "--rename", "articles.body=content"});
  ASSERT_EQ(generated.exit_code, 0) << Describe(generated);
  std::string text = WrittenFile(project, "bbb000000003");
  std::string upgrade = Section(text, "upgrade");
  EXPECT_TRUE(HasStatement(upgrade, {"ALTER TABLE public.docs RENAME TO articles"})) << text;
  EXPECT_TRUE(HasStatement(upgrade, {"RENAME COLUMN body TO content"})) << text;
  EXPECT_TRUE(HasStatement(upgrade, {"RENAME CONSTRAINT docs_pkey TO articles_pkey"})) << text;
  EXPECT_TRUE(HasStatement(upgrade, {"docs_body_idx RENAME TO articles_content_idx"})) << text;
  EXPECT_FALSE(Contains(upgrade, "DROP")) << text;
  EXPECT_TRUE(HasStatement(Section(text, "downgrade"), {"public.articles RENAME TO docs"})) << text;
  EXPECT_FALSE(Contains(generated.err, "renaming-")) << Describe(generated);
  EXPECT_TRUE(Contains(text, "-- retort:lint-ignore renaming-table")) << text;

  CommandOutput check = project.Run({"check"});
  EXPECT_EQ(check.exit_code, 0) << Describe(check);
  // diff takes the same flag.
  CommandOutput diffed = project.Run({"diff", "aaa000000002", "schema", "--rename",
                                      "public.docs=articles", "--rename", "docs.body=content"});
  EXPECT_EQ(diffed.exit_code, 0) << Describe(diffed);
  EXPECT_TRUE(HasStatement(diffed.out, {"RENAME COLUMN body TO content"})) << Describe(diffed);
  ASSERT_EQ(project.Run({"upgrade", "aaa000000002"}).exit_code, 0);
  pg->Query(project.db(), "INSERT INTO docs VALUES (1, 'kept'); INSERT INTO notes VALUES (1, 1)");
  CommandOutput upgraded = project.Run({"upgrade", "head"});
  ASSERT_EQ(upgraded.exit_code, 0) << Describe(upgraded);
  EXPECT_EQ(project.Scalar("SELECT content FROM articles WHERE id = 1"), "kept");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM notes JOIN articles ON articles.id = doc_id"),
            "1");
  CommandOutput downgraded = project.Run({"downgrade", "-1"});
  ASSERT_EQ(downgraded.exit_code, 0) << Describe(downgraded);
  EXPECT_EQ(project.Scalar("SELECT body FROM docs WHERE id = 1"), "kept");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'docs_body_idx'"),
            "1");
}

// A rename that cannot be is bad input, named, and nothing is written.
TEST(AutogenerateCommand, ABadRenameIsRefusedAndWritesNothing) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  project.WriteSchema("10_docs.sql", kDocsRenamed);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"docs.nope=content", "public.docs has no column nope to rename"},
      {"docs.id=content", "still has column id"},
      {"docs.body=public.content", "SET SCHEMA"},
      {"docs.body", "expected schema.table.column=NEW_NAME"},
      {"docs=articles", "the desired schema still has table public.docs"},
  };
  for (const auto& [value, message] : cases) {
    CommandOutput refused =
        project.Run({"revision", "--autogenerate", "-m", "bad", "--rename", value});
    EXPECT_EQ(refused.exit_code, 2) << value << "\n" << Describe(refused);
    EXPECT_TRUE(Contains(refused.err, message)) << value << "\n" << Describe(refused);
  }
  EXPECT_EQ(FilesIn(project.VersionsDir()).size(), 1u);
  CommandOutput alone = project.Run({"revision", "-m", "x", "--rename", "docs.body=content"});
  EXPECT_EQ(alone.exit_code, 2) << Describe(alone);
  EXPECT_TRUE(Contains(alone.err, "--rename")) << Describe(alone);
}

// On a terminal the likely rename is asked about (commands::Io::confirm, answered here in code):
// no keeps the drop and the add, yes writes the rename.
TEST(AutogenerateCommand, ATerminalIsAskedAboutALikelyRename) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  project.WriteSchema("10_docs.sql", kDocsRenamed);
  auto config = config::LoadConfig({project.path() + "/retort.toml", std::nullopt}, nullptr);
  ASSERT_TRUE(config.ok()) << config.status().message();
  for (bool yes : {false, true}) {
    std::ostringstream out;
    std::ostringstream log;
    Strings asked;
    commands::Io io{out, log, [&](const std::string& question) {
                      asked.push_back(question);
                      return yes;
                    }};
    commands::RevisionOptions options;
    options.message = yes ? "renamed" : "replaced";
    auto path = commands::AutogenerateRevision(*config, options, {}, io);
    ASSERT_TRUE(path.ok()) << path.status().message() << "\n" << log.str();
    EXPECT_EQ(asked, Strings{"rename public.docs.body to content? [y/N]"});
    EXPECT_TRUE(Contains(log.str(), "likely rename: public.docs.body")) << log.str();
    std::string upgrade = Section(ReadText(*path), "upgrade");
    EXPECT_EQ(HasStatement(upgrade, {"RENAME COLUMN body TO content"}), yes) << upgrade;
    EXPECT_EQ(HasStatement(upgrade, {"DROP COLUMN body"}), !yes) << upgrade;
    // Answered: the file does not ask again.
    EXPECT_FALSE(Contains(upgrade, "Probably a rename")) << upgrade;
    fs::remove(*path);
  }
}

// ---------------------------------------------------------------------------------------------
// diff and inspect

TEST(DiffCommand, ComparesTwoDatabases) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  std::string left = pg->CreateDatabase("left");
  std::string right = pg->CreateDatabase("right");
  pg->Query(left, "CREATE TABLE shared (a int)");
  pg->Query(right, "CREATE TABLE shared (a int); CREATE TABLE only_right (b int)");

  CommandOutput same = project.Run({"diff", pg->Url(left), pg->Url(left)});
  EXPECT_EQ(same.exit_code, 0) << Describe(same);
  EXPECT_EQ(same.out, "") << Describe(same);
  EXPECT_TRUE(Contains(same.err, "no differences")) << Describe(same);

  CommandOutput differs = project.Run({"diff", pg->Url(left), pg->Url(right)});
  EXPECT_EQ(differs.exit_code, 0) << Describe(differs);
  EXPECT_TRUE(HasStatement(differs.out, {"CREATE TABLE", "only_right"})) << Describe(differs);
  EXPECT_FALSE(HasStatement(differs.out, {"shared"})) << Describe(differs);

  CommandOutput both = project.Run({"diff", "--downgrade", pg->Url(left), pg->Url(right)});
  EXPECT_EQ(both.exit_code, 0) << Describe(both);
  EXPECT_TRUE(HasStatement(both.out, {"DROP TABLE", "only_right"})) << Describe(both);

  CommandOutput json = project.Run({"--format", "json", "diff", pg->Url(right), pg->Url(left)});
  ASSERT_EQ(json.exit_code, 0) << Describe(json);
  auto report = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << json.out;
  EXPECT_TRUE(HasStatement(report.value("upgrade", ""), {"DROP TABLE", "only_right"})) << json.out;
  EXPECT_TRUE(HasStatement(report.value("downgrade", ""), {"CREATE TABLE", "only_right"}))
      << json.out;
}

// A type change PostgreSQL has no cast for is refused by name until the user says how to
// convert the values; a USING expression for a column whose type does not change is refused too.
TEST(DiffCommand, ATypeChangeWithoutACastIsRefusedUntilUsingIsGiven) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  std::string left = pg->CreateDatabase("cast_left");
  std::string right = pg->CreateDatabase("cast_right");
  pg->Query(left, "CREATE TABLE events (id int PRIMARY KEY, at bigint)");
  pg->Query(right, "CREATE TABLE events (id int PRIMARY KEY, at timestamp)");

  CommandOutput refused = project.Run({"diff", pg->Url(left), pg->Url(right)});
  EXPECT_EQ(refused.exit_code, 2) << Describe(refused);
  EXPECT_EQ(refused.out, "") << Describe(refused);
  EXPECT_TRUE(Contains(refused.err, "column public.events.at")) << Describe(refused);
  EXPECT_TRUE(Contains(refused.err, "no cast")) << Describe(refused);
  EXPECT_TRUE(Contains(refused.err, "--using 'public.events.at=")) << Describe(refused);

  CommandOutput given = project.Run(
      {"diff", "--using", "public.events.at=to_timestamp(at)", pg->Url(left), pg->Url(right)});
  EXPECT_EQ(given.exit_code, 0) << Describe(given);
  EXPECT_TRUE(HasStatement(given.out, {"ALTER COLUMN at TYPE", "USING to_timestamp(at)"}))
      << Describe(given);

  // The way back has no cast either.
  CommandOutput back =
      project.Run({"diff", "--downgrade", "--using", "public.events.at=to_timestamp(at)",
                   pg->Url(left), pg->Url(right)});
  EXPECT_EQ(back.exit_code, 2) << Describe(back);
  EXPECT_TRUE(Contains(back.err, "downgrade: column public.events.at")) << Describe(back);
  EXPECT_TRUE(Contains(back.err, "--downgrade-using")) << Describe(back);

  CommandOutput unused =
      project.Run({"diff", "--using", "events.id=id::bigint", pg->Url(left), pg->Url(right)});
  EXPECT_EQ(unused.exit_code, 2) << Describe(unused);
  EXPECT_TRUE(Contains(unused.err, "public.events.id, whose type this migration does not change"))
      << Describe(unused);

  CommandOutput malformed = project.Run({"diff", "--using", "at", pg->Url(left), pg->Url(right)});
  EXPECT_EQ(malformed.exit_code, 2) << Describe(malformed);
  EXPECT_TRUE(Contains(malformed.err, "expected schema.table.column=EXPRESSION"))
      << Describe(malformed);
}

// An extension version with no update path from the installed one (a downgrade) is refused.
TEST(DiffCommand, AnExtensionDowngradeWithoutAnUpdatePathIsRefused) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  std::string older = pg->CreateDatabase("ext_older");
  std::string newer = pg->CreateDatabase("ext_newer");
  pg->Query(older, "CREATE EXTENSION pg_trgm VERSION '1.5'");
  pg->Query(newer, "CREATE EXTENSION pg_trgm VERSION '1.6'");

  CommandOutput update = project.Run({"diff", pg->Url(older), pg->Url(newer)});
  EXPECT_EQ(update.exit_code, 0) << Describe(update);
  EXPECT_TRUE(HasStatement(update.out, {"ALTER EXTENSION", "pg_trgm", "UPDATE TO", "1.6"}))
      << Describe(update);

  CommandOutput downgrade = project.Run({"diff", pg->Url(newer), pg->Url(older)});
  EXPECT_EQ(downgrade.exit_code, 2) << Describe(downgrade);
  EXPECT_EQ(downgrade.out, "") << Describe(downgrade);
  EXPECT_TRUE(Contains(downgrade.err, "extension pg_trgm goes from version 1.6 to 1.5"))
      << Describe(downgrade);
  EXPECT_TRUE(Contains(downgrade.err, "no update path")) << Describe(downgrade);
}

// Inspecting or comparing databases needs no project; what does need one says so and leaves
// nothing behind (no .retort/ embedded server created in the directory).
TEST(DiffCommand, DatabaseUrlsNeedNoProject) {
  RETORT_REQUIRE_PG(pg);
  TempDir elsewhere;
  std::string left = pg->CreateDatabase("noproject_left");
  std::string right = pg->CreateDatabase("noproject_right");
  pg->Query(right, "CREATE TABLE only_right (b int)");

  CommandOutput differs = RunRetort({"diff", pg->Url(left), pg->Url(right)}, elsewhere.path());
  EXPECT_EQ(differs.exit_code, 0) << Describe(differs);
  EXPECT_TRUE(HasStatement(differs.out, {"CREATE TABLE", "only_right"})) << Describe(differs);

  CommandOutput inspect = RunRetort({"inspect", pg->Url(right)}, elsewhere.path());
  EXPECT_EQ(inspect.exit_code, 0) << Describe(inspect);
  EXPECT_TRUE(HasStatement(inspect.out, {"CREATE TABLE", "only_right"})) << Describe(inspect);

  for (const Strings& needs_project :
       {Strings{"diff", pg->Url(left), "head"}, Strings{"diff", "schema", pg->Url(left)},
        Strings{"inspect", "embedded"}, Strings{"inspect"}, Strings{"check"}}) {
    CommandOutput refused = RunRetort(needs_project, elsewhere.path(),
                                      {{"DATABASE_URL", ""}, {"RETORT_DATABASE_URL", ""}});
    EXPECT_EQ(refused.exit_code, 2) << Describe(refused);
    EXPECT_TRUE(Contains(refused.err, "retort.toml not found")) << Describe(refused);
  }
  EXPECT_TRUE(fs::is_empty(elsewhere.path())) << "a command outside a project wrote files";

  // An explicit --config naming no file stays an error, even for a URL.
  CommandOutput missing = RunRetort(
      {"--config", elsewhere.path() + "/nope.toml", "inspect", pg->Url(right)}, elsewhere.path());
  EXPECT_EQ(missing.exit_code, 2) << Describe(missing);
  EXPECT_TRUE(Contains(missing.err, "config file not found")) << Describe(missing);
}

// Issue 14.4: when both sides fail, both are reported (before, only the first was, and the
// second surfaced on the next run). The password stays out of the names.
TEST(DiffCommand, BothSidesFailingAreBothReported) {
  RETORT_REQUIRE_PG(pg);
  TempDir elsewhere;
  std::string left = pg->Url("no_such_left_db");
  std::string right = "postgresql://someone:hunter2@/no_such_right_db?host=" + elsewhere.path();
  CommandOutput failed = RunRetort({"diff", left, right}, elsewhere.path());
  EXPECT_EQ(failed.exit_code, 1) << Describe(failed);
  EXPECT_TRUE(Contains(failed.err, "no_such_left_db")) << Describe(failed);
  EXPECT_TRUE(Contains(failed.err, "reading the target (postgresql://someone:"))
      << Describe(failed);
  EXPECT_TRUE(Contains(failed.err, "failed too")) << Describe(failed);
  EXPECT_FALSE(Contains(failed.err, "hunter2")) << Describe(failed);
}

TEST(DiffCommand, ComparesSchemaWithHeadAndRevisions) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  project.AddMigration("20250102_0000-aaa000000002_notes.sql",
                       Migration("aaa000000002", "aaa000000001", "CREATE TABLE notes (n int);",
                                 "DROP TABLE notes;"));
  project.WriteSchema("10_docs.sql", kDocsWithTitle);
  project.WriteSchema("20_notes.sql", "CREATE TABLE notes (n int);\n");

  CommandOutput head = project.Run({"diff", "head", "schema"});
  EXPECT_EQ(head.exit_code, 0) << Describe(head);
  EXPECT_TRUE(HasStatement(head.out, {"ADD COLUMN", "title"})) << Describe(head);
  EXPECT_FALSE(HasStatement(head.out, {"notes"})) << Describe(head);

  // A revision (by prefix) is the migrations replayed up to it.
  CommandOutput first = project.Run({"diff", "aaa000000001", "schema"});
  EXPECT_EQ(first.exit_code, 0) << Describe(first);
  EXPECT_TRUE(HasStatement(first.out, {"CREATE TABLE", "notes"})) << Describe(first);

  CommandOutput base = project.Run({"diff", "base", "aaa000000001"});
  EXPECT_EQ(base.exit_code, 0) << Describe(base);
  EXPECT_TRUE(HasStatement(base.out, {"CREATE TABLE", "docs"})) << Describe(base);

  CommandOutput unknown = project.Run({"diff", "zzz", "schema"});
  EXPECT_EQ(unknown.exit_code, 2) << Describe(unknown);
  EXPECT_TRUE(Contains(unknown.err, "zzz")) << Describe(unknown);
  ExpectNoScratchDatabases(pg);
}

TEST(DiffCommand, LeavesRetortsOwnTablesOut) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  // The database has retort_version, retort_history and retort_digest; the schema files do not.
  std::string url = pg->Url(project.db());
  CommandOutput diff = project.Run({"diff", url, "schema"});
  EXPECT_EQ(diff.exit_code, 0) << Describe(diff);
  EXPECT_EQ(diff.out, "") << Describe(diff);
  EXPECT_FALSE(Contains(diff.out, "retort_")) << Describe(diff);
}

TEST(InspectCommand, PrintsTheSchemaAsSqlOrJson) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  CommandOutput schema = project.Run({"inspect", "schema"});
  ASSERT_EQ(schema.exit_code, 0) << Describe(schema);
  EXPECT_TRUE(HasStatement(schema.out, {"CREATE TABLE", "docs"})) << Describe(schema);

  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  CommandOutput database = project.Run({"inspect"});
  ASSERT_EQ(database.exit_code, 0) << Describe(database);
  EXPECT_EQ(database.out, schema.out);
  EXPECT_FALSE(Contains(database.out, "retort_version")) << Describe(database);

  CommandOutput json = project.Run({"--format", "json", "inspect", "head"});
  ASSERT_EQ(json.exit_code, 0) << Describe(json);
  auto model = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_FALSE(model.is_discarded()) << json.out;
  EXPECT_TRUE(Contains(json.out, "\"docs\"")) << json.out;
  ExpectNoScratchDatabases(pg);
}

// A catalog of 1000 relations and more is read on two sessions, and columns.sql's 32,000 rows
// come through a cursor in chunks of 2,500 that a lane hands over no faster than inspect reads
// them (catalog/query_lanes.h): all of it comes out. scripts/tsan.sh runs this against the
// TSan-built retort: it is where the lanes' threads are checked.
TEST(InspectCommand, LargeCatalogComesThroughTheLanesInChunks) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  // Each table has a TOAST table and its index besides the key's: 320 tables are 1280 relations.
  pg->Query(project.db(),
            "DO $$ BEGIN FOR k IN 1..320 LOOP EXECUTE format('CREATE TABLE wide%s (id bigint "
            "PRIMARY KEY, note text, %s)', k, (SELECT string_agg(format('c%s integer DEFAULT %s', "
            "c, c), ', ') FROM generate_series(1, 98) c)); END LOOP; END $$");
  CommandOutput inspect = project.Run({"inspect", project.Url()});
  ASSERT_EQ(inspect.exit_code, 0) << Describe(inspect);
  size_t tables = 0;
  size_t defaults = 0;
  for (size_t at = inspect.out.find("CREATE TABLE"); at != std::string::npos;
       at = inspect.out.find("CREATE TABLE", at + 1)) {
    ++tables;
  }
  for (size_t at = inspect.out.find(" integer DEFAULT "); at != std::string::npos;
       at = inspect.out.find(" integer DEFAULT ", at + 1)) {
    ++defaults;
  }
  EXPECT_EQ(tables, 320u);
  EXPECT_EQ(defaults, 320u * 98u);
  EXPECT_TRUE(Contains(inspect.out, "c98 integer DEFAULT 98")) << inspect.out.substr(0, 2000);
}

// Templates of other projects (or of this one before it moved) and spares pile up on a dev
// server: a kept template drops the oldest beyond the cache size, and `retort dev prune` drops
// them all.
TEST(DevPrune, TheTemplateCacheIsBoundedAndPruneEmptiesIt) {
  RETORT_REQUIRE_PG(pg);
  EngineProject project(pg);
  Strings old_templates;
  for (int i = 0; i < 9; ++i) {
    std::string name = "retort_tpl_00000000000" + std::to_string(i) + "_0000000000000000";
    // FILE_COPY: with fsync off, faster than writing a small database to the WAL.
    pg->Query("postgres", "CREATE DATABASE " + name + " TEMPLATE template0 STRATEGY FILE_COPY");
    old_templates.push_back(name);
  }
  CommandOutput check = project.Run({"check"});
  ASSERT_EQ(check.exit_code, 0) << Describe(check);
  Strings kept = DatabasesLike(pg, "retort\\_tpl\\_%");
  EXPECT_EQ(kept.size(), 8u) << ::testing::PrintToString(kept);
  // The oldest went first; the one just made stays.
  EXPECT_EQ(std::count(kept.begin(), kept.end(), old_templates[0]), 0);
  EXPECT_EQ(std::count(kept.begin(), kept.end(), old_templates[1]), 0);
  EXPECT_EQ(std::count(kept.begin(), kept.end(), old_templates[8]), 1);

  CommandOutput pruned = project.Run({"dev", "prune"});
  ASSERT_EQ(pruned.exit_code, 0) << Describe(pruned);
  for (const std::string& name : kept) EXPECT_TRUE(Contains(pruned.out, name)) << Describe(pruned);
  EXPECT_EQ(DatabasesLike(pg, "retort\\_tpl\\_%"), Strings{});
  EXPECT_EQ(DatabasesLike(pg, "retort\\_spare\\_%"), Strings{});
}

// ---------------------------------------------------------------------------------------------
// dev_url = "embedded"

TEST(CheckCommand, UsesTheEmbeddedClusterAsDevServer) {
  RETORT_REQUIRE_PG(pg);
  TempDir dir;
  dir.Write("retort.toml", "[migrations]\nscript_location = \"migrations\"\n");
  dir.Write("migrations/versions/20250101_0000-aaa000000001_docs.sql",
            Migration("aaa000000001", "none", kDocsTable, "DROP TABLE docs;"));
  dir.Write("schema/10_docs.sql", kDocsWithTitle);
  CommandOutput check = RunRetort({"check"}, dir.path());
  EXPECT_EQ(check.exit_code, 3) << Describe(check);
  EXPECT_TRUE(HasStatement(check.out, {"ADD COLUMN", "title"})) << Describe(check);
  // retort started the server and leaves it running for the next command: it says so once,
  // with how to stop it; the next command finds it running and says nothing.
  EXPECT_TRUE(Contains(check.err, "started the embedded PostgreSQL")) << Describe(check);
  EXPECT_TRUE(Contains(check.err, "`retort dev stop`")) << Describe(check);
  CommandOutput again = RunRetort({"inspect", "embedded"}, dir.path());
  EXPECT_EQ(again.exit_code, 0) << Describe(again);
  EXPECT_FALSE(Contains(again.err, "started the embedded PostgreSQL")) << Describe(again);
  CommandOutput destroyed = RunRetort({"dev", "destroy"}, dir.path());
  EXPECT_EQ(destroyed.exit_code, 0) << Describe(destroyed);
}

// ---------------------------------------------------------------------------------------------
// The examples' schema/ folders describe their heads.

class ExampleTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ExampleTest, CheckPasses) {
  RETORT_REQUIRE_PG(pg);
  TempDir dir;
  // Only what is in git: someone may have run the example (.retort/ holds a live cluster).
  std::string example = std::string(RETORT_SOURCE_DIR) + "/examples/" + GetParam();
  for (const char* part : {"retort.toml", "migrations", "schema"}) {
    fs::copy(example + "/" + part, dir.path() + "/" + part, fs::copy_options::recursive);
  }
  std::string config = ReadText(dir.path() + "/retort.toml");
  ASSERT_FALSE(Contains(config, "dev_url")) << "the example sets its own dev_url";
  std::string dev_url = "dev_url = \"" + pg->Url("postgres") + "\"\n";
  if (Contains(config, "[schema]\n")) {
    config.replace(config.find("[schema]\n"), 9, "[schema]\n" + dev_url);
  } else {
    config += "\n[schema]\n" + dev_url;
  }
  WriteText(dir.path() + "/retort.toml", config);
  CommandOutput check = RunRetort({"check"}, dir.path());
  EXPECT_EQ(check.exit_code, 0) << Describe(check);
  EXPECT_TRUE(Contains(check.out, "migrations match")) << Describe(check);
  for (const std::string& name : DatabasesLike(pg, "retort\\_tpl\\_%")) {
    pg->Query("postgres", "DROP DATABASE IF EXISTS " + name);
  }
  ExpectNoScratchDatabases(pg);
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleTest,
                         ::testing::Values("semantik", "exchange", "pathavana", "docuai"));

}  // namespace
}  // namespace retort
