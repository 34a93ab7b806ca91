// `retort test` and `retort drift` end to end: the built binary on projects whose histories are
// broken in the ways the checks exist to catch, with the harness server as both the dev server
// and the configured database.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

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

bool Contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The line of `text` that starts with `prefix` ("" when none).
std::string LineStartingWith(const std::string& text, const std::string& prefix) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(prefix, 0) == 0) return line;
  }
  return "";
}

std::string Migration(const std::string& id, const std::string& revises, const std::string& up,
                      const std::string& down) {
  return "-- retort:revision  " + id + "\n-- retort:revises   " + revises +
         "\n-- retort:message   migration " + id + "\n\n-- retort:upgrade\n" + up +
         "\n\n-- retort:downgrade\n" + down + "\n";
}

Strings DatabasesLike(PgHarness* pg, const std::string& pattern) {
  Strings names;
  for (const auto& row :
       pg->Query("postgres", "SELECT datname FROM pg_database WHERE datname LIKE '" + pattern +
                                 "' ORDER BY 1")) {
    names.push_back(row[0]);
  }
  return names;
}

// ---- a small XML reader, enough to prove the JUnit file well-formed and read its structure

struct XmlElement {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<std::unique_ptr<XmlElement>> children;
  std::string text;

  std::string Attribute(const std::string& key) const {
    for (const auto& [attribute, value] : attributes) {
      if (attribute == key) return value;
    }
    return "";
  }
  std::vector<const XmlElement*> Children(const std::string& child_name) const {
    std::vector<const XmlElement*> found;
    for (const auto& child : children) {
      if (child->name == child_name) found.push_back(child.get());
    }
    return found;
  }
};

class XmlReader {
 public:
  explicit XmlReader(std::string text) : text_(std::move(text)) {}

  // The root element; nullptr (and `error`) when the text is not well-formed.
  std::unique_ptr<XmlElement> Parse(std::string* error) {
    if (text_.rfind("<?xml", 0) == 0) {
      size_t end = text_.find("?>");
      if (end == std::string::npos) return Fail(error, "unterminated declaration");
      at_ = end + 2;
    }
    SkipSpace();
    auto root = Element(error);
    if (!root) return nullptr;
    SkipSpace();
    if (at_ != text_.size()) return Fail(error, "content after the root element");
    return root;
  }

 private:
  std::unique_ptr<XmlElement> Fail(std::string* error, const std::string& what) {
    if (error->empty()) *error = what + " at offset " + std::to_string(at_);
    return nullptr;
  }
  void SkipSpace() {
    while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
  }
  std::string Name() {
    size_t start = at_;
    while (at_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[at_])) ||
                                  text_[at_] == '_' || text_[at_] == '-' || text_[at_] == ':')) {
      ++at_;
    }
    return text_.substr(start, at_ - start);
  }
  // Character data up to `stop`, with entities decoded; false on a bad entity or a raw '<'.
  bool CharacterData(char stop, std::string* out) {
    while (at_ < text_.size() && text_[at_] != stop) {
      char c = text_[at_];
      if (c == '<' || (stop == '"' && c == '>')) return false;
      if (c == '&') {
        size_t end = text_.find(';', at_);
        if (end == std::string::npos) return false;
        std::string entity = text_.substr(at_ + 1, end - at_ - 1);
        if (entity == "amp") {
          *out += '&';
        } else if (entity == "lt") {
          *out += '<';
        } else if (entity == "gt") {
          *out += '>';
        } else if (entity == "quot") {
          *out += '"';
        } else if (entity == "apos") {
          *out += '\'';
        } else {
          return false;
        }
        at_ = end + 1;
        continue;
      }
      *out += c;
      ++at_;
    }
    return true;
  }
  std::unique_ptr<XmlElement> Element(std::string* error) {
    if (at_ >= text_.size() || text_[at_] != '<') return Fail(error, "expected '<'");
    ++at_;
    auto element = std::make_unique<XmlElement>();
    element->name = Name();
    if (element->name.empty()) return Fail(error, "element without a name");
    while (true) {
      SkipSpace();
      if (at_ >= text_.size()) return Fail(error, "unterminated tag");
      if (text_.compare(at_, 2, "/>") == 0) {
        at_ += 2;
        return element;
      }
      if (text_[at_] == '>') {
        ++at_;
        break;
      }
      std::string key = Name();
      if (key.empty() || at_ + 1 >= text_.size() || text_[at_] != '=' || text_[at_ + 1] != '"') {
        return Fail(error, "bad attribute");
      }
      at_ += 2;
      std::string value;
      if (!CharacterData('"', &value) || at_ >= text_.size()) {
        return Fail(error, "bad attribute value");
      }
      ++at_;
      element->attributes.emplace_back(key, value);
    }
    while (true) {
      if (!CharacterData('<', &element->text)) return Fail(error, "bad character data");
      if (at_ >= text_.size()) return Fail(error, "unterminated element " + element->name);
      if (text_.compare(at_, 2, "</") == 0) {
        at_ += 2;
        if (Name() != element->name) return Fail(error, "mismatched end tag");
        SkipSpace();
        if (at_ >= text_.size() || text_[at_] != '>') return Fail(error, "bad end tag");
        ++at_;
        return element;
      }
      auto child = Element(error);
      if (!child) return nullptr;
      element->children.push_back(std::move(child));
    }
  }

  std::string text_;
  size_t at_ = 0;
};

