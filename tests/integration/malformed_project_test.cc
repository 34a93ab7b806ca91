// Broken projects: every mistake a user can make in retort.toml, a migration file, the graph or
// the command line stops retort with exit 2 before the database is touched, and the message
// points at the file and line to fix (or, when no file is at fault, says what is wrong).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <ostream>
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

// 1-based line of the first occurrence of `needle` in `text`; 0 when absent.
int LineOf(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  if (at == std::string::npos) return 0;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

constexpr char kConfig[] =
    "[migrations]\nscript_location = \"migrations\"\nlock_timeout = \"5s\"\n";

// Two good migrations every case starts from; the cases add broken files next to them (or
// replace retort.toml).
const std::map<std::string, std::string>& GoodFiles() {
  static const auto* files = new std::map<std::string, std::string>{
      {"retort.toml", kConfig},
      {"migrations/versions/10_good_one.sql",
       "-- retort:revision  g1aaaa\n-- retort:revises   none\n-- retort:message   one\n\n"
       "-- retort:upgrade\nCREATE TABLE good_one (id int);\n\n"
       "-- retort:downgrade\nDROP TABLE good_one;\n"},
      {"migrations/versions/20_good_two.sql",
       "-- retort:revision  g2bbbb\n-- retort:revises   g1aaaa\n-- retort:message   two\n\n"
       "-- retort:upgrade\nCREATE TABLE good_two (id int);\n\n"
       "-- retort:downgrade\nDROP TABLE good_two;\n"},
  };
  return *files;
}

// Where a message must point: "<file>:<line>" (file is the base name).
struct Location {
  std::string file;
  int line = 0;
  std::string Text() const { return file + ":" + std::to_string(line); }
};

// True when `text` holds "<file>:<line>" not followed by another digit (":1" is not ":12").
bool Mentions(const std::string& text, const Location& location) {
  std::string wanted = location.Text();
  for (size_t at = text.find(wanted); at != std::string::npos; at = text.find(wanted, at + 1)) {
    size_t after = at + wanted.size();
    if (after == text.size() || !std::isdigit(static_cast<unsigned char>(text[after]))) {
      return true;
    }
  }
  return false;
}

struct Mistake {
  std::string name;
  std::map<std::string, std::string> files;  // relative path -> text, over GoodFiles()
  std::vector<std::string> args = {"upgrade", "head"};
  std::string url;  // empty: the test database
  std::vector<Location> locations;
  std::vector<std::string> message_parts;  // each must appear in stderr
};

// Test names instead of byte dumps in gtest's messages.
void PrintTo(const Mistake& mistake, std::ostream* out) { *out << mistake.name; }

std::string Versions(const std::string& name) { return "migrations/versions/" + name; }

// A migration file whose broken line is located by `needle`.
Mistake FileMistake(const std::string& name, const std::string& file, const std::string& text,
                    const std::string& needle, const std::string& message_part) {
  Mistake mistake;
  mistake.name = name;
  mistake.files[Versions(file)] = text;
  mistake.locations.push_back({file, LineOf(text, needle)});
  mistake.message_parts.push_back(message_part);
  return mistake;
}

Mistake ConfigMistake(const std::string& name, const std::string& text, const std::string& needle,
                      const std::string& message_part) {
  Mistake mistake;
  mistake.name = name;
  mistake.files["retort.toml"] = text;
  mistake.locations.push_back({"retort.toml", LineOf(text, needle)});
  if (!message_part.empty()) mistake.message_parts.push_back(message_part);
  return mistake;
}

// Mistakes inside one migration file.
std::vector<Mistake> FileMistakes() {
  std::vector<Mistake> mistakes;
  mistakes.push_back(FileMistake("MissingRevisionHeader", "30_no_header.sql",
                                 "-- retort:revises g2bbbb\n-- retort:upgrade\n"
                                 "CREATE TABLE no_header (id int);\n",
                                 "-- retort:revises", "missing '-- retort:revision'"));
  mistakes.push_back(FileMistake("InvalidRevisionId", "30_bad_id.sql",
                                 "-- why this migration exists\n"
                                 "-- retort:revision  not/valid!\n-- retort:revises g2bbbb\n"
                                 "-- retort:upgrade\nCREATE TABLE bad_id (id int);\n",
                                 "not/valid!", "invalid revision id"));
  mistakes.push_back(FileMistake("UnknownDirective", "30_directive.sql",
                                 "-- retort:revision  d3cccc\n-- retort:revises g2bbbb\n\n"
                                 "-- retort:frobnicate yes\n"
                                 "-- retort:upgrade\nCREATE TABLE directive (id int);\n",
                                 "retort:frobnicate", "unknown directive 'retort:frobnicate'"));
  mistakes.push_back(FileMistake("SqlBeforeUpgradeSection", "30_early_sql.sql",
                                 "-- retort:revision  e3cccc\n-- retort:revises g2bbbb\n\n"
                                 "CREATE TABLE too_early (id int);\n\n"
                                 "-- retort:upgrade\nCREATE TABLE early (id int);\n",
                                 "CREATE TABLE too_early", "SQL before"));
  mistakes.push_back(FileMistake("TwoUpgradeSections", "30_two_up.sql",
                                 "-- retort:revision  t3cccc\n-- retort:revises g2bbbb\n\n"
                                 "-- retort:upgrade\nCREATE TABLE two_up (id int);\n\n"
                                 "--retort:upgrade\nCREATE TABLE two_up_again (id int);\n",
                                 "--retort:upgrade\nCREATE TABLE two_up_again",
                                 "duplicate '-- retort:upgrade' section"));
  mistakes.push_back(FileMistake("UpgradeSyntaxError", "30_up_syntax.sql",
                                 "-- retort:revision  u3cccc\n-- retort:revises g2bbbb\n\n"
                                 "-- retort:upgrade\nCREATE TABLE fine (id int);\n\n"
                                 "CREAT TABLE broken (id int);\n\n"
                                 "-- retort:downgrade\nDROP TABLE fine;\n",
                                 "CREAT TABLE", "syntax error"));
  mistakes.push_back(FileMistake("DowngradeSyntaxError", "30_down_syntax.sql",
                                 "-- retort:revision  w3cccc\n-- retort:revises g2bbbb\n\n"
                                 "-- retort:upgrade\nCREATE TABLE down_syntax (id int);\n\n"
                                 "-- retort:downgrade\n"
                                 "DROP TABLE down_syntax;\nDROP TABEL down_syntax;\n",
                                 "DROP TABEL", "syntax error"));
  mistakes.push_back(FileMistake("BadTransactionValue", "30_transaction.sql",
                                 "-- retort:revision  x3cccc\n-- retort:revises g2bbbb\n"
                                 "-- retort:transaction maybe\n\n"
                                 "-- retort:upgrade\nCREATE TABLE transaction_value (id int);\n",
                                 "retort:transaction", "maybe"));
  return mistakes;
}

// Mistakes the revision graph finds across files (each reported at `-- retort:revision`).
std::vector<Mistake> GraphMistakes() {
  std::vector<Mistake> mistakes;
  {
    Mistake duplicate = FileMistake("DuplicateRevisionId", "30_duplicate.sql",
                                    "-- another file, same id\n-- retort:revision  g2bbbb\n"
                                    "-- retort:revises g1aaaa\n-- retort:upgrade\n"
                                    "CREATE TABLE duplicate (id int);\n",
                                    "retort:revision", "duplicate revision id 'g2bbbb'");
    duplicate.locations.push_back({"20_good_two.sql", 1});
    mistakes.push_back(duplicate);
  }
  mistakes.push_back(FileMistake("UnknownParent", "30_orphan.sql",
                                 "-- retort:message orphan\n-- retort:revision  o3cccc\n"
                                 "-- retort:revises nosuchparent\n-- retort:upgrade\n"
                                 "CREATE TABLE orphan (id int);\n",
                                 "retort:revision", "unknown revision 'nosuchparent'"));
  {
    Mistake cycle = FileMistake("Cycle", "30_cycle_a.sql",
                                "-- a revises b\n-- retort:revision  cyca\n-- retort:revises cycb\n"
                                "-- retort:upgrade\nCREATE TABLE cycle_a (id int);\n",
                                "retort:revision", "cycle");
    cycle.files[Versions("31_cycle_b.sql")] =
        "-- retort:revision  cycb\n-- retort:revises cyca\n-- retort:upgrade\n"
        "CREATE TABLE cycle_b (id int);\n";
    cycle.message_parts.push_back("cyca -> cycb -> cyca");
    mistakes.push_back(cycle);
  }
  mistakes.push_back(FileMistake("UnknownDependsOn", "30_depends.sql",
                                 "-- retort:revision  p3cccc\n-- retort:revises g2bbbb\n"
                                 "-- retort:depends-on nosuchdep\n-- retort:upgrade\n"
                                 "CREATE TABLE depends (id int);\n",
                                 "retort:revision", "unknown revision 'nosuchdep'"));
  {
    Mistake label = FileMistake("DuplicateBranchLabel", "31_label_b.sql",
                                "\n-- retort:revision  lab2\n-- retort:revises none\n"
                                "-- retort:branch-labels feature\n-- retort:upgrade\n"
                                "CREATE TABLE label_b (id int);\n",
                                "retort:revision", "'feature'");
    label.files[Versions("30_label_a.sql")] =
        "-- retort:revision  lab1\n-- retort:revises none\n-- retort:branch-labels feature\n"
        "-- retort:upgrade\nCREATE TABLE label_a (id int);\n";
    mistakes.push_back(label);
  }
  return mistakes;
}

std::vector<Mistake> ConfigMistakes() {
  std::vector<Mistake> mistakes;
  mistakes.push_back(ConfigMistake("TomlSyntaxError",
                                   "# project settings\n[migrations]\nscript_location = "
                                   "\"migrations\"\nlock_timeout = \"5s\nstatement_timeout = "
                                   "\"0\"\n",
                                   "lock_timeout", /*message_part=*/""));
  mistakes.push_back(ConfigMistake("UnknownConfigKey",
                                   "[migrations]\nscript_location = \"migrations\"\n\n"
                                   "lock_timout = \"5s\"\n",
                                   "lock_timout", "unknown key 'lock_timout'"));
  mistakes.push_back(ConfigMistake("LockTimeoutWrongType",
                                   "[migrations]\nscript_location = \"migrations\"\n"
                                   "lock_timeout = 5\n",
                                   "lock_timeout", "lock_timeout must be a string"));
  return mistakes;
}

// Mistakes on the command line, or in the graph as a whole, that no single line causes.
std::vector<Mistake> CommandMistakes() {
  std::vector<Mistake> mistakes;
  {
    Mistake target;
    target.name = "UnknownTarget";
    target.args = {"upgrade", "nosuchrev"};
    target.message_parts = {"unknown revision 'nosuchrev'"};
    mistakes.push_back(target);
  }
  {
    Mistake url;
    url.name = "UnsupportedUrlScheme";
    url.url = "mysql://x";
    url.message_parts = {"unsupported database URL scheme 'mysql'"};
    mistakes.push_back(url);
  }
  {
    // BUG(lead): cli/main.cc Report() passes the message through RedactPassword, which mistakes
    // "heads: g2bbbb, h3cccc; use 'heads' ... 'label@head'" for URL userinfo and prints
    // "there are several heads:****@head' for one branch", hiding the heads.
    Mistake heads;
    heads.name = "TwoHeadsForHead";
    heads.files[Versions("30_second_head.sql")] =
        "-- retort:revision  h3cccc\n-- retort:revises g1aaaa\n-- retort:upgrade\n"
        "CREATE TABLE second_head (id int);\n";
    heads.message_parts = {"several heads", "g2bbbb", "h3cccc"};
    mistakes.push_back(heads);
  }
  {
    // retort connects while it reads the files; a broken file is still what it reports (and
    // the exit code is 2, not 1) when the database cannot be reached either.
    Mistake both = FileMistake("BrokenFileAndUnreachableDatabase", "30_no_header.sql",
                               "-- retort:revises g2bbbb\n-- retort:upgrade\n"
                               "CREATE TABLE no_header (id int);\n",
                               "-- retort:revises", "missing '-- retort:revision'");
    both.url = "postgresql://nobody@127.0.0.1:1/nothing_listens_here";
    mistakes.push_back(both);
  }
  return mistakes;
}

std::vector<Mistake> AllMistakes() {
  std::vector<Mistake> all;
  for (auto group : {FileMistakes(), GraphMistakes(), ConfigMistakes(), CommandMistakes()}) {
    all.insert(all.end(), group.begin(), group.end());
  }
  return all;
}

// Several mistakes of one kind at once: every one is reported in the same run.
Mistake Combined(const std::string& name, const std::vector<Mistake>& parts) {
  Mistake combined;
  combined.name = name;
  for (const Mistake& part : parts) {
    for (const auto& [path, text] : part.files) combined.files[path] = text;
    combined.locations.insert(combined.locations.end(), part.locations.begin(),
                              part.locations.end());
    combined.message_parts.insert(combined.message_parts.end(), part.message_parts.begin(),
                                  part.message_parts.end());
  }
  return combined;
}

std::vector<Mistake> CombinedMistakes() {
  std::string toml =
      "[migrations]\nscript_location = \"migrations\"\nlock_timout = \"5s\"\n"
      "statement_timeout = 5\n\n[databse]\nurl = \"postgresql://x@localhost/x\"\n";
  Mistake config;
  config.name = "SeveralConfigMistakesAtOnce";
  config.files["retort.toml"] = toml;
  config.locations = {{"retort.toml", LineOf(toml, "lock_timout")},
                      {"retort.toml", LineOf(toml, "statement_timeout")},
                      {"retort.toml", LineOf(toml, "[databse]")}};
  config.message_parts = {"unknown key 'lock_timout'", "statement_timeout must be a string",
                          "unknown section [databse]"};
  return {Combined("AllFileMistakesAtOnce", FileMistakes()),
          Combined("AllGraphMistakesAtOnce", GraphMistakes()), config};
}

// Runs `mistake` on a project and a database of its own.
void ExpectRejected(PgHarness* pg, const Mistake& mistake) {
  TempDir dir;
  std::map<std::string, std::string> files = GoodFiles();
  for (const auto& [path, text] : mistake.files) files[path] = text;
  for (const auto& [path, text] : files) dir.Write(path, text);
  std::string db = pg->CreateDatabase("malformed");

  std::vector<std::string> args = mistake.args;
  args.push_back("--url");
  args.push_back(mistake.url.empty() ? pg->Url(db) : mistake.url);
  CommandOutput output = RunRetort(args, dir.path());

  EXPECT_EQ(output.exit_code, 2) << Describe(output);
  EXPECT_EQ(output.err.rfind("retort: error: ", 0), 0u) << output.err;
  for (const Location& location : mistake.locations) {
    EXPECT_TRUE(Mentions(output.err, location)) << "expected " << location.Text() << " in\n"
                                                << output.err;
  }
  for (const std::string& part : mistake.message_parts) {
    EXPECT_NE(output.err.find(part), std::string::npos) << "expected \"" << part << "\" in\n"
                                                        << output.err;
  }
  EXPECT_EQ(pg->Scalar(db,
                       "SELECT count(*) FROM pg_class c JOIN pg_namespace n "
                       "ON n.oid = c.relnamespace WHERE n.nspname = 'public'"),
            "0")
      << "the database must be untouched";
}

class MalformedProject : public ::testing::TestWithParam<Mistake> {};

TEST_P(MalformedProject, ExitsTwoNamingTheProblemAndLeavesTheDatabaseAlone) {
  RETORT_REQUIRE_PG(pg);
  ExpectRejected(pg, GetParam());
}

std::string MistakeName(const ::testing::TestParamInfo<Mistake>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(EachMistake, MalformedProject, ::testing::ValuesIn(AllMistakes()),
                         MistakeName);
INSTANTIATE_TEST_SUITE_P(Combined, MalformedProject, ::testing::ValuesIn(CombinedMistakes()),
                         MistakeName);

// A revision without a downgrade section cannot be downgraded: retort says so before running
// anything, so the database stays at head.
TEST(MalformedDowngrade, MissingDowngradeSectionStopsBeforeAnythingRuns) {
  RETORT_REQUIRE_PG(pg);
  TempDir dir;
  for (const auto& [path, text] : GoodFiles()) dir.Write(path, text);
  std::string no_down =
      "-- the downgrade was never written\n-- retort:revision  n3cccc\n"
      "-- retort:revises g2bbbb\n\n-- retort:upgrade\nCREATE TABLE one_way (id int);\n";
  dir.Write(Versions("30_one_way.sql"), no_down);
  std::string db = pg->CreateDatabase("malformed");
  CommandOutput up = RunRetort({"upgrade", "head", "--url", pg->Url(db)}, dir.path());
  ASSERT_EQ(up.exit_code, 0) << Describe(up);

  CommandOutput down = RunRetort({"downgrade", "base", "--url", pg->Url(db)}, dir.path());
  EXPECT_EQ(down.exit_code, 2) << Describe(down);
  std::string location = "30_one_way.sql:" + std::to_string(LineOf(no_down, "retort:revision"));
  EXPECT_NE(down.err.find(location), std::string::npos) << "expected " << location << " in\n"
                                                        << down.err;
  EXPECT_NE(down.err.find("no downgrade"), std::string::npos) << down.err;
  EXPECT_EQ(pg->Query(db, "SELECT version_num FROM retort_version"),
            (std::vector<std::vector<std::string>>{{"n3cccc"}}));
  for (const char* table : {"good_one", "good_two", "one_way"}) {
    EXPECT_EQ(pg->Scalar(db, std::string("SELECT to_regclass('public.") + table + "') IS NOT NULL"),
              "t")
        << table;
  }
  EXPECT_EQ(pg->Scalar(db, "SELECT count(*) FROM retort_history WHERE direction = 'down'"), "0");
}

}  // namespace
}  // namespace retort

