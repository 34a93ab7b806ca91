#include "migrations/sum_file.h"

#include <gtest/gtest.h>

namespace retort::migrations {
namespace {

Migration Parse(const std::string& path, const std::string& text) {
  auto migration = ParseMigration(text, path);
  EXPECT_TRUE(migration.ok()) << migration.status().message();
  return migration.ok() ? *migration : Migration{};
}

std::string File(const std::string& id, const std::string& parent, const std::string& upgrade) {
  return "-- retort:revision " + id + "\n-- retort:revises " + parent + "\n\n-- retort:upgrade\n" +
         upgrade + "\n\n-- retort:downgrade\nSELECT 1;\n";
}

TEST(SumFileTest, MatchesTheFilesItWasWrittenFor) {
  std::vector<Migration> all = {Parse("v/a.sql", File("a", "none", "CREATE TABLE a (id int);")),
                                Parse("v/b.sql", File("b", "a", "CREATE TABLE b (id int);"))};
  std::string sum = RenderSumFile(all);
  EXPECT_TRUE(VerifySumFile(sum, all).empty());
  EXPECT_EQ(sum.substr(0, 3), "h1:");
  EXPECT_NE(sum.find("\na.sql h1:"), std::string::npos);
}

TEST(SumFileTest, ReformattingIsNotAChangeButEditingIs) {
  std::vector<Migration> all = {Parse("v/a.sql", File("a", "none", "CREATE TABLE a (id int);"))};
  std::string sum = RenderSumFile(all);
  std::vector<Migration> reformatted = {
      Parse("v/a.sql", File("a", "none", "-- tables\nCREATE   TABLE a (\n  id int\n);"))};
  EXPECT_TRUE(VerifySumFile(sum, reformatted).empty());
  std::vector<Migration> edited = {
      Parse("v/a.sql", File("a", "none", "CREATE TABLE a (id bigint);"))};
  auto problems = VerifySumFile(sum, edited);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("a.sql: changed since retort.sum was written", 0), 0u) << problems[0];
}

TEST(SumFileTest, TwoBranchesAddingMigrationsChangeTheFirstLine) {
  Migration base = Parse("v/a.sql", File("a", "none", "CREATE TABLE a (id int);"));
  std::string left = RenderSumFile({base, Parse("v/b.sql", File("b", "a", "SELECT 2;"))});
  std::string right = RenderSumFile({base, Parse("v/c.sql", File("c", "a", "SELECT 3;"))});
  // Both edit line 1, so git reports a conflict instead of merging silently.
  EXPECT_NE(left.substr(0, left.find('\n')), right.substr(0, right.find('\n')));
}

TEST(SumFileTest, ReportsAddedMissingAndTamperedEntries) {
  Migration a = Parse("v/a.sql", File("a", "none", "SELECT 1;"));
  Migration b = Parse("v/b.sql", File("b", "a", "SELECT 2;"));
  std::string sum = RenderSumFile({a});
  auto problems = VerifySumFile(sum, {a, b});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("b.sql: not in retort.sum"), std::string::npos);

  problems = VerifySumFile(RenderSumFile({a, b}), {a});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("b.sql: listed in retort.sum but missing"), std::string::npos);

  std::string tampered = RenderSumFile({a, b});
  tampered.replace(0, 4, "h1:0");
  problems = VerifySumFile(tampered, {a, b});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("retort.sum:1: the h1: line does not match"), std::string::npos);

  problems = VerifySumFile(RenderSumFile({a}) + "<<<<<<< HEAD\n", {a});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("retort.sum:3: malformed line"), std::string::npos);
}

// `upgrade` takes the edit of a file it applies into the sum: that entry alone, the others as
// recorded, and never into a sum file that does not add up (a merge to look at).
TEST(SumFileTest, UpdateSumEntriesTakesInOnlyTheEditedFiles) {
  Migration a = Parse("v/a.sql", File("a", "none", "SELECT 1;"));
  Migration b = Parse("v/b.sql", File("b", "a", "SELECT 2;"));
  Migration a_edited = Parse("v/a.sql", File("a", "none", "SELECT 10;"));
  Migration b_edited = Parse("v/b.sql", File("b", "a", "SELECT 20;"));
  std::string sum = RenderSumFile({a, b});
  std::optional<std::string> updated = UpdateSumEntries(sum, {&b_edited});
  ASSERT_TRUE(updated.has_value());
  EXPECT_TRUE(VerifySumFile(*updated, {a, b_edited}).empty());
  // a's edit was not taken in: still reported.
  EXPECT_EQ(VerifySumFile(*updated, {a_edited, b_edited}).size(), 1u);
  // A file the sum did not list yet is added.
  Migration c = Parse("v/c.sql", File("c", "b", "SELECT 3;"));
  updated = UpdateSumEntries(sum, {&c});
  ASSERT_TRUE(updated.has_value());
  EXPECT_TRUE(VerifySumFile(*updated, {a, b, c}).empty());

  std::string tampered = sum;
  tampered.replace(0, 4, "h1:0");
  EXPECT_FALSE(UpdateSumEntries(tampered, {&b_edited}).has_value());
  EXPECT_FALSE(UpdateSumEntries(sum + "<<<<<<< HEAD\n", {&b_edited}).has_value());
}

TEST(DescribeChangesTest, NamesTheStatementsThatChanged) {
  Migration before = Parse("v/a.sql", File("a", "none", "CREATE TABLE a (id int);\nSELECT 1;"));
  Migration after = Parse("v/a.sql", File("a", "none",
                                          "-- reformatted\nCREATE TABLE a (id  int);\n"
                                          "SELECT 2;\nSELECT 3;"));
  auto changes = DescribeChanges(before, after);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0], "upgrade statement 2 (line 7) changed: was `SELECT 1`, now `SELECT 2`");
  EXPECT_EQ(changes[1], "upgrade statement 3 (line 8) added: `SELECT 3`");
}

}  // namespace
}  // namespace retort::migrations