// ---- projects

const char kDocs[] = "CREATE TABLE docs (id bigint PRIMARY KEY, body text NOT NULL);";

// A project whose configured database is a fresh harness database and whose dev server is the
// harness server. Migration ids are short and fixed so that tests can name them.
class VerificationProject {
 public:
  explicit VerificationProject(PgHarness* pg, bool with_schema = true)
      : pg_(pg), db_(pg->CreateDatabase("verify")) {
    dir_.Write("retort.toml", "[database]\nurl = \"" + pg->Url(db_) + "\"\n\n[schema]\npaths = " +
                                  (with_schema ? "[\"schema\"]" : "[]") + "\ndev_url = \"" +
                                  pg->Url("postgres") + "\"\n");
    fs::create_directories(dir_.path() + "/migrations/versions");
  }
  ~VerificationProject() {
    for (const std::string& name : DatabasesLike(pg_, "retort\\_tpl\\_%")) {
      pg_->Query("postgres", "DROP DATABASE IF EXISTS " + name);
    }
  }

  void Add(const std::string& id, const std::string& revises, const std::string& up,
           const std::string& down) const {
    dir_.Write("migrations/versions/" + id + ".sql", Migration(id, revises, up, down));
  }
  void Fixture(const std::string& id, const std::string& sql) const {
    dir_.Write("migrations/fixtures/" + id + ".sql", sql);
  }
  void Schema(const std::string& name, const std::string& sql) const {
    dir_.Write("schema/" + name, sql);
  }
  CommandOutput Run(const Strings& args) const { return RunRetort(args, dir_.path()); }
  std::string Sql(const std::string& sql) const { return pg_->Scalar(db_, sql); }
  std::string Path(const std::string& relative) const { return dir_.path() + "/" + relative; }

 private:
  PgHarness* pg_;
  TempDir dir_;
  std::string db_;
};

// Every run cleans up after itself on the dev server.
void ExpectNoScratchDatabases(PgHarness* pg) {
  EXPECT_EQ(DatabasesLike(pg, "retort\\_scratch\\_%"), Strings{});
}

