#include "migrations/migration.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "base/files.h"
#include "migrations/header_cache.h"

namespace retort::migrations {
namespace {

constexpr char kPath[] = "versions/a.sql";

Migration MustParse(std::string_view text) {
  Result<Migration> migration = ParseMigration(text, kPath);
  EXPECT_TRUE(migration.ok()) << migration.status().message();
  return migration.ok() ? *migration : Migration{};
}

std::string ParseError(std::string_view text) {
  Result<Migration> migration = ParseMigration(text, kPath);
  EXPECT_FALSE(migration.ok()) << "parsed without error:\n" << text;
  if (migration.ok()) return "";
  EXPECT_EQ(migration.status().code(), Code::kInvalidInput);
  return migration.status().message();
}

std::vector<std::string> Texts(const std::vector<sqltext::Statement>& statements) {
  std::vector<std::string> texts;
  for (const auto& statement : statements) texts.push_back(statement.text);
  return texts;
}

std::vector<int> Lines(const std::vector<sqltext::Statement>& statements) {
  std::vector<int> lines;
  for (const auto& statement : statements) lines.push_back(statement.line);
  return lines;
}

constexpr char kFull[] =
    "-- retort:revision  3f2a9c1b7d4e\n"              // 1
    "-- retort:revises   1a2b3c4d5e6f, 0000aaaa\n"    // 2
    "-- retort:message   add chunk partitions\n"      // 3
    "-- retort:created   2026-11-21 10:50:00+00\n"    // 4
    "--retort:branch-labels docs, v2_docs\n"          // 5
    "-- retort:depends-on    9c0ffee00000\n"          // 6
    "-- retort:transaction   none\n"                  // 7
    "\n"                                              // 8
    "-- Free text about this migration.\n"            // 9
    "/* and a block\n"                                // 10
    "   comment */\n"                                 // 11
    "-- retort:upgrade\n"                             // 12
    "CREATE TABLE chunks (\n"                         // 13
    "  id bigint,\n"                                  // 14
    "  partition_key text\n"                          // 15
    ") PARTITION BY LIST (partition_key);\n"          // 16
    "\n"                                              // 17
    "-- the index\n"                                  // 18
    "CREATE INDEX CONCURRENTLY ix ON chunks (id);\n"  // 19
    "\n"                                              // 20
    "-- retort:downgrade\n"                           // 21
    "DROP TABLE chunks;\n";                           // 22

TEST(ParseMigrationTest, ReadsEveryHeaderDirectiveAndSection) {
  Migration migration = MustParse(kFull);
  EXPECT_EQ(migration.id, "3f2a9c1b7d4e");
  EXPECT_EQ(migration.parents, (std::vector<std::string>{"1a2b3c4d5e6f", "0000aaaa"}));
  EXPECT_EQ(migration.message, "add chunk partitions");
  EXPECT_EQ(migration.created, "2026-11-21 10:50:00+00");
  EXPECT_EQ(migration.branch_labels, (std::vector<std::string>{"docs", "v2_docs"}));
  EXPECT_EQ(migration.depends_on, (std::vector<std::string>{"9c0ffee00000"}));
  EXPECT_FALSE(migration.transactional);
  EXPECT_EQ(migration.path, kPath);
  EXPECT_EQ(migration.revision_line, 1);
  EXPECT_EQ(Texts(migration.upgrade),
            (std::vector<std::string>{
                "CREATE TABLE chunks (\n  id bigint,\n  partition_key text\n) PARTITION BY LIST "
                "(partition_key)",
                "CREATE INDEX CONCURRENTLY ix ON chunks (id)"}));
  EXPECT_EQ(Lines(migration.upgrade), (std::vector<int>{13, 19}));
  EXPECT_TRUE(migration.has_downgrade);
  EXPECT_EQ(Texts(migration.downgrade), (std::vector<std::string>{"DROP TABLE chunks"}));
  EXPECT_EQ(Lines(migration.downgrade), (std::vector<int>{22}));
  EXPECT_EQ(migration.checksum.size(), 64u);
}

// What `upgrade` loads: every statement split (so syntax errors stop the run), the checksum
// only for the migrations that run.
TEST(ParseMigrationTest, StatementsDepthLeavesTheChecksumToFillChecksum) {
  Migration full = MustParse(kFull);
  auto parsed = ParseMigration(kFull, kPath, ParseDepth::kStatements);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  Migration statements = std::move(parsed).value();
  EXPECT_EQ(Texts(statements.upgrade), Texts(full.upgrade));
  EXPECT_TRUE(statements.checksum.empty());
  ASSERT_TRUE(FillChecksum(statements).ok());
  EXPECT_EQ(statements.checksum, full.checksum);

  auto broken = ParseMigration("-- retort:revision a1\n-- retort:upgrade\nSELEC 1;\n", kPath,
                               ParseDepth::kStatements);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find(std::string(kPath) + ":3:"), std::string::npos)
      << broken.status().message();
}

// What the graph and the read-only commands load: the header alone, its statements unreachable
// (a MigrationHeader has none), and the SQL not even split.
TEST(ParseMigrationTest, HeaderAloneSkipsTheSql) {
  Migration full = MustParse(kFull);
  auto header = ParseMigrationHeader(kFull, kPath);
  ASSERT_TRUE(header.ok()) << header.status().message();
  EXPECT_EQ(header->id, full.id);
  EXPECT_EQ(header->parents, full.parents);
  EXPECT_EQ(header->has_downgrade, full.has_downgrade);
  EXPECT_EQ(header->source_sha256, full.source_sha256);
  EXPECT_TRUE(
      ParseMigrationHeader("-- retort:revision a1\n-- retort:upgrade\nSELEC 1;\n", kPath).ok());
  EXPECT_FALSE(
      ParseMigrationHeader("-- retort:revision a1\n-- retort:bogus\n-- retort:upgrade\n", kPath)
          .ok());
}

TEST(ParseMigrationTest, MinimalRootWithoutRevisesOrDowngrade) {
  Migration migration = MustParse("-- retort:revision a1\n-- retort:upgrade\nSELECT 1");
  EXPECT_EQ(migration.id, "a1");
  EXPECT_TRUE(migration.parents.empty());
  EXPECT_TRUE(migration.transactional);
  EXPECT_FALSE(migration.has_downgrade);
  EXPECT_TRUE(migration.downgrade.empty());
  EXPECT_EQ(Lines(migration.upgrade), (std::vector<int>{3}));
}

TEST(ParseMigrationTest, NoneOrEmptyRevisesIsARoot) {
  EXPECT_TRUE(MustParse("-- retort:revision a\n-- retort:revises none\n-- retort:upgrade\n")
                  .parents.empty());
  EXPECT_TRUE(
      MustParse("-- retort:revision a\n-- retort:revises\n-- retort:upgrade\n").parents.empty());
}

TEST(ParseMigrationTest, MergeRevisionHasEmptySections) {
  Migration migration = MustParse(
      "-- retort:revision m\n-- retort:revises a b\n\n-- retort:upgrade\n\n-- retort:downgrade\n");
  EXPECT_EQ(migration.parents, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(migration.upgrade.empty());
  EXPECT_TRUE(migration.downgrade.empty());
  EXPECT_TRUE(migration.has_downgrade);
}

TEST(ParseMigrationTest, AcceptsCrlfAndByteOrderMark) {
  Migration migration = MustParse(
      "\xEF\xBB\xBF-- retort:revision a\r\n-- retort:upgrade\r\nSELECT 1;\r\nSELECT 2;\r\n");
  EXPECT_EQ(migration.id, "a");
  EXPECT_EQ(Texts(migration.upgrade), (std::vector<std::string>{"SELECT 1", "SELECT 2"}));
  EXPECT_EQ(Lines(migration.upgrade), (std::vector<int>{3, 4}));
}

TEST(ParseMigrationTest, ChecksumIgnoresFormattingButNotStatements) {
  std::string base = MustParse(
                         "-- retort:revision a\n-- retort:upgrade\n"
                         "UPDATE t SET s = 'a';\n-- retort:downgrade\nUPDATE t SET s = 'b';\n")
                         .checksum;
  // Same statements, other header, layout and comments.
  EXPECT_EQ(base, MustParse("-- retort:revision a\n-- retort:message other\n\n"
                            "-- retort:upgrade\n-- why\nupdate t\n   set s='a'  ;\n\n"
                            "-- retort:downgrade\n/* back */ UPDATE t SET s = 'b'")
                      .checksum);
  EXPECT_NE(base, MustParse("-- retort:revision a\n-- retort:upgrade\n"
                            "UPDATE t SET s = 'c';\n-- retort:downgrade\nUPDATE t SET s = 'b';\n")
                      .checksum);
  EXPECT_NE(base, MustParse("-- retort:revision a\n-- retort:upgrade\n"
                            "UPDATE t SET s = 'a';\n-- retort:downgrade\nUPDATE t SET s = 'c';\n")
                      .checksum);
  // A statement moved from downgrade to upgrade is a different migration.
  EXPECT_NE(base, MustParse("-- retort:revision a\n-- retort:upgrade\n"
                            "UPDATE t SET s = 'a';\nUPDATE t SET s = 'b';\n-- retort:downgrade\n")
                      .checksum);
  EXPECT_NE(base, MustParse("-- retort:revision a\n-- retort:transaction none\n"
                            "-- retort:upgrade\nUPDATE t SET s = 'a';\n"
                            "-- retort:downgrade\nUPDATE t SET s = 'b';\n")
                      .checksum);
}

struct Malformed {
  const char* name;
  const char* text;
  const char* error;
};

class MalformedMigrationTest : public testing::TestWithParam<Malformed> {};

TEST_P(MalformedMigrationTest, ReportsTheLine) {
  EXPECT_EQ(ParseError(GetParam().text), GetParam().error);
}

// Every case names the file and the line to fix.
const Malformed kMalformed[] = {
    {"MissingRevision", "-- retort:message m\n-- retort:upgrade\nSELECT 1;\n",
     "versions/a.sql:1: missing '-- retort:revision' header"},
    {"EmptyRevision", "-- retort:message m\n-- retort:revision\n-- retort:upgrade\n",
     "versions/a.sql:2: '-- retort:revision' needs a revision id"},
    {"BadRevisionCharacters", "\n-- retort:revision abc.def\n-- retort:upgrade\n",
     "versions/a.sql:2: invalid revision id 'abc.def': use 1-32 characters of A-Z, a-z, 0-9, '_' "
     "and '-'"},
    {"RevisionTooLong", "-- retort:revision 0123456789abcdef0123456789abcdef0\n-- retort:upgrade\n",
     "versions/a.sql:1: invalid revision id '0123456789abcdef0123456789abcdef0': use 1-32 "
     "characters of A-Z, a-z, 0-9, '_' and '-'"},
    {"ReservedRevision", "-- retort:revision head\n-- retort:upgrade\n",
     "versions/a.sql:1: revision id 'head' is a reserved word"},
    {"BadParentId", "-- retort:revision a\n-- retort:revises b, c/d\n-- retort:upgrade\n",
     "versions/a.sql:2: invalid revision id 'c/d' in '-- retort:revises': use 1-32 characters of "
     "A-Z, a-z, 0-9, '_' and '-'"},
    {"NoneMixedWithParents", "-- retort:revision a\n-- retort:revises none, b\n-- retort:upgrade\n",
     "versions/a.sql:2: 'none' in '-- retort:revises' cannot be combined with revision ids"},
    {"ParentTwice", "-- retort:revision a\n-- retort:revises b, b\n-- retort:upgrade\n",
     "versions/a.sql:2: revision 'b' is listed twice in '-- retort:revises'"},
    {"RevisesItself", "-- retort:revision a\n\n-- retort:revises a\n-- retort:upgrade\n",
     "versions/a.sql:3: revision 'a' revises itself"},
    {"DuplicateRevision",
     "-- retort:revision a\n-- retort:message m\n-- retort:revision b\n"
     "-- retort:upgrade\n",
     "versions/a.sql:3: duplicate '-- retort:revision' (first on line 1)"},
    {"DuplicateRevises",
     "-- retort:revision a\n-- retort:revises b\n-- retort:revises c\n-- retort:upgrade\n",
     "versions/a.sql:3: duplicate '-- retort:revises' (first on line 2)"},
    {"UnknownHeaderDirective", "-- retort:revision a\n-- retort:author me\n-- retort:upgrade\n",
     "versions/a.sql:2: unknown directive 'retort:author'"},
    {"UnknownSectionDirective",
     "-- retort:revision a\n-- retort:upgrade\nSELECT 1;\n  -- retort:chunk size=1000\nSELECT 2;\n",
     "versions/a.sql:4: unknown directive 'retort:chunk'"},
    {"MissingDirectiveName", "-- retort:revision a\n-- retort: upgrade\n-- retort:upgrade\n",
     "versions/a.sql:2: missing directive name after 'retort:'"},
    {"HeaderDirectiveInSection",
     "-- retort:revision a\n-- retort:upgrade\nSELECT 1;\n-- retort:message late\n",
     "versions/a.sql:4: '-- retort:message' belongs in the header, before '-- retort:upgrade'"},
    {"SqlBeforeSection", "-- retort:revision a\n-- note\nCREATE TABLE t ();\n-- retort:upgrade\n",
     "versions/a.sql:3: SQL before '-- retort:upgrade'; statements belong in a section"},
    {"UnterminatedCommentInHeader", "-- retort:revision a\n/* oops\n-- retort:upgrade\nSELECT 1;\n",
     "versions/a.sql:2: unterminated /* comment at or near \"/* oops...\""},
    {"MissingUpgrade", "-- retort:revision a\n-- retort:message no sections\n",
     "versions/a.sql:1: missing '-- retort:upgrade' section"},
    {"TwoUpgradeSections",
     "-- retort:revision a\n-- retort:upgrade\nSELECT 1;\n-- retort:upgrade\nSELECT 2;\n",
     "versions/a.sql:4: duplicate '-- retort:upgrade' section (first on line 2)"},
    {"TwoDowngradeSections",
     "-- retort:revision a\n-- retort:upgrade\n-- retort:downgrade\n\n-- retort:downgrade\n",
     "versions/a.sql:5: duplicate '-- retort:downgrade' section (first on line 3)"},
    {"DowngradeBeforeUpgrade",
     "-- retort:revision a\n\n-- retort:downgrade\nDROP TABLE t;\n-- retort:upgrade\n"
     "CREATE TABLE t ();\n",
     "versions/a.sql:3: '-- retort:downgrade' must come after '-- retort:upgrade'"},
    {"SectionMarkerWithValue", "-- retort:revision a\n-- retort:upgrade now\n",
     "versions/a.sql:2: '-- retort:upgrade' takes no value (found 'now')"},
    {"BadTransactionValue", "-- retort:revision a\n-- retort:transaction off\n-- retort:upgrade\n",
     "versions/a.sql:2: invalid value 'off' for '-- retort:transaction': the only value is 'none' "
     "(leave the line out for a transaction)"},
    {"BranchLabelWithAt",
     "-- retort:revision a\n-- retort:branch-labels docs@head\n"
     "-- retort:upgrade\n",
     "versions/a.sql:2: branch label 'docs@head' must not contain '@'"},
    {"BranchLabelBadCharacter",
     "-- retort:revision a\n-- retort:branch-labels ok, no.dots\n-- retort:upgrade\n",
     "versions/a.sql:2: invalid branch label 'no.dots': use A-Z, a-z, 0-9, '_' and '-'"},
    {"BadDependsOn", "-- retort:revision a\n-- retort:depends-on b, c:d\n-- retort:upgrade\n",
     "versions/a.sql:2: invalid revision id 'c:d' in '-- retort:depends-on': use 1-32 characters "
     "of A-Z, a-z, 0-9, '_' and '-'"},
    {"SyntaxErrorInUpgrade",
     "-- retort:revision a\n-- retort:upgrade\nCREATE TABLE t (id int);\n\nALTER TABLE t ADD "
     "COLUMN;\n-- retort:downgrade\nDROP TABLE t;\n",
     "versions/a.sql:5: syntax error at or near \";\""},
    {"SyntaxErrorInDowngrade",
     "-- retort:revision a\n-- retort:message m\n\n-- retort:upgrade\nCREATE TABLE t (id int);\n"
     "\n-- retort:downgrade\n-- undo\n\nDROP TABLE t;\nDROPP INDEX ix;\n",
     "versions/a.sql:11: syntax error at or near \"DROPP\""},
};

std::string CaseName(const testing::TestParamInfo<Malformed>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(AllCases, MalformedMigrationTest, testing::ValuesIn(kMalformed), CaseName);

TEST(ParseMigrationTest, RejectsNulByte) {
  std::string text("-- retort:revision a\n-- retort:upgrade\nSELECT 1;\0\n", 50);
  EXPECT_EQ(ParseError(text),
            "versions/a.sql:3: NUL byte (column 10); the file must be UTF-8 text");
}

TEST(ParseMigrationTest, ReportsEveryIndependentErrorInLineOrder) {
  EXPECT_EQ(ParseError("-- retort:revision a!\n"
                       "-- retort:frobnicate\n"
                       "-- retort:upgrade\n"
                       "SELEC 1;\n"
                       "-- retort:downgrade\n"
                       "-- retort:revises b\n"),
            "versions/a.sql:1: invalid revision id 'a!': use 1-32 characters of A-Z, a-z, 0-9, "
            "'_' and '-'\n"
            "versions/a.sql:2: unknown directive 'retort:frobnicate'\n"
            "versions/a.sql:4: syntax error at or near \"SELEC\"\n"
            "versions/a.sql:6: '-- retort:revises' belongs in the header, before '-- "
            "retort:upgrade'");
}

TEST(ParseMigrationTest, DirectiveLikeTextInsideCommentsIsOnlyADirectiveAtLineStart) {
  Migration migration = MustParse(
      "-- retort:revision a\n"
      "-- see retort:upgrade below\n"
      "-- retort:upgrade\n"
      "SELECT '-- retort:nothing'; -- retort:nothing either\n");
  EXPECT_EQ(Texts(migration.upgrade), (std::vector<std::string>{"SELECT '-- retort:nothing'"}));
}

TEST(IdValidationTest, RevisionIdsAndBranchLabels) {
  EXPECT_TRUE(IsValidRevisionId("3f2a9c1b7d4e"));
  EXPECT_TRUE(IsValidRevisionId("ae1027a6acf_with-dash"));
  EXPECT_TRUE(IsValidRevisionId(std::string(32, 'a')));
  EXPECT_FALSE(IsValidRevisionId(std::string(33, 'a')));
  EXPECT_FALSE(IsValidRevisionId(""));
  EXPECT_FALSE(IsValidRevisionId("a b"));
  EXPECT_TRUE(IsValidBranchLabel(std::string(40, 'l')));
  EXPECT_FALSE(IsValidBranchLabel("x@y"));
  EXPECT_FALSE(IsValidBranchLabel(""));
}

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "retort-migrations-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(LoadDirectoryTest, ParsesSqlFilesInNameOrderAndSkipsOthers) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(JoinPath(dir.path(), "2_b.sql"),
                        "-- retort:revision b\n-- retort:revises a\n-- retort:upgrade\n")
                  .ok());
  ASSERT_TRUE(
      WriteFile(JoinPath(dir.path(), "1_a.sql"), "-- retort:revision a\n-- retort:upgrade\n").ok());
  ASSERT_TRUE(WriteFile(JoinPath(dir.path(), ".#1_a.sql"), "garbage").ok());
  ASSERT_TRUE(WriteFile(JoinPath(dir.path(), "notes.txt"), "garbage").ok());
  ASSERT_TRUE(WriteFile(JoinPath(dir.path(), "1_a.sql~"), "garbage").ok());
  Result<std::vector<Migration>> migrations = LoadDirectory(dir.path());
  ASSERT_TRUE(migrations.ok()) << migrations.status().message();
  ASSERT_EQ(migrations->size(), 2u);
  EXPECT_EQ((*migrations)[0].id, "a");
  EXPECT_EQ((*migrations)[0].path, JoinPath(dir.path(), "1_a.sql"));
  EXPECT_EQ((*migrations)[1].id, "b");
}

