// The retort CLI end to end: the built binary against a real PostgreSQL (tests/support), one
// project directory and one database per test. Each test checks exit codes, what was printed
// and what the database holds afterwards.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "pg/connection.h"
#include "support/pg_harness.h"

namespace retort {
namespace {

namespace fs = std::filesystem;
using ::nlohmann::json;
using ::retort::testing::CommandOutput;
using ::retort::testing::Describe;
using ::retort::testing::PgHarness;
using ::retort::testing::RunProgram;
using ::retort::testing::RunRetort;
using ::retort::testing::TempDir;

using Env = std::map<std::string, std::string>;
using Strings = std::vector<std::string>;

// Everything about a run, for failure messages.
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

// 1-based line of the first occurrence of `needle` in `text`; 0 when absent.
int LineOf(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  if (at == std::string::npos) return 0;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

// The value of `-- retort:NAME value` in a migration file's text; "" when absent.
std::string HeaderValue(const std::string& text, const std::string& name) {
  std::regex pattern("^--\\s*retort:" + name + "[ \\t]+(.*?)\\s*$");
  std::istringstream lines(text);
  std::string line;
  std::smatch match;
  while (std::getline(lines, line)) {
    if (std::regex_match(line, match, pattern)) return match[1];
  }
  return "";
}

// A migration file's text. An empty `down` with `has_downgrade` writes an empty section.
std::string MigrationText(const std::string& id, const std::string& revises, const std::string& up,
                          const std::string& down, const std::string& extra_header = "") {
  return "-- retort:revision  " + id + "\n-- retort:revises   " + revises +
         "\n-- retort:message   migration " + id + "\n" + extra_header + "\n-- retort:upgrade\n" +
         up + "\n\n-- retort:downgrade\n" + down + "\n";
}

Strings FilesIn(const std::string& directory) {
  Strings names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Strings SortedLines(const std::string& text) {
  Strings lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::string PgBinary(PgHarness* pg, const std::string& name) {
  std::string path = pg->bin_dir() + "/" + name;
  return fs::exists(path) ? path : "/usr/bin/" + name;
}

// A project directory (retort.toml + migrations/versions/) and a fresh database.
class TestProject {
 public:
  explicit TestProject(PgHarness* pg, const std::string& migrations_settings = "")
      : pg_(pg), db_(pg->CreateDatabase("cmd")) {
    dir_.Write("retort.toml",
               "[migrations]\nscript_location = \"migrations\"\n" + migrations_settings);
    fs::create_directories(VersionsDir());
  }

  const std::string& db() const { return db_; }
  const std::string& path() const { return dir_.path(); }
  std::string Url() const { return pg_->Url(db_); }
  std::string VersionsDir() const { return dir_.path() + "/migrations/versions"; }

  // Writes migrations/versions/<name> and returns its full path.
  std::string Add(const std::string& name, const std::string& text) const {
    return dir_.Write("migrations/versions/" + name, text);
  }
  std::string Write(const std::string& relative, const std::string& text) const {
    return dir_.Write(relative, text);
  }

  // Runs retort against this project's database.
  CommandOutput Run(Strings args, const Env& env = {}) const {
    args.push_back("--url");
    args.push_back(Url());
    return RunRetort(args, dir_.path(), env);
  }
  // Runs retort without --url (commands that need no database, or that find it elsewhere).
  CommandOutput RunPlain(const Strings& args, const Env& env = {}) const {
    return RunRetort(args, dir_.path(), env);
  }

  std::vector<Strings> Query(const std::string& sql) const { return pg_->Query(db_, sql); }
  std::string Scalar(const std::string& sql) const { return pg_->Scalar(db_, sql); }

  bool HasTable(const std::string& name) const {
    return Scalar("SELECT to_regclass('public." + name + "') IS NOT NULL") == "t";
  }
  // The version table's rows, sorted.
  Strings Versions(const std::string& table = "retort_version") const {
    Strings rows;
    for (const auto& row : Query("SELECT version_num FROM " + table + " ORDER BY 1")) {
      rows.push_back(row[0]);
    }
    return rows;
  }

 private:
  PgHarness* pg_;
  TempDir dir_;
  std::string db_;
};

// ---------------------------------------------------------------------------------------------
// 1. init

TEST(InitCommand, CreatesTheProjectAndRefusesToRunTwice) {
  TempDir dir;
  CommandOutput first = RunRetort({"init"}, dir.path());
  ASSERT_EQ(first.exit_code, 0) << Describe(first);
  EXPECT_TRUE(fs::is_regular_file(dir.path() + "/retort.toml"));
  EXPECT_TRUE(fs::is_directory(dir.path() + "/migrations/versions"));
  EXPECT_TRUE(fs::is_regular_file(dir.path() + "/migrations/script.sql.tmpl"));
  EXPECT_TRUE(fs::is_directory(dir.path() + "/schema"));
  EXPECT_NE(ReadText(dir.path() + "/migrations/script.sql.tmpl").find("${revision}"),
            std::string::npos);

  // A user edit and a file in versions/ must survive the second init untouched.
  std::string edited = ReadText(dir.path() + "/retort.toml") + "# edited by hand\n";
  WriteText(dir.path() + "/retort.toml", edited);
  std::string template_text = ReadText(dir.path() + "/migrations/script.sql.tmpl");
  dir.Write("migrations/versions/keep.sql", "-- keep\n");
  Strings before = FilesIn(dir.path() + "/migrations/versions");

  CommandOutput second = RunRetort({"init"}, dir.path());
  EXPECT_EQ(second.exit_code, 2) << Describe(second);
  EXPECT_NE(second.err.find("retort.toml"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("already exists"), std::string::npos) << second.err;
  EXPECT_EQ(ReadText(dir.path() + "/retort.toml"), edited);
  EXPECT_EQ(ReadText(dir.path() + "/migrations/script.sql.tmpl"), template_text);
  EXPECT_EQ(FilesIn(dir.path() + "/migrations/versions"), before);
}

// ---------------------------------------------------------------------------------------------
// 2. revision

TEST(RevisionCommand, WritesFilesThatReviseTheRightParent) {
  TempDir dir;
  ASSERT_EQ(RunRetort({"init"}, dir.path()).exit_code, 0);
  std::string versions = dir.path() + "/migrations/versions";

  CommandOutput first = RunRetort({"revision", "-m", "add users"}, dir.path());
  ASSERT_EQ(first.exit_code, 0) << Describe(first);
  Strings files = FilesIn(versions);
  ASSERT_EQ(files.size(), 1u);
  std::smatch match;
  ASSERT_TRUE(std::regex_match(files[0], match,
                               std::regex(R"(^\d{8}_\d{4}-([0-9a-f]{12})_add_users\.sql$)")))
      << files[0];
  std::string first_id = match[1];
  std::string first_text = ReadText(versions + "/" + files[0]);
  EXPECT_EQ(HeaderValue(first_text, "revision"), first_id);
  EXPECT_EQ(HeaderValue(first_text, "revises"), "none");
  EXPECT_EQ(HeaderValue(first_text, "message"), "add users");
  EXPECT_NE(first.err.find(files[0]), std::string::npos) << "names the new file: " << first.err;

  // A second revision revises the first (the single head); --rev-id names it.
  CommandOutput second =
      RunRetort({"revision", "-m", "add posts", "--rev-id", "cafe00000002"}, dir.path());
  ASSERT_EQ(second.exit_code, 0) << Describe(second);
  Strings after_second = FilesIn(versions);
  ASSERT_EQ(after_second.size(), 2u);
  std::string second_file;
  for (const auto& name : after_second) {
    if (name != files[0]) second_file = name;
  }
  EXPECT_TRUE(
      std::regex_match(second_file, std::regex(R"(^\d{8}_\d{4}-cafe00000002_add_posts\.sql$)")))
      << second_file;
  std::string second_text = ReadText(versions + "/" + second_file);
  EXPECT_EQ(HeaderValue(second_text, "revision"), "cafe00000002");
  EXPECT_EQ(HeaderValue(second_text, "revises"), first_id);

  // Branching from a revision that is not a head needs --splice.
  CommandOutput no_splice = RunRetort(
      {"revision", "-m", "side", "--rev-id", "side00000003", "--head", first_id}, dir.path());
  EXPECT_EQ(no_splice.exit_code, 2) << Describe(no_splice);
  EXPECT_NE(no_splice.err.find(first_id), std::string::npos) << no_splice.err;
  EXPECT_NE(no_splice.err.find("--splice"), std::string::npos) << no_splice.err;
  EXPECT_EQ(FilesIn(versions).size(), 2u) << "a refused revision writes nothing";

  CommandOutput splice = RunRetort(
      {"revision", "-m", "side", "--rev-id", "side00000003", "--head", first_id, "--splice"},
      dir.path());
  ASSERT_EQ(splice.exit_code, 0) << Describe(splice);
  std::string side_path;
  for (const auto& name : FilesIn(versions)) {
    if (name.find("side00000003") != std::string::npos) side_path = versions + "/" + name;
  }
  ASSERT_FALSE(side_path.empty());
  EXPECT_EQ(HeaderValue(ReadText(side_path), "revises"), first_id);

  // Two heads now: a revision without --head must say which ones.
  CommandOutput ambiguous = RunRetort({"revision", "-m", "which"}, dir.path());
  EXPECT_EQ(ambiguous.exit_code, 2) << Describe(ambiguous);
  EXPECT_NE(ambiguous.err.find("cafe00000002"), std::string::npos) << ambiguous.err;
  EXPECT_NE(ambiguous.err.find("side00000003"), std::string::npos) << ambiguous.err;
  // BUG(lead): the hint "pass --head REV (or label@head)" is eaten by RedactPassword in
  // cli/main.cc Report(): "several heads (a, b):****@head) to say which one ...".
  EXPECT_NE(ambiguous.err.find("--head"), std::string::npos) << ambiguous.err;
  EXPECT_EQ(FilesIn(versions).size(), 3u);

  // A new root with a branch label, and a revision on it that depends on the main line.
  CommandOutput root = RunRetort({"revision", "-m", "lib root", "--rev-id", "lib000000001",
                                  "--head", "base", "--branch-label", "lib"},
                                 dir.path());
  ASSERT_EQ(root.exit_code, 0) << Describe(root);
  CommandOutput dependent = RunRetort({"revision", "-m", "lib next", "--rev-id", "lib000000002",
                                       "--head", "lib@head", "--depends-on", "cafe00000002"},
                                      dir.path());
  ASSERT_EQ(dependent.exit_code, 0) << Describe(dependent);
  std::string root_text, dependent_text;
  for (const auto& name : FilesIn(versions)) {
    if (name.find("lib000000001") != std::string::npos) root_text = ReadText(versions + "/" + name);
    if (name.find("lib000000002") != std::string::npos) {
      dependent_text = ReadText(versions + "/" + name);
    }
  }
  EXPECT_EQ(HeaderValue(root_text, "revises"), "none");
  EXPECT_EQ(HeaderValue(root_text, "branch-labels"), "lib");
  EXPECT_EQ(HeaderValue(dependent_text, "revises"), "lib000000001");
  EXPECT_EQ(HeaderValue(dependent_text, "depends-on"), "cafe00000002");

  CommandOutput heads = RunRetort({"heads", "--format", "json"}, dir.path());
  ASSERT_EQ(heads.exit_code, 0) << Describe(heads);
  Strings head_ids;
  for (const auto& head : json::parse(heads.out)) head_ids.push_back(head["revision"]);
  EXPECT_EQ(head_ids, (Strings{"cafe00000002", "lib000000002", "side00000003"}));
}

// ---------------------------------------------------------------------------------------------
// 3. upgrade / downgrade on a linear chain

constexpr char kUsers[] = "1111aaaa0001";
constexpr char kPosts[] = "2222bbbb0002";
constexpr char kTags[] = "3333cccc0003";
constexpr char kComments[] = "4444dddd0004";

void AddLinearChain(const TestProject& project) {
  project.Add("01_users.sql",
              MigrationText(kUsers, "none",
                            "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n"
                            "CREATE UNIQUE INDEX ix_users_email ON users (email);",
                            "DROP TABLE users;"));
  project.Add("02_posts.sql",
              MigrationText(kPosts, kUsers,
                            "CREATE TABLE posts (id bigint PRIMARY KEY,\n"
                            "    user_id bigint NOT NULL REFERENCES users (id), title text);\n"
                            "CREATE INDEX ix_posts_user_id ON posts (user_id);",
                            "DROP TABLE posts;"));
  project.Add("03_tags.sql",
              MigrationText(kTags, kPosts,
                            "ALTER TABLE posts ADD COLUMN body text;\n"
                            "CREATE TABLE tags (post_id bigint REFERENCES posts (id), tag text);\n"
                            "CREATE INDEX ix_tags_tag ON tags (tag);",
                            "DROP TABLE tags;\nALTER TABLE posts DROP COLUMN body;"));
  project.Add("04_comments.sql",
              MigrationText(kComments, kTags,
                            "CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint);",
                            "DROP TABLE comments;"));
}

TEST(UpgradeDowngrade, MovesAlongALinearChainAndRecordsHistory) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg);
  AddLinearChain(project);
  auto tables = [&] {
    Strings present;
    for (const char* table : {"users", "posts", "tags", "comments"}) {
      if (project.HasTable(table)) present.push_back(table);
    }
    return present;
  };

  CommandOutput step = project.Run({"upgrade", "+1"});
  ASSERT_EQ(step.exit_code, 0) << Describe(step);
  EXPECT_EQ(project.Versions(), Strings{kUsers});
  EXPECT_EQ(tables(), (Strings{"users"}));
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_users_email'"),
            "1");

  step = project.Run({"upgrade", "head"});
  ASSERT_EQ(step.exit_code, 0) << Describe(step);
  EXPECT_EQ(project.Versions(), Strings{kComments});
  EXPECT_EQ(tables(), (Strings{"users", "posts", "tags", "comments"}));
  EXPECT_NE(step.err.find(kComments), std::string::npos) << "reports progress: " << step.err;

  step = project.Run({"upgrade", "head"});
  ASSERT_EQ(step.exit_code, 0) << Describe(step);
  EXPECT_NE(step.err.find("nothing to do"), std::string::npos) << step.err;

  step = project.Run({"downgrade", "-1"});
  ASSERT_EQ(step.exit_code, 0) << Describe(step);
  EXPECT_EQ(project.Versions(), Strings{kTags});
  EXPECT_EQ(tables(), (Strings{"users", "posts", "tags"}));

  step = project.Run({"downgrade", "base"});
  ASSERT_EQ(step.exit_code, 0) << Describe(step);
  EXPECT_EQ(project.Versions(), Strings{});
  EXPECT_EQ(tables(), Strings{});
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM information_schema.columns "
                           "WHERE table_schema = 'public' AND table_name = 'posts'"),
            "0");