// A sound history: a table, an enum and a column of it, an index, a view, with fixtures.
void WriteGoodHistory(const VerificationProject& project) {
  project.Add("a1", "none", kDocs, "DROP TABLE docs;");
  project.Add("b2", "a1",
              "CREATE TYPE mood AS ENUM ('ok', 'great');\n"
              "ALTER TABLE docs ADD COLUMN mood mood NOT NULL DEFAULT 'ok';",
              "ALTER TABLE docs DROP COLUMN mood;\nDROP TYPE mood;");
  project.Add("c3", "b2", "CREATE INDEX ix_docs_body ON docs (body);", "DROP INDEX ix_docs_body;");
  project.Add("d4", "c3",
              "CREATE VIEW great_docs AS SELECT id, body FROM docs WHERE mood = 'great';",
              "DROP VIEW great_docs;");
  project.Fixture("a1", "INSERT INTO docs (id, body) VALUES (1, 'first'), (2, 'second');\n");
  project.Fixture("b2", "UPDATE docs SET mood = 'great' WHERE id = 2;\n");
  project.Schema("10_docs.sql",
                 "CREATE TYPE mood AS ENUM ('ok', 'great');\n"
                 "CREATE TABLE docs (id bigint PRIMARY KEY, body text NOT NULL,\n"
                 "                   mood mood NOT NULL DEFAULT 'ok');\n"
                 "CREATE INDEX ix_docs_body ON docs (body);\n"
                 "CREATE VIEW great_docs AS SELECT id, body FROM docs WHERE mood = 'great';\n");
}

// ---------------------------------------------------------------------------------------------
// retort test

TEST(TestCommand, ASoundHistoryPassesAndWritesJunit) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg);
  WriteGoodHistory(project);
  std::string junit_path = project.Path("results/junit.xml");
  fs::create_directories(project.Path("results"));

  CommandOutput run = project.Run({"test", "--junit", junit_path});
  EXPECT_EQ(run.exit_code, 0) << Describe(run);
  for (const char* line :
       {"PASS  single head", "PASS  migration files: 4 migrations, 2 fixtures",
        "PASS  reachable revisions", "PASS  upgrade base -> head", "PASS  head matches schema/",
        "PASS  stairway a1: up, down, up (with fixture)", "PASS  stairway b2", "PASS  stairway c3",
        "PASS  stairway d4", "9 passed, 0 failed, 0 skipped"}) {
    EXPECT_TRUE(Contains(run.out, line)) << line << "\n" << Describe(run);
  }

  std::string error;
  auto suite = XmlReader(ReadText(junit_path)).Parse(&error);
  ASSERT_NE(suite, nullptr) << error << "\n" << ReadText(junit_path);
  EXPECT_EQ(suite->name, "testsuite");
  EXPECT_EQ(suite->Attribute("tests"), "9");
  EXPECT_EQ(suite->Attribute("failures"), "0");
  auto cases = suite->Children("testcase");
  ASSERT_EQ(cases.size(), 9u);
  for (const XmlElement* testcase : cases) {
    EXPECT_TRUE(testcase->Children("failure").empty()) << testcase->Attribute("name");
    EXPECT_FALSE(testcase->Attribute("name").empty());
  }
  EXPECT_EQ(cases[3]->Attribute("name"), "upgrade base -> head");  // '>' escaped and read back
  EXPECT_EQ(cases[8]->Attribute("name"), "stairway d4");

  // Everything ran on scratch databases: the configured one was never touched.
  EXPECT_EQ(project.Sql("SELECT count(*) FROM pg_class WHERE relnamespace = "
                        "'public'::regnamespace"),
            "0");
  ExpectNoScratchDatabases(pg);
}

TEST(TestCommand, JsonReportsEveryCheck) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg);
  WriteGoodHistory(project);
  CommandOutput run = project.Run({"--format", "json", "test"});
  ASSERT_EQ(run.exit_code, 0) << Describe(run);
  nlohmann::json report = nlohmann::json::parse(run.out);
  EXPECT_EQ(report["ok"], true);
  EXPECT_EQ(report["passed"], 9);
  EXPECT_EQ(report["failed"], 0);
  ASSERT_EQ(report["checks"].size(), 9u);
  EXPECT_EQ(report["checks"][5]["check"], "stairway");
  EXPECT_EQ(report["checks"][5]["revisions"], nlohmann::json::array({"a1"}));
  EXPECT_EQ(report["checks"][5]["status"], "pass");
}