TEST(LoadDirectoryTest, CollectsTheErrorsOfEveryFile) {
  TempDir dir;
  std::string good = JoinPath(dir.path(), "1_good.sql");
  std::string bad_header = JoinPath(dir.path(), "2_bad.sql");
  std::string bad_sql = JoinPath(dir.path(), "3_bad.sql");
  ASSERT_TRUE(WriteFile(good, "-- retort:revision a\n-- retort:upgrade\n").ok());
  ASSERT_TRUE(
      WriteFile(bad_header, "-- retort:revision b\n-- retort:bogus\n-- retort:upgrade\n").ok());
  ASSERT_TRUE(WriteFile(bad_sql, "-- retort:revision c\n-- retort:upgrade\nSELEC 1;\n").ok());
  Result<std::vector<Migration>> migrations = LoadDirectory(dir.path());
  ASSERT_FALSE(migrations.ok());
  EXPECT_EQ(migrations.status().code(), Code::kInvalidInput);
  EXPECT_EQ(migrations.status().message(), bad_header + ":2: unknown directive 'retort:bogus'\n" +
                                               bad_sql + ":3: syntax error at or near \"SELEC\"");
}

TEST(LoadDirectoryTest, MissingDirectoryIsNamed) {
  TempDir dir;
  std::string missing = JoinPath(dir.path(), "versions");
  Result<std::vector<Migration>> migrations = LoadDirectory(missing);
  ASSERT_FALSE(migrations.ok());
  EXPECT_EQ(migrations.status().code(), Code::kInvalidInput);
  EXPECT_EQ(migrations.status().message(), missing + ": versions directory does not exist");
}