  step = project.Run({"upgrade", "3333"});  // a unique prefix
  ASSERT_EQ(step.exit_code, 0) << Describe(step);
  EXPECT_EQ(project.Versions(), Strings{kTags});
  EXPECT_EQ(tables(), (Strings{"users", "posts", "tags"}));
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM information_schema.columns "
                           "WHERE table_name = 'posts' AND column_name = 'body'"),
            "1");

  step = project.Run({"downgrade", kUsers});
  ASSERT_EQ(step.exit_code, 0) << Describe(step);
  EXPECT_EQ(project.Versions(), Strings{kUsers});
  EXPECT_EQ(tables(), (Strings{"users"}));

  // One history row per step, in order, with its bookkeeping.
  auto history = project.Query(
      "SELECT revision, direction, coalesce(checksum, '<null>'), tool_version, db_user, "
      "duration_ms >= 0, finished_at >= started_at FROM retort_history ORDER BY id");
  std::vector<std::pair<std::string, std::string>> expected = {
      {kUsers, "up"},  {kPosts, "up"},   {kTags, "up"},    {kComments, "up"}, {kComments, "down"},
      {kTags, "down"}, {kPosts, "down"}, {kUsers, "down"}, {kUsers, "up"},    {kPosts, "up"},
      {kTags, "up"},   {kTags, "down"},  {kPosts, "down"}};
  ASSERT_EQ(history.size(), expected.size());
  std::map<std::string, std::string> checksum_of;
  for (size_t i = 0; i < history.size(); ++i) {
    const Strings& row = history[i];
    SCOPED_TRACE("history row " + std::to_string(i));
    EXPECT_EQ(row[0], expected[i].first);
    EXPECT_EQ(row[1], expected[i].second);
    EXPECT_TRUE(std::regex_match(row[2], std::regex("[0-9a-f]{64}"))) << row[2];
    EXPECT_EQ(row[3].rfind("retort", 0), 0u) << row[3];
    EXPECT_EQ(row[4], pg->superuser());
    EXPECT_EQ(row[5], "t");
    EXPECT_EQ(row[6], "t");
    // A migration's checksum is the same whichever way it ran.
    auto [it, inserted] = checksum_of.emplace(row[0], row[2]);
    if (!inserted) {
      EXPECT_EQ(it->second, row[2]) << row[0];
    }
  }
  EXPECT_EQ(checksum_of.size(), 4u);
}