TEST(TestCommand, ADowngradeThatForgetsAnIndexFailsTheStairwayAtThatRevision) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg, /*with_schema=*/false);
  project.Add("a1", "none", kDocs, "DROP TABLE docs;");
  project.Add("b2", "a1", "CREATE INDEX ix_docs_body ON docs (body);", "SELECT 1;");
  project.Add("c3", "b2", "ALTER TABLE docs ADD COLUMN title text;",
              "ALTER TABLE docs DROP COLUMN title;");
  std::string junit_path = project.Path("junit.xml");

  CommandOutput run = project.Run({"test", "--junit", junit_path});
  EXPECT_EQ(run.exit_code, 1) << Describe(run);
  std::string failure = LineStartingWith(run.out, "FAIL  stairway b2:");
  EXPECT_TRUE(Contains(failure, "does not restore the schema")) << Describe(run);
  EXPECT_TRUE(Contains(failure, "ix_docs_body")) << Describe(run);
  EXPECT_TRUE(Contains(run.out, "      CREATE INDEX ix_docs_body ON public.docs")) << Describe(run);
  // The walk goes on from a database rebuilt at b2: the later revision is still judged.
  EXPECT_TRUE(Contains(run.out, "PASS  stairway a1")) << Describe(run);
  EXPECT_TRUE(Contains(run.out, "PASS  stairway c3")) << Describe(run);
  EXPECT_TRUE(Contains(run.out, "PASS  upgrade base -> head")) << Describe(run);

  std::string error;
  auto suite = XmlReader(ReadText(junit_path)).Parse(&error);
  ASSERT_NE(suite, nullptr) << error;
  EXPECT_EQ(suite->Attribute("failures"), "1");
  int failures = 0;
  for (const XmlElement* testcase : suite->Children("testcase")) {
    for (const XmlElement* failed : testcase->Children("failure")) {
      ++failures;
      EXPECT_EQ(testcase->Attribute("name"), "stairway b2");
      EXPECT_TRUE(Contains(failed->Attribute("message"), "ix_docs_body"));
      EXPECT_TRUE(Contains(failed->text, "CREATE INDEX ix_docs_body"));
    }
  }
  EXPECT_EQ(failures, 1);
  ExpectNoScratchDatabases(pg);
}

TEST(TestCommand, ALongHistoryIsWalkedWholeEvenInParts) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg, /*with_schema=*/false);
  // 20 revisions (enough for the walk to be split where the server has cores to spare); the
  // 18th forgets to drop its index.
  std::string previous = "none";
  for (int i = 1; i <= 20; ++i) {
    std::string id = "r" + std::string(i < 10 ? "0" : "") + std::to_string(i);
    std::string table = "t" + std::to_string(i);
    if (i == 18) {
      project.Add(id, previous, "CREATE INDEX ix_t17 ON t17 (id);", "SELECT 1;");
    } else {
      project.Add(id, previous, "CREATE TABLE " + table + " (id int);",
                  "DROP TABLE " + table + ";");
    }
    previous = id;
  }
  CommandOutput run = project.Run({"--format", "json", "test"});
  EXPECT_EQ(run.exit_code, 1) << Describe(run);
  nlohmann::json report = nlohmann::json::parse(run.out);
  Strings stairway;
  for (const auto& check : report["checks"]) {
    if (check["check"] != "stairway") continue;
    stairway.push_back(check["name"].get<std::string>() + " " + check["status"].get<std::string>());
  }
  ASSERT_EQ(stairway.size(), 20u) << run.out;
  EXPECT_EQ(stairway[0], "stairway r01 pass");
  EXPECT_EQ(stairway[16], "stairway r17 pass");
  EXPECT_EQ(stairway[17], "stairway r18 fail");
  EXPECT_EQ(stairway[19], "stairway r20 pass");
  EXPECT_EQ(report["failed"], 1);
  ExpectNoScratchDatabases(pg);
}