constexpr std::time_t kFixedTime = 1795258225;  // 2026-11-21 10:50:25 UTC

TEST(RenderRevisionFileTest, RoundTripsThroughTheParser) {
  NewRevision revision;
  revision.id = "3f2a9c1b7d4e";
  revision.parents = {"1a2b3c4d5e6f", "abc"};
  revision.message = "add chunk\npartitions  ${upgrade}";
  revision.created = kFixedTime;
  revision.branch_labels = {"docs", "v2"};
  revision.depends_on = {"9c0ffee00000"};
  revision.transactional = false;
  revision.upgrade_sql = "\n\nCREATE TABLE chunks (id int);\nCREATE INDEX ON chunks (id);\n\n";
  revision.downgrade_sql = "DROP TABLE chunks;";
  std::string text = RenderRevisionFile(revision, DefaultTemplate());
  EXPECT_EQ(text,
            "-- retort:revision      3f2a9c1b7d4e\n"
            "-- retort:revises       1a2b3c4d5e6f, abc\n"
            "-- retort:message       add chunk partitions ${upgrade}\n"
            "-- retort:created       2026-11-21 10:50:25+00\n"
            "-- retort:branch-labels docs, v2\n"
            "-- retort:depends-on    9c0ffee00000\n"
            "-- retort:transaction   none\n"
            "\n"
            "-- retort:upgrade\n"
            "CREATE TABLE chunks (id int);\n"
            "CREATE INDEX ON chunks (id);\n"
            "\n"
            "-- retort:downgrade\n"
            "DROP TABLE chunks;\n");

  Migration parsed = MustParse(text);
  EXPECT_EQ(parsed.id, revision.id);
  EXPECT_EQ(parsed.parents, revision.parents);
  EXPECT_EQ(parsed.message, "add chunk partitions ${upgrade}");
  EXPECT_EQ(parsed.created, "2026-11-21 10:50:25+00");
  EXPECT_EQ(parsed.branch_labels, revision.branch_labels);
  EXPECT_EQ(parsed.depends_on, revision.depends_on);
  EXPECT_FALSE(parsed.transactional);
  EXPECT_EQ(Texts(parsed.upgrade), (std::vector<std::string>{"CREATE TABLE chunks (id int)",
                                                             "CREATE INDEX ON chunks (id)"}));
  EXPECT_EQ(Texts(parsed.downgrade), (std::vector<std::string>{"DROP TABLE chunks"}));
}