// ---------------------------------------------------------------------------------------------
// 4. branches and merge

// Adds SQL to a file `revision` wrote (its sections are empty).
void FillSections(const std::string& path, const std::string& up, const std::string& down) {
  std::string text = ReadText(path);
  size_t up_marker = text.find("-- retort:upgrade\n");
  ASSERT_NE(up_marker, std::string::npos) << text;
  text.insert(up_marker + std::string("-- retort:upgrade\n").size(), up + "\n");
  size_t down_marker = text.find("-- retort:downgrade\n");
  ASSERT_NE(down_marker, std::string::npos) << text;
  text.insert(down_marker + std::string("-- retort:downgrade\n").size(), down + "\n");
  WriteText(path, text);
}

std::string FileOf(const TestProject& project, const std::string& id) {
  for (const auto& name : FilesIn(project.VersionsDir())) {
    if (name.find(id) != std::string::npos) return project.VersionsDir() + "/" + name;
  }
  ADD_FAILURE() << "no file for revision " << id;
  return "";
}

TEST(BranchesAndMerge, UpgradesBranchesMergesAndDowngradesTheMerge) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg);
  ASSERT_EQ(project.RunPlain({"revision", "-m", "base", "--rev-id", "b0base"}).exit_code, 0);
  FillSections(FileOf(project, "b0base"), "CREATE TABLE base_t (id int);", "DROP TABLE base_t;");
  ASSERT_EQ(project.RunPlain({"revision", "-m", "main work", "--rev-id", "a1main"}).exit_code, 0);
  FillSections(FileOf(project, "a1main"), "CREATE TABLE main_t (id int);", "DROP TABLE main_t;");
  CommandOutput refused =
      project.RunPlain({"revision", "-m", "side work", "--rev-id", "c1side", "--head", "b0base"});
  EXPECT_EQ(refused.exit_code, 2) << Describe(refused);
  CommandOutput spliced =
      project.RunPlain({"revision", "-m", "side work", "--rev-id", "c1side", "--head", "b0base",
                        "--splice", "--branch-label", "side"});
  ASSERT_EQ(spliced.exit_code, 0) << Describe(spliced);
  FillSections(FileOf(project, "c1side"), "CREATE TABLE side_t (id int);", "DROP TABLE side_t;");

  CommandOutput heads = project.RunPlain({"heads"});
  ASSERT_EQ(heads.exit_code, 0) << Describe(heads);
  EXPECT_NE(heads.out.find("a1main"), std::string::npos) << heads.out;
  EXPECT_NE(heads.out.find("c1side"), std::string::npos) << heads.out;
  EXPECT_EQ(heads.out.find("b0base"), std::string::npos) << heads.out;

  CommandOutput branches = project.RunPlain({"branches"});
  ASSERT_EQ(branches.exit_code, 0) << Describe(branches);
  EXPECT_NE(branches.out.find("b0base"), std::string::npos) << branches.out;
  EXPECT_NE(branches.out.find("branchpoint"), std::string::npos) << branches.out;
  EXPECT_NE(branches.out.find("a1main"), std::string::npos) << branches.out;
  EXPECT_NE(branches.out.find("c1side"), std::string::npos) << branches.out;

  // BUG(lead): cli/main.cc Report() runs every error message through RedactPassword, whose
  // fallback treats "heads: a1main, c1side; use 'heads' ... 'label@head'" as URL userinfo and
  // prints "there are several heads:****@head' for one branch" -- the heads are hidden.
  CommandOutput ambiguous = project.Run({"upgrade", "head"});
  EXPECT_EQ(ambiguous.exit_code, 2) << Describe(ambiguous);
  EXPECT_NE(ambiguous.err.find("a1main"), std::string::npos) << ambiguous.err;
  EXPECT_NE(ambiguous.err.find("c1side"), std::string::npos) << ambiguous.err;
  EXPECT_FALSE(project.HasTable("base_t"));

  // label@head follows only the labelled branch.
  CommandOutput side = project.Run({"upgrade", "side@head"});
  ASSERT_EQ(side.exit_code, 0) << Describe(side);
  EXPECT_EQ(project.Versions(), Strings{"c1side"});
  EXPECT_TRUE(project.HasTable("base_t"));
  EXPECT_TRUE(project.HasTable("side_t"));
  EXPECT_FALSE(project.HasTable("main_t"));

  CommandOutput all = project.Run({"upgrade", "heads"});
  ASSERT_EQ(all.exit_code, 0) << Describe(all);
  EXPECT_EQ(project.Versions(), (Strings{"a1main", "c1side"}));
  EXPECT_TRUE(project.HasTable("main_t"));

  CommandOutput merge = project.RunPlain({"merge", "-m", "m", "heads", "--rev-id", "m1merge"});
  ASSERT_EQ(merge.exit_code, 0) << Describe(merge);
  std::string merge_text = ReadText(FileOf(project, "m1merge"));
  EXPECT_EQ(HeaderValue(merge_text, "revises"), "a1main, c1side");
  CommandOutput merged_heads = project.RunPlain({"heads"});
  EXPECT_EQ(SortedLines(merged_heads.out).size(), 1u) << merged_heads.out;
  EXPECT_NE(merged_heads.out.find("m1merge"), std::string::npos) << merged_heads.out;

  CommandOutput to_merge = project.Run({"upgrade", "head"});
  ASSERT_EQ(to_merge.exit_code, 0) << Describe(to_merge);
  EXPECT_EQ(project.Versions(), Strings{"m1merge"});

  CommandOutput unmerge = project.Run({"downgrade", "-1"});
  ASSERT_EQ(unmerge.exit_code, 0) << Describe(unmerge);
  EXPECT_EQ(project.Versions(), (Strings{"a1main", "c1side"}));
  EXPECT_TRUE(project.HasTable("main_t"));
  EXPECT_TRUE(project.HasTable("side_t"));
}

// ---------------------------------------------------------------------------------------------
// 5. depends_on across branches

TEST(DependsOn, UpgradingADependentRevisionAppliesItsDependency) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg);
  ASSERT_EQ(project.RunPlain({"revision", "-m", "app", "--rev-id", "app1", "--branch-label", "app"})
                .exit_code,
            0);
  FillSections(FileOf(project, "app1"), "CREATE TABLE app_root (id int);", "DROP TABLE app_root;");
  CommandOutput lib = project.RunPlain(
      {"revision", "-m", "lib", "--rev-id", "lib1", "--head", "base", "--branch-label", "lib"});
  ASSERT_EQ(lib.exit_code, 0) << Describe(lib);
  FillSections(FileOf(project, "lib1"), "CREATE TABLE lib_items (id int PRIMARY KEY);",
               "DROP TABLE lib_items;");
  ASSERT_EQ(
      project.RunPlain({"revision", "-m", "lib more", "--rev-id", "lib2", "--head", "lib@head"})
          .exit_code,
      0);
  FillSections(FileOf(project, "lib2"), "CREATE TABLE lib_more (id int);", "DROP TABLE lib_more;");
  CommandOutput dependent = project.RunPlain({"revision", "-m", "app uses lib", "--rev-id", "app2",
                                              "--head", "app@head", "--depends-on", "lib1"});
  ASSERT_EQ(dependent.exit_code, 0) << Describe(dependent);
  // Fails unless lib1 ran first.
  FillSections(FileOf(project, "app2"),
               "CREATE TABLE app_items (id int, lib_id int REFERENCES lib_items (id));",
               "DROP TABLE app_items;");

  CommandOutput up = project.Run({"upgrade", "app2"});
  ASSERT_EQ(up.exit_code, 0) << Describe(up);
  EXPECT_TRUE(project.HasTable("app_root"));
  EXPECT_TRUE(project.HasTable("lib_items"));
  EXPECT_TRUE(project.HasTable("app_items"));
  EXPECT_FALSE(project.HasTable("lib_more")) << "only the dependency, not its branch's head";
  EXPECT_EQ(project.Versions(), (Strings{"app2", "lib1"}));
  auto order = project.Query("SELECT revision FROM retort_history ORDER BY id");
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(order[2][0], "app2");

  CommandOutput rest = project.Run({"upgrade", "heads"});
  ASSERT_EQ(rest.exit_code, 0) << Describe(rest);
  EXPECT_EQ(project.Versions(), (Strings{"app2", "lib2"}));
  EXPECT_TRUE(project.HasTable("lib_more"));
}