TEST(TestCommand, ADowngradeThatFailsIsNamed) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg, /*with_schema=*/false);
  project.Add("a1", "none", kDocs, "DROP TABLE docs;");
  project.Add("b2", "a1", "ALTER TABLE docs ADD COLUMN title text;",
              "ALTER TABLE docs DROP COLUMN titel;");
  CommandOutput run = project.Run({"test"});
  EXPECT_EQ(run.exit_code, 1) << Describe(run);
  std::string failure = LineStartingWith(run.out, "FAIL  stairway b2:");
  EXPECT_TRUE(Contains(failure, "downgrade failed")) << Describe(run);
  EXPECT_TRUE(Contains(failure, "column \"titel\" of relation \"docs\" does not exist"))
      << Describe(run);
  EXPECT_TRUE(Contains(run.out, "PASS  stairway a1")) << Describe(run);
  EXPECT_TRUE(Contains(run.out, "1 failed")) << Describe(run);
  ExpectNoScratchDatabases(pg);
}

TEST(TestCommand, AnUpgradeThatFailsIsNamedAndStopsTheWalk) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg, /*with_schema=*/false);
  project.Add("a1", "none", kDocs, "DROP TABLE docs;");
  project.Add("b2", "a1", "ALTER TABLE nodocs ADD COLUMN title text;",
              "ALTER TABLE docs DROP COLUMN title;");
  project.Add("c3", "b2", "CREATE TABLE c (id int);", "DROP TABLE c;");
  CommandOutput run = project.Run({"test"});
  EXPECT_EQ(run.exit_code, 1) << Describe(run);
  std::string upgrade = LineStartingWith(run.out, "FAIL  upgrade base -> head:");
  EXPECT_TRUE(Contains(upgrade, "b2: ")) << Describe(run);
  EXPECT_TRUE(Contains(upgrade, "\"nodocs\" does not exist")) << Describe(run);
  EXPECT_TRUE(Contains(LineStartingWith(run.out, "FAIL  stairway b2:"), "upgrade failed"))
      << Describe(run);
  EXPECT_TRUE(Contains(run.out, "SKIP  stairway c3")) << Describe(run);
  ExpectNoScratchDatabases(pg);
}

TEST(TestCommand, TwoHeadsFailNamingBoth) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg, /*with_schema=*/false);
  project.Add("a1", "none", kDocs, "DROP TABLE docs;");
  project.Add("b2", "a1", "CREATE TABLE b (id int);", "DROP TABLE b;");
  project.Add("c3", "a1", "CREATE TABLE c (id int);", "DROP TABLE c;");
  CommandOutput run = project.Run({"--format", "json", "test"});
  EXPECT_EQ(run.exit_code, 1) << Describe(run);
  nlohmann::json report = nlohmann::json::parse(run.out);
  ASSERT_FALSE(report["checks"].empty());
  const nlohmann::json& heads = report["checks"][0];
  EXPECT_EQ(heads["check"], "heads");
  EXPECT_EQ(heads["status"], "fail");
  EXPECT_EQ(heads["revisions"], nlohmann::json::array({"b2", "c3"}));
  EXPECT_EQ(report["failed"], 1) << run.out;  // each branch is still sound

  CommandOutput text = project.Run({"test"});
  EXPECT_TRUE(Contains(LineStartingWith(text.out, "FAIL  single head:"), "2 heads: b2, c3"))
      << Describe(text);
}

TEST(TestCommand, AMigrationRevisingAnUnknownRevisionIsAnOrphan) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg, /*with_schema=*/false);
  project.Add("a1", "none", kDocs, "DROP TABLE docs;");
  project.Add("b2", "gone", "CREATE TABLE b (id int);", "DROP TABLE b;");
  std::string junit_path = project.Path("junit.xml");
  CommandOutput run = project.Run({"test", "--junit", junit_path});
  EXPECT_EQ(run.exit_code, 1) << Describe(run);
  EXPECT_TRUE(Contains(run.out, "FAIL  migration files")) << Describe(run);
  EXPECT_TRUE(Contains(run.out, "gone")) << Describe(run);
  std::string error;
  auto suite = XmlReader(ReadText(junit_path)).Parse(&error);
  ASSERT_NE(suite, nullptr) << error;
  EXPECT_EQ(suite->Attribute("failures"), "1");
}