TEST(RenderRevisionFileTest, OmitsOptionalHeaderLinesWhenEmpty) {
  NewRevision revision;
  revision.id = "a1";
  revision.created = kFixedTime;
  std::string text = RenderRevisionFile(revision, DefaultTemplate());
  EXPECT_EQ(text,
            "-- retort:revision      a1\n"
            "-- retort:revises       none\n"
            "-- retort:message\n"
            "-- retort:created       2026-11-21 10:50:25+00\n"
            "\n"
            "-- retort:upgrade\n"
            "\n"
            "\n"
            "-- retort:downgrade\n"
            "\n");
  Migration parsed = MustParse(text);
  EXPECT_EQ(parsed.id, "a1");
  EXPECT_TRUE(parsed.parents.empty());
  EXPECT_TRUE(parsed.branch_labels.empty());
  EXPECT_TRUE(parsed.depends_on.empty());
  EXPECT_TRUE(parsed.transactional);
  EXPECT_TRUE(parsed.upgrade.empty());
  EXPECT_TRUE(parsed.has_downgrade);
}

TEST(RenderRevisionFileTest, CustomTemplateKeepsUnknownPlaceholders) {
  NewRevision revision;
  revision.id = "a1";
  revision.message = "m";
  EXPECT_EQ(RenderRevisionFile(revision, "-- ${revision} ${author} ${message}\n${depends_on}\nend"),
            "-- a1 ${author} m\nend");
}