// ---------------------------------------------------------------------------------------------
// 6. stamp

void AddTwoTables(const TestProject& project) {
  project.Add("01.sql", MigrationText("st0000000001", "none", "CREATE TABLE stamp_one (id int);",
                                      "DROP TABLE stamp_one;"));
  project.Add("02.sql", MigrationText("st0000000002", "st0000000001",
                                      "CREATE TABLE stamp_two (id int);", "DROP TABLE stamp_two;"));
}

TEST(StampCommand, SetsAndClearsRowsWithoutRunningMigrations) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg);
  AddTwoTables(project);

  CommandOutput stamp = project.Run({"stamp", "head"});
  ASSERT_EQ(stamp.exit_code, 0) << Describe(stamp);
  EXPECT_EQ(project.Versions(), Strings{"st0000000002"});
  EXPECT_FALSE(project.HasTable("stamp_one"));
  EXPECT_FALSE(project.HasTable("stamp_two"));
  EXPECT_EQ(project.Scalar("SELECT string_agg(direction, ',') FROM retort_history"), "stamp");

  stamp = project.Run({"stamp", "base"});
  ASSERT_EQ(stamp.exit_code, 0) << Describe(stamp);
  EXPECT_EQ(project.Versions(), Strings{});

  project.Query("INSERT INTO retort_version (version_num) VALUES ('deadbeef')");
  CommandOutput refused = project.Run({"stamp", "head"});
  EXPECT_EQ(refused.exit_code, 2) << Describe(refused);
  EXPECT_NE(refused.err.find("deadbeef"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--purge"), std::string::npos) << refused.err;
  EXPECT_EQ(project.Versions(), Strings{"deadbeef"});

  CommandOutput purged = project.Run({"stamp", "--purge", "st0000000001"});
  ASSERT_EQ(purged.exit_code, 0) << Describe(purged);
  EXPECT_EQ(project.Versions(), Strings{"st0000000001"});
  EXPECT_FALSE(project.HasTable("stamp_one"));

  // From the stamped revision, upgrade runs only what comes after it.
  CommandOutput up = project.Run({"upgrade", "head"});
  ASSERT_EQ(up.exit_code, 0) << Describe(up);
  EXPECT_FALSE(project.HasTable("stamp_one"));
  EXPECT_TRUE(project.HasTable("stamp_two"));
}

// ---------------------------------------------------------------------------------------------
// 7. --sql scripts

void AddScriptChain(const TestProject& project) {
  project.Add("01_accounts.sql",
              MigrationText("sq0000000001", "none",
                            "CREATE TABLE accounts (\n"
                            "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                            "    name text NOT NULL\n);\n"
                            "CREATE INDEX ix_accounts_name ON accounts (name);",
                            "DROP TABLE accounts;"));
  project.Add("02_entries.sql",
              MigrationText("sq0000000002", "sq0000000001",
                            "CREATE TABLE entries (id bigint PRIMARY KEY,\n"
                            "    account_id bigint NOT NULL REFERENCES accounts (id),\n"
                            "    amount numeric(12, 2) NOT NULL DEFAULT 0, note text);\n"
                            "COMMENT ON TABLE entries IS 'money; moves';\n"
                            "CREATE FUNCTION entries_total() RETURNS numeric LANGUAGE sql AS $$\n"
                            "  SELECT coalesce(sum(amount), 0) FROM entries;\n$$;",
                            "DROP FUNCTION entries_total();\nDROP TABLE entries;"));
  project.Add("03_concurrently.sql",
              MigrationText("sq0000000003", "sq0000000002",
                            "CREATE INDEX CONCURRENTLY ix_entries_account_id ON entries "
                            "(account_id);",
                            "DROP INDEX CONCURRENTLY ix_entries_account_id;",
                            "-- retort:transaction none\n"));
  project.Add("04_kinds.sql",
              MigrationText("sq0000000004", "sq0000000003",
                            "CREATE TYPE entry_kind AS ENUM ('debit', 'credit');\n"
                            "ALTER TABLE entries ADD COLUMN kind entry_kind,\n"
                            "    ADD COLUMN posted_at timestamptz;",
                            "ALTER TABLE entries DROP COLUMN kind, DROP COLUMN posted_at;\n"
                            "DROP TYPE entry_kind;"));
}

// `pg_dump --schema-only` without what differs between two databases of the same shape.
std::string SchemaDump(PgHarness* pg, const std::string& db) {
  CommandOutput dump = RunProgram(
      {PgBinary(pg, "pg_dump"), "--schema-only", "--no-owner", "-d", pg->ConnInfo(db)}, "");
  EXPECT_EQ(dump.exit_code, 0) << Describe(dump);
  std::istringstream in(dump.out);
  std::string line, kept;
  while (std::getline(in, line)) {
    if (line.empty() || line.rfind("--", 0) == 0 || line.rfind("\\restrict", 0) == 0 ||
        line.rfind("\\unrestrict", 0) == 0) {
      continue;
    }
    kept += line + "\n";
  }
  return kept;
}

CommandOutput RunPsql(PgHarness* pg, const std::string& db, const std::string& script) {
  return RunProgram({PgBinary(pg, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d",
                     pg->ConnInfo(db), "-f", "-"},
                    "", {}, script);
}

TEST(SqlScripts, OfflineUpgradeAndDowngradeMatchTheOnlineRun) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg);
  AddScriptChain(project);

  CommandOutput online = project.Run({"upgrade", "head"});
  ASSERT_EQ(online.exit_code, 0) << Describe(online);
  EXPECT_EQ(project.Scalar("SELECT indisvalid FROM pg_index "
                           "WHERE indexrelid = 'ix_entries_account_id'::regclass"),
            "t");

  // No --url: an offline script needs no database.
  CommandOutput script = project.RunPlain({"upgrade", "--sql"});
  ASSERT_EQ(script.exit_code, 0) << Describe(script);
  EXPECT_NE(script.out.find("CREATE INDEX CONCURRENTLY"), std::string::npos) << script.out;
  CommandOutput ranged = project.RunPlain({"upgrade", "base:head", "--sql"});
  ASSERT_EQ(ranged.exit_code, 0) << Describe(ranged);

  std::string online_dump = SchemaDump(pg, project.db());
  Strings online_versions = project.Versions();
  ASSERT_EQ(online_versions, Strings{"sq0000000004"});
  for (const CommandOutput* offline : {&script, &ranged}) {
    std::string db = pg->CreateDatabase("script");
    // psql refuses CREATE INDEX CONCURRENTLY inside BEGIN/COMMIT, so this also checks that the
    // `transaction none` migration is not wrapped in one.
    CommandOutput applied = RunPsql(pg, db, offline->out);
    ASSERT_EQ(applied.exit_code, 0) << Describe(applied) << "\n--- script:\n" << offline->out;
    EXPECT_EQ(SchemaDump(pg, db), online_dump);
    EXPECT_EQ(pg->Query(db, "SELECT version_num FROM retort_version ORDER BY 1"),
              (std::vector<Strings>{{"sq0000000004"}}));
    EXPECT_EQ(pg->Scalar(db, "SELECT count(*) FROM retort_history WHERE direction = 'up'"), "4");
  }

  CommandOutput down_script = project.RunPlain({"downgrade", "head:base", "--sql"});
  ASSERT_EQ(down_script.exit_code, 0) << Describe(down_script);
  CommandOutput undone = RunPsql(pg, project.db(), down_script.out);
  ASSERT_EQ(undone.exit_code, 0) << Describe(undone) << "\n--- script:\n" << down_script.out;
  EXPECT_EQ(project.Query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                          "ORDER BY 1"),
            (std::vector<Strings>{{"retort_digest"}, {"retort_history"}, {"retort_version"}}));
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_type WHERE typname = 'entry_kind'"), "0");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_proc WHERE proname = 'entries_total'"), "0");
  EXPECT_EQ(project.Versions(), Strings{});

  CommandOutput no_range = project.RunPlain({"downgrade", "--sql", "base"});
  EXPECT_EQ(no_range.exit_code, 2) << Describe(no_range);
  EXPECT_NE(no_range.err.find("FROM:TO"), std::string::npos) << no_range.err;
}