TEST(TestCommand, FilesThatAreNotMigrationsAndFixturesOfUnknownRevisionsAreOrphans) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg, /*with_schema=*/false);
  project.Add("a1", "none", kDocs, "DROP TABLE docs;");
  project.Fixture("zz9", "INSERT INTO docs VALUES (1, 'x');");
  CommandOutput run = project.Run({"test"});
  EXPECT_EQ(run.exit_code, 1) << Describe(run);
  EXPECT_TRUE(Contains(LineStartingWith(run.out, "FAIL  migration files:"), "1 orphan file"))
      << Describe(run);
  EXPECT_TRUE(Contains(run.out, "migrations/fixtures/zz9.sql: fixture of unknown revision zz9"))
      << Describe(run);
  EXPECT_TRUE(Contains(run.out, "PASS  stairway a1")) << Describe(run);
}

TEST(TestCommand, FixturesAreAppliedSoADowngradeThatLosesDataFails) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg, /*with_schema=*/false);
  project.Add("a1", "none", "CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL);",
              "DROP TABLE people;");
  // Splits name in two; the downgrade puts the column back but forgets to fill it, which only
  // rows can show.
  project.Add("b2", "a1",
              "ALTER TABLE people ADD COLUMN first text, ADD COLUMN last text;\n"
              "UPDATE people SET first = split_part(name, ' ', 1), last = split_part(name, ' ', "
              "2);\n"
              "ALTER TABLE people DROP COLUMN name;",
              "ALTER TABLE people ADD COLUMN name text;\n"
              "ALTER TABLE people ALTER COLUMN name SET NOT NULL;\n"
              "ALTER TABLE people DROP COLUMN first, DROP COLUMN last;");
  CommandOutput without_data = project.Run({"test"});
  EXPECT_EQ(without_data.exit_code, 0) << Describe(without_data);

  project.Fixture("a1", "INSERT INTO people VALUES (1, 'Ada Lovelace');\n");
  CommandOutput with_data = project.Run({"test"});
  EXPECT_EQ(with_data.exit_code, 1) << Describe(with_data);
  std::string failure = LineStartingWith(with_data.out, "FAIL  stairway b2:");
  EXPECT_TRUE(Contains(failure, "downgrade failed")) << Describe(with_data);
  EXPECT_TRUE(Contains(failure, "contains null values")) << Describe(with_data);
  EXPECT_TRUE(Contains(with_data.out, "PASS  stairway a1: up, down, up (with fixture)"))
      << Describe(with_data);
  ExpectNoScratchDatabases(pg);
}

TEST(TestCommand, AFixtureThatFailsIsReportedAtItsRevision) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg, /*with_schema=*/false);
  project.Add("a1", "none", kDocs, "DROP TABLE docs;");
  project.Add("b2", "a1", "CREATE TABLE b (id int);", "DROP TABLE b;");
  project.Fixture("b2", "INSERT INTO docs (id) VALUES (1);\n");  // body is NOT NULL
  CommandOutput run = project.Run({"test"});
  EXPECT_EQ(run.exit_code, 1) << Describe(run);
  EXPECT_TRUE(Contains(LineStartingWith(run.out, "FAIL  upgrade base -> head:"),
                       "b2: fixture migrations/fixtures/b2.sql failed"))
      << Describe(run);
  std::string stair = LineStartingWith(run.out, "FAIL  stairway b2:");
  EXPECT_TRUE(Contains(stair, "fixture migrations/fixtures/b2.sql failed")) << Describe(run);
  EXPECT_TRUE(Contains(stair, "null value in column \"body\"")) << Describe(run);
  ExpectNoScratchDatabases(pg);
}