TEST(MakeFileNameTest, DefaultTemplateAtAFixedTime) {
  EXPECT_EQ(MakeFileName("{year}{month}{day}_{hour}{minute}-{rev}_{slug}", "3f2a9c1b7d4e",
                         "Add chunk partitions!", kFixedTime),
            "20261121_1050-3f2a9c1b7d4e_add_chunk_partitions.sql");
}

TEST(MakeFileNameTest, EmptySlugLeavesNoTrailingSeparator) {
  EXPECT_EQ(MakeFileName("{year}{month}{day}_{hour}{minute}-{rev}_{slug}", "abc", "", kFixedTime),
            "20261121_1050-abc.sql");
  EXPECT_EQ(MakeFileName("{rev}_{slug}", "abc", "!!!", kFixedTime), "abc.sql");
}

TEST(MakeFileNameTest, SecondsZeroPaddingAndUnknownPlaceholders) {
  std::time_t early = 1767229505;  // 2026-01-01 01:05:05 UTC
  EXPECT_EQ(
      MakeFileName("{year}-{month}-{day}T{hour}{minute}{second}_{rev}_{other}", "x", "m", early),
      "2026-01-01T010505_x_{other}.sql");
}

TEST(NewRevisionIdTest, TwelveLowercaseHexDigitsThatDiffer) {
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    std::string id = NewRevisionId();
    EXPECT_EQ(id.size(), 12u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    EXPECT_TRUE(IsValidRevisionId(id));
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 50u);
}