// Run with psql as the docs say, a script stops at a failed statement of a `transaction none`
// migration; and should ON_ERROR_STOP be switched off, the version table still does not move
// past it (it did: the index was missing and the database claimed the revision).
TEST(SqlScripts, AFailedStatementOutsideATransactionNeverMovesTheVersion) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg);
  project.Add("01.sql", MigrationText("se0000000001", "none",
                                      "CREATE TABLE dupes (k int);\n"
                                      "INSERT INTO dupes VALUES (1), (1);",
                                      "DROP TABLE dupes;"));
  project.Add("02.sql",
              MigrationText("se0000000002", "se0000000001",
                            "CREATE UNIQUE INDEX CONCURRENTLY dupes_k ON dupes (k);",
                            "DROP INDEX CONCURRENTLY dupes_k;", "-- retort:transaction none\n"));
  CommandOutput script = project.RunPlain({"upgrade", "--sql"});
  ASSERT_EQ(script.exit_code, 0) << Describe(script);
  ASSERT_NE(script.out.find("\\set ON_ERROR_STOP on\n"), std::string::npos) << script.out;

  std::string stopped = pg->CreateDatabase("script_stops");
  CommandOutput plain =
      RunProgram({PgBinary(pg, "psql"), "-X", "-q", "-d", pg->ConnInfo(stopped), "-f", "-"}, "", {},
                 script.out);
  EXPECT_EQ(plain.exit_code, 3) << Describe(plain);
  EXPECT_EQ(pg->Query(stopped, "SELECT version_num FROM retort_version"),
            (std::vector<Strings>{{"se0000000001"}}));

  std::string unguarded = script.out;
  unguarded.erase(unguarded.find("\\set ON_ERROR_STOP on\n"), 22);
  std::string continued = pg->CreateDatabase("script_continues");
  CommandOutput ran = RunProgram({PgBinary(pg, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=0", "-d",
                                  pg->ConnInfo(continued), "-f", "-"},
                                 "", {}, unguarded);
  EXPECT_NE(ran.out.find("stopping before the version table moves"), std::string::npos)
      << Describe(ran);
  EXPECT_EQ(pg->Query(continued, "SELECT version_num FROM retort_version"),
            (std::vector<Strings>{{"se0000000001"}}));
  EXPECT_EQ(pg->Scalar(continued,
                       "SELECT count(*) FROM retort_history WHERE revision = "
                       "'se0000000002'"),
            "0");
}

// ---------------------------------------------------------------------------------------------
// 8. a failing statement

TEST(FailingMigration, StopsAtTheFailedRevisionAndNamesFileAndLine) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg);
  project.Add("01.sql", MigrationText("fa0000000001", "none", "CREATE TABLE fail_one (id int);",
                                      "DROP TABLE fail_one;"));
  project.Add("02.sql", MigrationText("fa0000000002", "fa0000000001",
                                      "CREATE TABLE fail_two (id int);", "DROP TABLE fail_two;"));
  std::string broken =
      MigrationText("fa0000000003", "fa0000000002",
                    "CREATE TABLE fail_three (id int);\n\nINSERT INTO fail_three (id)\n"
                    "  SELECT 1 FROM missing_table;\nCREATE TABLE fail_after (id int);",
                    "DROP TABLE fail_after;\nDROP TABLE fail_three;");
  std::string path = project.Add("03_broken.sql", broken);
  // The line of the error's position, inside the statement.
  int bad_line = LineOf(broken, "SELECT 1 FROM missing_table");

  // A migration's statements go out in one pipeline: the error still names the statement that
  // failed (not the last one sent), and neither the one before nor the one after it stays.
  CommandOutput failed = project.Run({"upgrade", "head"});
  EXPECT_EQ(failed.exit_code, 1) << Describe(failed);
  EXPECT_NE(failed.err.find("03_broken.sql:" + std::to_string(bad_line) +
                            ": statement 2 of 3 in revision fa0000000003 failed"),
            std::string::npos)
      << "expected 03_broken.sql:" << bad_line << " in\n"
      << failed.err;
  EXPECT_NE(failed.err.find("relation \"missing_table\" does not exist"), std::string::npos)
      << failed.err;
  EXPECT_NE(failed.err.find("STATEMENT:  INSERT INTO fail_three (id)"), std::string::npos)
      << failed.err;
  EXPECT_FALSE(project.HasTable("fail_three")) << "the first statement was rolled back";
  EXPECT_FALSE(project.HasTable("fail_after")) << "the statement after the failed one ran";
  EXPECT_TRUE(project.HasTable("fail_two"));
  EXPECT_EQ(project.Versions(), Strings{"fa0000000002"});

  std::string fixed = broken;
  fixed.replace(fixed.find(" FROM missing_table"), std::string(" FROM missing_table").size(), "");
  WriteText(path, fixed);
  CommandOutput retried = project.Run({"upgrade", "head"});
  ASSERT_EQ(retried.exit_code, 0) << Describe(retried);
  EXPECT_EQ(project.Versions(), Strings{"fa0000000003"});
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM fail_three"), "1");
}

// A database at base says so, and a database built without retort (its tables already there,
// no version rows) is pointed at `retort stamp` when the first migration finds them.
TEST(CurrentCommand, AtBaseSaysNothingIsAppliedAndAlreadyExistsSuggestsStamp) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg);
  project.Add("01.sql", MigrationText("st0000000001", "none", "CREATE TABLE made_by_hand (id int);",
                                      "DROP TABLE made_by_hand;"));
  CommandOutput at_base = project.Run({"current"});
  ASSERT_EQ(at_base.exit_code, 0) << Describe(at_base);
  EXPECT_EQ(at_base.out, "base: nothing applied\n") << Describe(at_base);
  CommandOutput as_json = project.Run({"current", "--format", "json"});
  ASSERT_EQ(as_json.exit_code, 0) << Describe(as_json);
  json report = json::parse(as_json.out);
  EXPECT_EQ(report.at("current"), json::array());
  EXPECT_EQ(report.at("at_base"), true);

  project.Query("CREATE TABLE made_by_hand (id int)");
  CommandOutput clash = project.Run({"upgrade", "head"});
  EXPECT_EQ(clash.exit_code, 1) << Describe(clash);
  EXPECT_NE(clash.err.find("already exists"), std::string::npos) << clash.err;
  EXPECT_NE(clash.err.find("`retort stamp REV`"), std::string::npos) << clash.err;
  EXPECT_EQ(project.Versions(), Strings{});

  ASSERT_EQ(project.Run({"stamp", "st0000000001"}).exit_code, 0);
  CommandOutput stamped = project.Run({"current", "--format", "json"});
  ASSERT_EQ(stamped.exit_code, 0) << Describe(stamped);
  EXPECT_EQ(json::parse(stamped.out).at("at_base"), false);
}

// ---------------------------------------------------------------------------------------------
// 9. data commands as JSON

Strings Ids(const json& revisions) {
  Strings ids;
  for (const auto& revision : revisions) ids.push_back(revision.at("revision"));
  return ids;
}