namespace retort {
namespace {

// `current` once said "stopped at statement 3 of 2" for a migration outside a transaction whose
// statements had all run but whose recording failed; and it compared with a file that may have
// been edited since without saying so.
TEST(PartialMigrationReport, NeverNamesAStatementBeyondTheCount) {
  RETORT_REQUIRE_PG(pg);
  TempDir dir;
  for (const auto& [path, text] : GoodFiles()) dir.Write(path, text);
  std::string db = pg->CreateDatabase("partial");
  std::string url = pg->Url(db);
  ASSERT_EQ(RunRetort({"upgrade", "head", "--url", url}, dir.path()).exit_code, 0);
  // Recording the step fails after both statements ran.
  pg->Query(db,
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'recording refused'; END $$;\n"
            "CREATE TRIGGER refuse BEFORE INSERT ON retort_history "
            "FOR EACH ROW EXECUTE FUNCTION refuse();");
  dir.Write(Versions("30_outside.sql"),
            "-- retort:revision  o3cccc\n-- retort:revises g2bbbb\n-- retort:transaction none\n"
            "-- retort:upgrade\nCREATE TABLE outside_one (id int);\n"
            "CREATE TABLE outside_two (id int);\n");
  CommandOutput up = RunRetort({"upgrade", "head", "--url", url}, dir.path());
  ASSERT_EQ(up.exit_code, 1) << Describe(up);

  CommandOutput current = RunRetort({"current", "--url", url}, dir.path());
  ASSERT_EQ(current.exit_code, 0) << Describe(current);
  EXPECT_EQ(current.out.find("statement 3 of 2"), std::string::npos) << current.out;
  EXPECT_NE(current.out.find("ran all 2 statements but was not recorded"), std::string::npos)
      << current.out;

  dir.Write(Versions("30_outside.sql"),
            "-- retort:revision  o3cccc\n-- retort:revises g2bbbb\n-- retort:transaction none\n"
            "-- retort:upgrade\nCREATE TABLE outside_one (id int);\n"
            "CREATE TABLE outside_two (id int);\nCREATE TABLE outside_three (id int);\n");
  CommandOutput edited = RunRetort({"current", "--url", url}, dir.path());
  ASSERT_EQ(edited.exit_code, 0) << Describe(edited);
  EXPECT_NE(edited.out.find("the file now has 3 statements"), std::string::npos) << edited.out;
  CommandOutput json = RunRetort({"--format", "json", "current", "--url", url}, dir.path());
  EXPECT_NE(json.out.find("\"all_statements_ran\": true"), std::string::npos) << json.out;
}

}  // namespace
}  // namespace retort