// ---- the header cache (header_cache.h)

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A clock far enough ahead that every file written by the test counts as settled.
int64_t Later() { return NowNs() + 3600 * int64_t{1'000'000'000}; }

// Rewrites the file in place (same inode), as an editor that does not rename would.
void OverwriteInPlace(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

constexpr char kA[] = "-- retort:revision a\n-- retort:message first\n-- retort:upgrade\n";
constexpr char kB[] =
    "-- retort:revision b\n-- retort:revises a\n-- retort:branch-labels x, y\n"
    "-- retort:transaction none\n-- retort:upgrade\nSELECT 1;\n-- retort:downgrade\n";

class HeaderCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    versions_ = JoinPath(dir_.path(), "versions");
    cache_ = JoinPath(JoinPath(dir_.path(), ".retort"), kHeaderCacheFileName);
    ASSERT_TRUE(MakeDirectories(versions_).ok());
    ASSERT_TRUE(WriteFile(JoinPath(versions_, "1_a.sql"), kA).ok());
    ASSERT_TRUE(WriteFile(JoinPath(versions_, "2_b.sql"), kB).ok());
  }

  std::vector<MigrationHeader> Load(int64_t now_ns) {
    auto loaded = LoadHeadersCached(versions_, cache_, now_ns);
    EXPECT_TRUE(loaded.ok()) << loaded.status().message();
    return loaded.ok() ? *loaded : std::vector<MigrationHeader>{};
  }

  TempDir dir_;
  std::string versions_;
  std::string cache_;
};

TEST_F(HeaderCacheTest, SettledFilesComeFromTheCacheUnread) {
  std::vector<MigrationHeader> first = Load(Later());
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].source, kA);  // read: there was no cache
  ASSERT_TRUE(PathExists(cache_));

  std::vector<MigrationHeader> second = Load(Later());
  ASSERT_EQ(second.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_TRUE(second[i].source.empty()) << "not from the cache: " << second[i].path;
    EXPECT_EQ(second[i].id, first[i].id);
    EXPECT_EQ(second[i].path, first[i].path);
    EXPECT_EQ(second[i].parents, first[i].parents);
    EXPECT_EQ(second[i].message, first[i].message);
    EXPECT_EQ(second[i].branch_labels, first[i].branch_labels);
    EXPECT_EQ(second[i].transactional, first[i].transactional);
    EXPECT_EQ(second[i].has_downgrade, first[i].has_downgrade);
    EXPECT_EQ(second[i].revision_line, first[i].revision_line);
    EXPECT_EQ(second[i].source_sha256, first[i].source_sha256);
    // The text is still there for whoever needs it.
    auto text = SourceText(second[i]);
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(*text, first[i].source);
  }
  EXPECT_FALSE(second[1].transactional);
  EXPECT_EQ(second[1].branch_labels, (std::vector<std::string>{"x", "y"}));
}