TEST(DataCommands, JsonOutputHoldsIdsAndFlags) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg);
  project.Add("1.sql",
              MigrationText("js1", "none", "CREATE TABLE js_one (id int);", "DROP TABLE js_one;"));
  project.Add("2.sql", MigrationText("js2", "js1",
                                     "CREATE TABLE js_two (id int);\nCREATE INDEX ON js_two (id);",
                                     "DROP TABLE js_two;"));
  project.Add("3.sql", MigrationText("js3", "js2", "CREATE TABLE js_three (id int);",
                                     "DROP TABLE js_three;"));
  project.Add("x.sql", MigrationText("jsx", "js1", "CREATE TABLE js_x (id int);",
                                     "DROP TABLE js_x;", "-- retort:branch-labels experiment\n"));
  ASSERT_EQ(project.Run({"upgrade", "js2"}).exit_code, 0);

  CommandOutput current = project.Run({"current", "--format", "json"});
  ASSERT_EQ(current.exit_code, 0) << Describe(current);
  json current_json = json::parse(current.out);
  EXPECT_EQ(current_json.at("current"), (Strings{"js2"}));
  ASSERT_EQ(current_json.at("revisions").size(), 1u);
  EXPECT_EQ(current_json["revisions"][0].at("revision"), "js2");
  EXPECT_EQ(current_json["revisions"][0].at("is_current"), true);
  EXPECT_EQ(current_json["revisions"][0].at("is_head"), false);
  EXPECT_NE(current_json.at("database").get<std::string>().find(project.db()), std::string::npos);
  EXPECT_TRUE(current_json.at("unknown").empty());

  CommandOutput history = project.RunPlain({"history", "--format", "json"});
  ASSERT_EQ(history.exit_code, 0) << Describe(history);
  json history_json = json::parse(history.out);
  Strings history_ids = Ids(history_json);
  ASSERT_EQ(history_ids.size(), 4u);
  EXPECT_EQ(history_ids.back(), "js1") << "newest first, base last";
  auto index_of = [&](const std::string& id) {
    return std::find(history_ids.begin(), history_ids.end(), id) - history_ids.begin();
  };
  EXPECT_LT(index_of("js3"), index_of("js2"));
  EXPECT_LT(index_of("jsx"), index_of("js1"));
  for (const auto& revision : history_json) {
    std::string id = revision.at("revision");
    EXPECT_EQ(revision.at("is_base"), id == "js1") << id;
    EXPECT_EQ(revision.at("is_head"), id == "js3" || id == "jsx") << id;
    EXPECT_EQ(revision.at("is_branch_point"), id == "js1") << id;
    EXPECT_EQ(revision.at("is_merge"), false) << id;
  }

  CommandOutput range = project.RunPlain({"history", "-r", "js1:js3", "--format", "json"});
  ASSERT_EQ(range.exit_code, 0) << Describe(range);
  EXPECT_EQ(Ids(json::parse(range.out)), (Strings{"js3", "js2", "js1"}));
  CommandOutput upper = project.RunPlain({"history", "-r", "js2:", "--format", "json"});
  ASSERT_EQ(upper.exit_code, 0) << Describe(upper);
  EXPECT_EQ(Ids(json::parse(upper.out)), (Strings{"js3", "js2"}));

  CommandOutput indicated = project.Run({"history", "-i"});
  ASSERT_EQ(indicated.exit_code, 0) << Describe(indicated);
  int current_lines = 0;
  for (const auto& line : SortedLines(indicated.out)) {
    if (line.find("(current)") == std::string::npos) continue;
    ++current_lines;
    EXPECT_NE(line.find("-> js2"), std::string::npos) << line;
  }
  EXPECT_EQ(current_lines, 1) << indicated.out;
  CommandOutput indicated_json = project.Run({"history", "-i", "--format", "json"});
  ASSERT_EQ(indicated_json.exit_code, 0) << Describe(indicated_json);
  for (const auto& revision : json::parse(indicated_json.out)) {
    EXPECT_EQ(revision.at("is_current"), revision.at("revision") == "js2") << revision;
  }

  CommandOutput heads = project.RunPlain({"heads", "--format", "json"});
  ASSERT_EQ(heads.exit_code, 0) << Describe(heads);
  json heads_json = json::parse(heads.out);
  EXPECT_EQ(Ids(heads_json), (Strings{"js3", "jsx"}));
  EXPECT_EQ(heads_json[1].at("branch_labels"), (Strings{"experiment"}));

  CommandOutput branches = project.RunPlain({"branches", "--format", "json"});
  ASSERT_EQ(branches.exit_code, 0) << Describe(branches);
  json branches_json = json::parse(branches.out);
  ASSERT_EQ(branches_json.size(), 1u);
  EXPECT_EQ(branches_json[0].at("branch_point").at("revision"), "js1");
  EXPECT_EQ(Ids(branches_json[0].at("children")), (Strings{"js2", "jsx"}));

  CommandOutput show = project.RunPlain({"show", "js2", "--format", "json"});
  ASSERT_EQ(show.exit_code, 0) << Describe(show);
  json show_json = json::parse(show.out);
  EXPECT_EQ(show_json.at("revision"), "js2");
  EXPECT_EQ(show_json.at("parents"), (Strings{"js1"}));
  EXPECT_EQ(show_json.at("children"), (Strings{"js3"}));
  EXPECT_EQ(show_json.at("upgrade_statements"), 2);
  ASSERT_EQ(show_json.at("upgrade").size(), 2u);
  EXPECT_EQ(show_json["upgrade"][0], "CREATE TABLE js_two (id int)");
  EXPECT_EQ(show_json.at("downgrade"), (Strings{"DROP TABLE js_two"}));
  EXPECT_EQ(show_json.at("transactional"), true);

  CommandOutput show_label = project.RunPlain({"show", "experiment@head", "--format", "json"});
  ASSERT_EQ(show_label.exit_code, 0) << Describe(show_label);
  EXPECT_EQ(json::parse(show_label.out).at("revision"), "jsx");
}

// The drawn history of tests/history_graph/versions (two roots, branch labels, an octopus merge
// of three heads, a merge of that merge, depends_on across lines) against
// tests/history_graph/*.expected; RETORT_UPDATE_GOLDEN=1 rewrites them.
TEST(HistoryGraph, DrawingsMatchTheGoldenFiles) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg);
  const std::string golden = std::string(RETORT_SOURCE_DIR) + "/tests/history_graph";
  for (const auto& entry : fs::directory_iterator(golden + "/versions")) {
    project.Add(entry.path().filename().string(), ReadText(entry.path().string()));
  }
  CommandOutput upgrade = project.Run({"upgrade", "4d00lines"});
  ASSERT_EQ(upgrade.exit_code, 0) << Describe(upgrade);
  const bool update = std::getenv("RETORT_UPDATE_GOLDEN") != nullptr &&
                      std::string(std::getenv("RETORT_UPDATE_GOLDEN")) == "1";
  auto check = [&](const Strings& args, bool with_database, const std::string& file) {
    CommandOutput output = with_database ? project.Run(args) : project.RunPlain(args);
    ASSERT_EQ(output.exit_code, 0) << Describe(output);
    const std::string path = golden + "/" + file;
    if (update) WriteText(path, output.out);
    EXPECT_EQ(output.out, ReadText(path))
        << file << " differs (RETORT_UPDATE_GOLDEN=1 rewrites it)";
  };
  check({"history", "--graph"}, false, "graph.expected");
  check({"history", "--graph", "--indicate-current"}, true, "graph_current.expected");
  check({"history", "--format", "dot"}, false, "graph_dot.expected");
  check({"history", "--format", "mermaid", "-i"}, true, "graph_mermaid.expected");
  // A range draws as if history began there.
  check({"history", "--graph", "-r", "6f00merge:"}, false, "graph_range.expected");

  // Graphviz is not among the project's dependencies: where it happens to be installed, dot
  // itself reads the digraph; everywhere, its structure is checked. One node per revision, one
  // edge per parent and per depends_on, braces balanced.
  if (fs::exists("/usr/bin/dot")) {
    EXPECT_EQ(
        std::system(("/usr/bin/dot -Tsvg -o /dev/null " + golden + "/graph_dot.expected").c_str()),
        0);
  }
  std::string dot = ReadText(golden + "/graph_dot.expected");
  EXPECT_EQ(dot.rfind("digraph retort_history {\n", 0), 0u) << dot;
  EXPECT_EQ(dot.substr(dot.size() - 2), "}\n");
  size_t nodes = 0;
  size_t edges = 0;
  size_t dashed = 0;
  for (const std::string& line : SortedLines(dot)) {
    if (line.find(" [label=") != std::string::npos) ++nodes;
    if (line.find(" -> ") != std::string::npos) ++edges;
    if (line.find("style=dashed") != std::string::npos) ++dashed;
  }
  EXPECT_EQ(nodes, 10u);
  EXPECT_EQ(edges, 12u);  // 11 parents, 1 depends_on
  EXPECT_EQ(dashed, 1u);

  CommandOutput json_graph = project.RunPlain({"history", "--graph", "--format", "json"});
  EXPECT_EQ(json_graph.exit_code, 2) << Describe(json_graph);
  CommandOutput verbose_dot = project.RunPlain({"history", "--format", "dot", "--verbose"});
  EXPECT_EQ(verbose_dot.exit_code, 2) << Describe(verbose_dot);
  CommandOutput dot_heads = project.RunPlain({"heads", "--format", "dot"});
  EXPECT_EQ(dot_heads.exit_code, 2) << Describe(dot_heads);
  EXPECT_NE(dot_heads.err.find("--format dot is for history only"), std::string::npos)
      << dot_heads.err;
}