TEST(TestCommand, AHeadThatDiffersFromSchemaFailsWithTheDiff) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg);
  project.Add("a1", "none", kDocs, "DROP TABLE docs;");
  project.Schema("10_docs.sql",
                 "CREATE TABLE docs (id bigint PRIMARY KEY, body text NOT NULL, title text);\n");
  CommandOutput run = project.Run({"test"});
  EXPECT_EQ(run.exit_code, 1) << Describe(run);
  EXPECT_TRUE(Contains(LineStartingWith(run.out, "FAIL  head matches schema/:"), "a1"))
      << Describe(run);
  EXPECT_TRUE(Contains(run.out, "      ALTER TABLE public.docs ADD COLUMN title text;"))
      << Describe(run);
  EXPECT_TRUE(Contains(run.out, "PASS  stairway a1")) << Describe(run);
}

TEST(TestCommand, WithoutSchemaFilesTheComparisonIsSkippedNotFailed) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg, /*with_schema=*/false);
  project.Add("a1", "none", kDocs, "DROP TABLE docs;");
  CommandOutput run = project.Run({"test"});
  EXPECT_EQ(run.exit_code, 0) << Describe(run);
  EXPECT_TRUE(Contains(run.out,
                       "SKIP  head matches schema/: no schema files ([schema] paths is "
                       "empty)"))
      << Describe(run);
  EXPECT_TRUE(Contains(run.out, "1 skipped")) << Describe(run);
}

// An empty schema/ (what `init` leaves) means what `paths = []` means: no desired state, so
// nothing to compare the head with (check and autogenerate refuse; test skips).
TEST(TestCommand, AnEmptySchemaDirectoryIsSkippedNotFailed) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg);
  project.Add("a1", "none", kDocs, "DROP TABLE docs;");
  fs::create_directories(project.Path("schema"));
  CommandOutput run = project.Run({"test"});
  EXPECT_EQ(run.exit_code, 0) << Describe(run);
  EXPECT_TRUE(
      Contains(run.out, "SKIP  head matches schema/: no schema files (schema/ holds no .sql file)"))
      << Describe(run);
}

TEST(TestCommand, AJunitPathInAMissingDirectoryIsBadInput) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg, /*with_schema=*/false);
  project.Add("a1", "none", kDocs, "DROP TABLE docs;");
  CommandOutput run = project.Run({"test", "--junit", project.Path("no/such/dir/junit.xml")});
  EXPECT_EQ(run.exit_code, 2) << Describe(run);
  EXPECT_TRUE(Contains(run.err, "--junit")) << Describe(run);
}

// ---------------------------------------------------------------------------------------------
// checksums: what checksum_test.cc does not already cover

TEST(AppliedChecksums, EditingTheDowngradeOfAnAppliedMigrationIsAnEditButRecommentingIsNot) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg, /*with_schema=*/false);
  project.Add("a1", "none", kDocs, "DROP TABLE docs;");
  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);

  project.Add("a1", "none", kDocs, "-- reverted by hand in 2024\n   DROP TABLE\n      docs ;");
  CommandOutput recommented = project.Run({"validate"});
  EXPECT_EQ(recommented.exit_code, 0) << Describe(recommented);

  project.Add("a1", "none", kDocs, "DROP TABLE docs CASCADE;");
  CommandOutput edited = project.Run({"validate"});
  EXPECT_EQ(edited.exit_code, 3) << Describe(edited);
  EXPECT_TRUE(Contains(edited.out, "a1.sql (revision a1)")) << Describe(edited);
  CommandOutput refused = project.Run({"upgrade", "head"});
  EXPECT_EQ(refused.exit_code, 2) << Describe(refused);
  EXPECT_TRUE(Contains(refused.err, "a1.sql (revision a1)")) << Describe(refused);
}

// ---------------------------------------------------------------------------------------------
// retort drift