TEST_F(HeaderCacheTest, AFileReplacedSinceItWasCachedIsReadAgain) {
  Load(Later());
  // Same size; a new inode (written to a temporary file and renamed, as WriteFile does).
  std::string edited = kA;
  edited.replace(edited.find("first"), 5, "fresh");
  ASSERT_TRUE(WriteFile(JoinPath(versions_, "1_a.sql"), edited).ok());
  std::vector<MigrationHeader> loaded = Load(Later());
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0].message, "fresh");
  EXPECT_EQ(loaded[0].source, edited);
  EXPECT_TRUE(loaded[1].source.empty());  // b still from the cache
}

TEST_F(HeaderCacheTest, AFileEditedInPlaceWithinTheSameTimestampIsReadAgain) {
  // The real clock: the files were just written, so they have not settled and are not cached;
  // an edit in the same clock tick, of the same size, with the mtime put back, cannot be missed.
  std::string path = JoinPath(versions_, "1_a.sql");
  struct stat before {};
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  std::vector<MigrationHeader> first = Load(0);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].message, "first");

  std::string edited = kA;
  edited.replace(edited.find("first"), 5, "fresh");
  OverwriteInPlace(path, edited);
  struct timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  struct stat after {};
  ASSERT_EQ(::stat(path.c_str(), &after), 0);
  ASSERT_EQ(after.st_size, before.st_size);
  ASSERT_EQ(after.st_ino, before.st_ino);

  std::vector<MigrationHeader> second = Load(0);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].message, "fresh");
}