// ---------------------------------------------------------------------------------------------
// 10. adopting an Alembic database

TEST(AlembicAdoption, ContinuesFromAnAlembicVersionTable) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg, "version_table = \"alembic_version\"\n");
  // What Alembic leaves behind after its first migration.
  project.Query(
      "CREATE TABLE alembic_version (version_num varchar(32) NOT NULL, "
      "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));\n"
      "INSERT INTO alembic_version (version_num) VALUES ('ae1f00000001');\n"
      "CREATE TABLE customers (id int PRIMARY KEY);");
  project.Add("01.sql",
              MigrationText("ae1f00000001", "none", "CREATE TABLE customers (id int PRIMARY KEY);",
                            "DROP TABLE customers;"));
  project.Add("02.sql",
              MigrationText("b7c9e2d40002", "ae1f00000001",
                            "CREATE TABLE orders (id int, customer_id int REFERENCES customers);",
                            "DROP TABLE orders;"));

  CommandOutput current = project.Run({"current"});
  ASSERT_EQ(current.exit_code, 0) << Describe(current);
  EXPECT_NE(current.out.find("ae1f00000001"), std::string::npos) << current.out;
  EXPECT_EQ(current.out.find("unknown"), std::string::npos) << current.out;

  CommandOutput up = project.Run({"upgrade", "head"});
  ASSERT_EQ(up.exit_code, 0) << Describe(up);
  EXPECT_EQ(project.Versions("alembic_version"), Strings{"b7c9e2d40002"});
  EXPECT_TRUE(project.HasTable("orders"));
  EXPECT_FALSE(project.HasTable("retort_version"));
  EXPECT_EQ(project.Scalar("SELECT revision FROM retort_history"), "b7c9e2d40002");
}

// ---------------------------------------------------------------------------------------------
// 11. config precedence

TEST(ConfigPrecedence, UrlFlagBeatsEnvironmentBeatsConfigFile) {
  RETORT_REQUIRE_PG(pg);
  std::string toml_db = pg->CreateDatabase("toml");
  std::string database_url_db = pg->CreateDatabase("dburl");
  std::string retort_url_db = pg->CreateDatabase("retorturl");
  std::string flag_db = pg->CreateDatabase("flag");
  TestProject project(pg);
  project.Write("retort.toml", "[database]\nurl = \"" + pg->Url(toml_db) + "\"\n");
  project.Add("01.sql",
              MigrationText("cf0000000001", "none", "CREATE TABLE cf (id int);", "DROP TABLE cf;"));
  // The test's own environment must not leak in; an empty variable counts as unset.
  Env none{{"RETORT_DATABASE_URL", ""}, {"DATABASE_URL", ""}};
  auto database_of = [&](const Strings& args, const Env& env) -> std::string {
    Strings full = {"current", "--format", "json"};
    full.insert(full.end(), args.begin(), args.end());
    CommandOutput output = project.RunPlain(full, env);
    EXPECT_EQ(output.exit_code, 0) << Describe(output);
    if (output.exit_code != 0) return "";
    return json::parse(output.out).at("database");
  };
  auto mentions = [](const std::string& described, const std::string& db) {
    return described.find(db) != std::string::npos;
  };

  EXPECT_TRUE(mentions(database_of({}, none), toml_db));
  Env with_database_url{{"RETORT_DATABASE_URL", ""}, {"DATABASE_URL", pg->Url(database_url_db)}};
  EXPECT_TRUE(mentions(database_of({}, with_database_url), database_url_db));
  Env with_both{{"RETORT_DATABASE_URL", pg->Url(retort_url_db)},
                {"DATABASE_URL", pg->Url(database_url_db)}};
  EXPECT_TRUE(mentions(database_of({}, with_both), retort_url_db));
  EXPECT_TRUE(mentions(database_of({"--url", pg->Url(flag_db)}, with_both), flag_db));

  // The same precedence decides where an upgrade runs.
  CommandOutput up = project.RunPlain({"upgrade", "head"}, with_both);
  ASSERT_EQ(up.exit_code, 0) << Describe(up);
  EXPECT_EQ(pg->Scalar(retort_url_db, "SELECT to_regclass('public.cf') IS NOT NULL"), "t");
  for (const std::string& other : {toml_db, database_url_db, flag_db}) {
    EXPECT_EQ(pg->Scalar(other, "SELECT to_regclass('public.cf') IS NOT NULL"), "f") << other;
  }

  // A SQLAlchemy URL as an async Python app would configure it.
  std::string sqlalchemy = "postgresql+asyncpg://" + pg->superuser() +
                           "@127.0.0.1:" + std::to_string(pg->port()) + "/" + flag_db;
  CommandOutput async_url = project.RunPlain({"upgrade", "head", "--url", sqlalchemy}, none);
  ASSERT_EQ(async_url.exit_code, 0) << Describe(async_url);
  EXPECT_EQ(pg->Query(flag_db, "SELECT version_num FROM retort_version"),
            (std::vector<Strings>{{"cf0000000001"}}));
}

// ---------------------------------------------------------------------------------------------
// 12. passwords are never printed

TEST(Passwords, NeverAppearInOutput) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg);
  project.Add("01.sql",
              MigrationText("pw0000000001", "none", "CREATE TABLE pw (id int);", "DROP TABLE pw;"));
  const std::string secret = "Sup3rS3cretPW";
  // Port 1 refuses connections; the .invalid domain never resolves.
  Strings urls = {
      "postgresql://app:" + secret + "@127.0.0.1:1/app",
      "postgresql+asyncpg://app:" + secret + "@127.0.0.1:1/app",
      "postgresql://app:" + secret + "@no-such-host.invalid:5432/app",
      "host=127.0.0.1 port=1 user=app password=" + secret + " dbname=app",
      "host=no-such-host.invalid user=app password='" + secret + "' dbname=app",
  };
  for (const std::string& url : urls) {
    for (const Strings& command : {Strings{"current"}, Strings{"upgrade", "head"}}) {
      Strings args = command;
      args.push_back("--url");
      args.push_back(url);
      CommandOutput flag = project.RunPlain(args);
      SCOPED_TRACE(command[0] + " with " + url);
      EXPECT_EQ(flag.exit_code, 1) << Describe(flag);
      EXPECT_FALSE(flag.err.empty());
      EXPECT_EQ(flag.out.find(secret), std::string::npos) << flag.out;
      EXPECT_EQ(flag.err.find(secret), std::string::npos) << flag.err;

      CommandOutput env = project.RunPlain(command, {{"RETORT_DATABASE_URL", url}});
      EXPECT_EQ(env.exit_code, 1) << Describe(env);
      EXPECT_EQ(env.out.find(secret), std::string::npos) << env.out;
      EXPECT_EQ(env.err.find(secret), std::string::npos) << env.err;
    }
  }
}