TEST(DriftCommand, AManualAlterTableIsDriftUntilReverted) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg, /*with_schema=*/false);
  project.Add("a1", "none", kDocs, "DROP TABLE docs;");
  project.Add("b2", "a1", "CREATE INDEX ix_docs_body ON docs (body);", "DROP INDEX ix_docs_body;");
  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);

  CommandOutput clean = project.Run({"drift"});
  EXPECT_EQ(clean.exit_code, 0) << Describe(clean);
  EXPECT_TRUE(Contains(clean.out, "no drift: ")) << Describe(clean);
  EXPECT_TRUE(Contains(clean.out, "matches revision b2")) << Describe(clean);

  project.Sql("ALTER TABLE docs ADD COLUMN notes text");
  CommandOutput drifted = project.Run({"drift"});
  EXPECT_EQ(drifted.exit_code, 3) << Describe(drifted);
  EXPECT_TRUE(drifted.out.rfind("-- drift: ", 0) == 0) << Describe(drifted);
  EXPECT_TRUE(Contains(drifted.out, "ALTER TABLE public.docs ADD COLUMN notes text;"))
      << Describe(drifted);
  EXPECT_FALSE(Contains(drifted.out, "retort_version")) << Describe(drifted);
  // autogenerate diffs schema/ (none here) against the migrations, never the live database: what
  // resolves drift is a migration holding this SQL, stamped here, or the revert.
  EXPECT_FALSE(Contains(drifted.err, "--autogenerate")) << Describe(drifted);
  EXPECT_TRUE(Contains(drifted.err, "`retort revision -m MESSAGE`")) << Describe(drifted);
  EXPECT_TRUE(Contains(drifted.err, "`retort stamp REV`")) << Describe(drifted);
  EXPECT_TRUE(Contains(drifted.err, "revert_sql")) << Describe(drifted);

  CommandOutput json = project.Run({"--format", "json", "drift"});
  EXPECT_EQ(json.exit_code, 3) << Describe(json);
  nlohmann::json report = nlohmann::json::parse(json.out);
  EXPECT_EQ(report["drift"], true);
  EXPECT_EQ(report["revisions"], nlohmann::json::array({"b2"}));
  EXPECT_TRUE(Contains(report["sql"].get<std::string>(), "ADD COLUMN notes text"));

  project.Sql("ALTER TABLE docs DROP COLUMN notes");
  CommandOutput reverted = project.Run({"drift"});
  EXPECT_EQ(reverted.exit_code, 0) << Describe(reverted);
  ExpectNoScratchDatabases(pg);
}

TEST(DriftCommand, ADroppedIndexIsDriftToo) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg, /*with_schema=*/false);
  project.Add("a1", "none", kDocs, "DROP TABLE docs;");
  project.Add("b2", "a1", "CREATE INDEX ix_docs_body ON docs (body);", "DROP INDEX ix_docs_body;");
  ASSERT_EQ(project.Run({"upgrade", "a1"}).exit_code, 0);
  // At a1 the index is not expected: a database at a1 without it has not drifted.
  EXPECT_EQ(project.Run({"drift"}).exit_code, 0);
  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  project.Sql("DROP INDEX ix_docs_body");
  CommandOutput drifted = project.Run({"drift"});
  EXPECT_EQ(drifted.exit_code, 3) << Describe(drifted);
  EXPECT_TRUE(Contains(drifted.out, "DROP INDEX public.ix_docs_body;")) << Describe(drifted);
}

TEST(DriftCommand, RefusesADatabaseWithoutOrWithUnknownVersionRows) {
  RETORT_REQUIRE_PG(pg);
  VerificationProject project(pg, /*with_schema=*/false);
  project.Add("a1", "none", kDocs, "DROP TABLE docs;");
  CommandOutput empty = project.Run({"drift"});
  EXPECT_EQ(empty.exit_code, 2) << Describe(empty);
  EXPECT_TRUE(Contains(empty.err, "has no version rows")) << Describe(empty);

  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  project.Sql("UPDATE retort_version SET version_num = 'elsewhere'");
  CommandOutput unknown = project.Run({"drift"});
  EXPECT_EQ(unknown.exit_code, 2) << Describe(unknown);
  EXPECT_TRUE(Contains(unknown.err, "is at elsewhere, unknown to")) << Describe(unknown);
}

}  // namespace
}  // namespace retort