TEST_F(HeaderCacheTest, ACorruptCacheIsIgnoredAndRewritten) {
  ASSERT_TRUE(MakeDirectories(DirName(cache_)).ok());
  ASSERT_TRUE(WriteFile(cache_, "retort migration header cache 1 dev\n7 8 garbage").ok());
  std::vector<MigrationHeader> first = Load(Later());
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[1].id, "b");
  EXPECT_EQ(first[1].source, kB);
  std::vector<MigrationHeader> second = Load(Later());
  ASSERT_EQ(second.size(), 2u);
  EXPECT_TRUE(second[1].source.empty()) << "the corrupt cache was not rewritten";
}

TEST_F(HeaderCacheTest, AForeignOrTruncatedCacheReadsAsEmpty) {
  Load(Later());
  auto text = ReadFile(cache_);
  ASSERT_TRUE(text.ok());
  ASSERT_EQ(ParseHeaderCache(*text).size(), 2u);
  // Another format version or build.
  std::string foreign = *text;
  foreign.replace(foreign.find(" cache 1 "), 9, " cache 0 ");
  EXPECT_TRUE(ParseHeaderCache(foreign).empty());
  // Cut anywhere inside an entry (a cut between entries leaves a consistent, shorter cache).
  for (size_t cut = text->find('\n') + 2; cut < text->size(); ++cut) {
    if ((*text)[cut - 1] == '\n') continue;
    EXPECT_TRUE(ParseHeaderCache(text->substr(0, cut)).empty()) << "cut at " << cut;
  }
}

TEST_F(HeaderCacheTest, ARemovedFileLeavesTheCache) {
  Load(Later());
  ASSERT_TRUE(std::filesystem::remove(JoinPath(versions_, "2_b.sql")));
  std::vector<MigrationHeader> loaded = Load(Later());
  ASSERT_EQ(loaded.size(), 1u);
  auto text = ReadFile(cache_);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(ParseHeaderCache(*text).size(), 1u);
}

TEST_F(HeaderCacheTest, ErrorsAreLoadDirectorysAndNothingIsCachedOfThem) {
  ASSERT_TRUE(WriteFile(JoinPath(versions_, "3_bad.sql"),
                        "-- retort:revision c\n-- retort:bogus\n-- retort:upgrade\n")
                  .ok());
  auto loaded = LoadHeadersCached(versions_, cache_, Later());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Code::kInvalidInput);
  EXPECT_EQ(loaded.status().message(), LoadHeaders(versions_).status().message());
}

}  // namespace
}  // namespace retort::migrations