// With no URL anywhere, libpq's own variables reach the database as they do for psql; a
// PGPASSWORD is used, never shown; and with none of them the error still says what to set.
TEST(ConfigPrecedence, LibpqVariablesAloneReachTheDatabase) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg);
  project.Add("01.sql",
              MigrationText("pq0000000001", "none", "CREATE TABLE pq (id int);", "DROP TABLE pq;"));
  const std::string secret = "Sup3rS3cretPW";
  Env libpq = {{"PGHOST", pg->socket_dir()},
               {"PGPORT", std::to_string(pg->port())},
               {"PGUSER", pg->superuser()},
               {"PGDATABASE", project.db()},
               {"PGPASSWORD", secret}};
  CommandOutput upgraded = project.RunPlain({"upgrade", "head"}, libpq);
  ASSERT_EQ(upgraded.exit_code, 0) << Describe(upgraded);
  EXPECT_EQ(project.Versions(), Strings{"pq0000000001"});
  CommandOutput current = project.RunPlain({"current", "--verbose"}, libpq);
  ASSERT_EQ(current.exit_code, 0) << Describe(current);
  EXPECT_NE(current.out.find(project.db()), std::string::npos) << Describe(current);
  EXPECT_EQ(current.out.find(secret), std::string::npos) << Describe(current);
  EXPECT_EQ(current.err.find(secret), std::string::npos) << Describe(current);

  // A wrong PGHOST fails (exit 1) without the password in the message.
  libpq["PGHOST"] = "no-such-host.invalid";
  CommandOutput unreachable = project.RunPlain({"current"}, libpq);
  EXPECT_EQ(unreachable.exit_code, 1) << Describe(unreachable);
  EXPECT_EQ(unreachable.err.find(secret), std::string::npos) << Describe(unreachable);

  // PGPASSWORD or PGUSER alone name no database: nothing is configured.
  CommandOutput nothing =
      project.RunPlain({"current"}, {{"PGPASSWORD", secret}, {"PGUSER", pg->superuser()}});
  EXPECT_EQ(nothing.exit_code, 2) << Describe(nothing);
  EXPECT_NE(nothing.err.find("no database url"), std::string::npos) << Describe(nothing);
  EXPECT_NE(nothing.err.find("PGHOST"), std::string::npos) << Describe(nothing);
  EXPECT_EQ(nothing.err.find(secret), std::string::npos) << Describe(nothing);
}

// A typo in a connection setting is bad input (exit 2), not a failure of the server (exit 1),
// and its message still carries no password.
TEST(Passwords, MalformedConnectionSettingsAreBadInput) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg);
  const std::string secret = "Sup3rS3cretPW";
  Strings urls = {
      "postgresql://app:" + secret + "@127.0.0.1:notaport/app",
      "postgresql://app:" + secret + "@127.0.0.1:99999/app",
      "postgresql://app:" + secret + "@127.0.0.1:5432/app?sslmode=sometimes",
      "host=127.0.0.1 port=x user=app password=" + secret + " dbname=app",
  };
  for (const std::string& url : urls) {
    SCOPED_TRACE(url);
    CommandOutput output = project.RunPlain({"current", "--url", url});
    EXPECT_EQ(output.exit_code, 2) << Describe(output);
    EXPECT_NE(output.err.find("bad connection setting"), std::string::npos) << output.err;
    EXPECT_EQ(output.err.find(secret), std::string::npos) << output.err;
  }
}

// ---------------------------------------------------------------------------------------------
// 13. one transaction for the whole run

TEST(SingleTransaction, AFailureRollsBackEveryMigrationOfTheRun) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg, "transaction_per_migration = false\n");
  project.Add("01.sql", MigrationText("one000000001", "none", "CREATE TABLE single_one (id int);",
                                      "DROP TABLE single_one;"));
  project.Add("02.sql",
              MigrationText("two000000002", "one000000001", "CREATE TABLE single_two (id int);",
                            "DROP TABLE single_two;"));
  project.Add("03.sql", MigrationText("thr000000003", "two000000002",
                                      "CREATE TABLE single_three (id int);\n"
                                      "INSERT INTO no_such_table VALUES (1);",
                                      "DROP TABLE single_three;"));

  CommandOutput failed = project.Run({"upgrade", "head"});
  EXPECT_EQ(failed.exit_code, 1) << Describe(failed);
  EXPECT_NE(failed.err.find("no_such_table"), std::string::npos) << failed.err;
  EXPECT_FALSE(project.HasTable("single_one"));
  EXPECT_FALSE(project.HasTable("single_two"));
  EXPECT_FALSE(project.HasTable("single_three"));
  if (project.HasTable("retort_version")) {
    EXPECT_EQ(project.Versions(), Strings{});
    EXPECT_EQ(project.Scalar("SELECT count(*) FROM retort_history"), "0");
  }
}

// ---------------------------------------------------------------------------------------------
// 14. lock_timeout from the config

TEST(LockTimeout, AMigrationBlockedByAnotherSessionGivesUp) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg, "lock_timeout = \"200ms\"\n");
  project.Add("01.sql", MigrationText("lt0000000001", "none", "CREATE TABLE locked (id int);",
                                      "DROP TABLE locked;"));
  project.Add("02.sql",
              MigrationText("lt0000000002", "lt0000000001", "ALTER TABLE locked ADD COLUMN x int;",
                            "ALTER TABLE locked DROP COLUMN x;"));
  ASSERT_EQ(project.Run({"upgrade", "lt0000000001"}).exit_code, 0);

  auto holder = pg::Connection::Open(pg->ConnInfo(project.db()), "lock-holder");
  ASSERT_TRUE(holder.ok()) << holder.status().message();
  // Should retort ignore lock_timeout, the server ends this session after a while, so the test
  // fails (exit 0) instead of hanging.
  auto locked = holder->Execute(
      "SET idle_in_transaction_session_timeout = '30s'; BEGIN; "
      "LOCK TABLE locked IN ACCESS EXCLUSIVE MODE");
  ASSERT_TRUE(locked.ok()) << locked.error.ToString();

  CommandOutput blocked = project.Run({"upgrade", "head"});
  EXPECT_EQ(blocked.exit_code, 1) << Describe(blocked);
  EXPECT_NE(blocked.err.find("lock timeout"), std::string::npos) << blocked.err;
  EXPECT_NE(blocked.err.find("55P03"), std::string::npos) << blocked.err;
  EXPECT_EQ(project.Versions(), Strings{"lt0000000001"});

  ASSERT_TRUE(holder->Execute("ROLLBACK").ok());
  CommandOutput freed = project.Run({"upgrade", "head"});
  ASSERT_EQ(freed.exit_code, 0) << Describe(freed);
  EXPECT_EQ(project.Versions(), Strings{"lt0000000002"});
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM information_schema.columns "
                           "WHERE table_name = 'locked' AND column_name = 'x'"),
            "1");
}

// ---------------------------------------------------------------------------------------------
// 15. --lock-wait and the migration lock

TEST(MigrationLock, GivesUpNamingTheHolderAndSkipsTheLockWhenUpToDate) {
  RETORT_REQUIRE_PG(pg);
  TestProject project(pg);
  project.Add("01.sql",
              MigrationText("lk0000000001", "none", "CREATE TABLE lk (id int);", "DROP TABLE lk;"));

  auto holder = pg::Connection::Open(pg->ConnInfo(project.db()), "holder-app");
  ASSERT_TRUE(holder.ok()) << holder.status().message();
  const std::string lock =
      "SELECT pg_advisory_lock(hashtext('retort'), hashtext('public.retort_version'))";
  const std::string unlock =
      "SELECT pg_advisory_unlock(hashtext('retort'), hashtext('public.retort_version'))";
  ASSERT_TRUE(holder->Execute(lock).ok());

  CommandOutput waited = project.Run({"upgrade", "head", "--lock-wait", "300ms"});
  EXPECT_EQ(waited.exit_code, 1) << Describe(waited);
  EXPECT_NE(waited.err.find(std::to_string(holder->BackendPid())), std::string::npos)
      << "names the holder's pid " << holder->BackendPid() << ":\n"
      << waited.err;
  EXPECT_NE(waited.err.find("holder-app"), std::string::npos) << waited.err;
  EXPECT_FALSE(project.HasTable("lk"));

  ASSERT_TRUE(holder->Execute(unlock).ok());
  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  ASSERT_TRUE(holder->Execute(lock).ok());
  // Had it queued for the lock, it would have given up after 300 ms with exit 1.
  CommandOutput up_to_date = project.Run({"upgrade", "head", "--lock-wait", "300ms"});
  EXPECT_EQ(up_to_date.exit_code, 0) << Describe(up_to_date);
  EXPECT_NE(up_to_date.err.find("nothing to do"), std::string::npos) << up_to_date.err;
  ASSERT_TRUE(holder->Execute(unlock).ok());
}

}  // namespace
}  // namespace retort
