#include "sqltext/split.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace retort::sqltext {
namespace {

std::vector<std::string> Texts(const std::vector<Statement>& statements) {
  std::vector<std::string> texts;
  for (const Statement& statement : statements) texts.push_back(statement.text);
  return texts;
}

std::vector<int> Lines(const std::vector<Statement>& statements) {
  std::vector<int> lines;
  for (const Statement& statement : statements) lines.push_back(statement.line);
  return lines;
}

std::vector<Statement> MustSplit(std::string_view sql, int first_line = 1) {
  Result<std::vector<Statement>> statements = SplitStatements(sql, "f.sql", first_line);
  EXPECT_TRUE(statements.ok()) << statements.status().message();
  return statements.ok() ? *statements : std::vector<Statement>{};
}

std::string SplitError(std::string_view sql, int first_line = 1) {
  Result<std::vector<Statement>> statements = SplitStatements(sql, "f.sql", first_line);
  EXPECT_FALSE(statements.ok());
  EXPECT_EQ(statements.status().code(), Code::kInvalidInput);
  return statements.status().message();
}

std::string MustFingerprint(std::string_view sql) {
  Result<std::string> fingerprint = Fingerprint(sql);
  EXPECT_TRUE(fingerprint.ok()) << fingerprint.status().message();
  return fingerprint.ok() ? *fingerprint : "";
}

TEST(SplitStatementsTest, PlainStatementsLoseSemicolonsAndSurroundingSpace) {
  auto statements = MustSplit("CREATE TABLE a (id int);\n\n  DROP TABLE b ;\nSELECT 1");
  EXPECT_EQ(Texts(statements),
            (std::vector<std::string>{"CREATE TABLE a (id int)", "DROP TABLE b", "SELECT 1"}));
  EXPECT_EQ(Lines(statements), (std::vector<int>{1, 3, 4}));
}

TEST(SplitStatementsTest, LeadingAndTrailingCommentsAreNotPartOfTheStatement) {
  auto statements = MustSplit(
      "-- first\n"
      "/* block\n"
      "   comment */\n"
      "SELECT 1 -- trailing\n"
      ";\n"
      "-- a comment after the last statement\n"
      "SELECT 2 /* no semicolon */\n"
      "-- end\n");
  EXPECT_EQ(Texts(statements), (std::vector<std::string>{"SELECT 1", "SELECT 2"}));
  EXPECT_EQ(Lines(statements), (std::vector<int>{4, 7}));
}

TEST(SplitStatementsTest, NestedBlockCommentsAreSkipped) {
  auto statements = MustSplit("/* outer /* inner; */ still comment; */ SELECT 1;\nSELECT 2;");
  EXPECT_EQ(Texts(statements), (std::vector<std::string>{"SELECT 1", "SELECT 2"}));
  EXPECT_EQ(Lines(statements), (std::vector<int>{1, 2}));
}

TEST(SplitStatementsTest, CommentsOnlyYieldNoStatements) {
  EXPECT_TRUE(MustSplit("-- nothing here\n/* nor; here */\n\n").empty());
  EXPECT_TRUE(MustSplit("").empty());
  EXPECT_TRUE(MustSplit(";;\n;").empty());
}

TEST(SplitStatementsTest, SemicolonsInsideStringLiterals) {
  auto statements = MustSplit(
      "INSERT INTO t VALUES ('a;b', 'it''s; fine');\n"
      "SELECT E'x\\';y';\n"
      "SELECT \"odd;name\" FROM t;");
  EXPECT_EQ(Texts(statements), (std::vector<std::string>{
                                   "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
                                   "SELECT E'x\\';y'",
                                   "SELECT \"odd;name\" FROM t",
                               }));
  EXPECT_EQ(Lines(statements), (std::vector<int>{1, 2, 3}));
}

TEST(SplitStatementsTest, DollarQuotedFunctionBodiesAndDoBlocks) {
  std::string function =
      "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
      "BEGIN\n"
      "  NEW.updated_at := now();\n"
      "  RETURN NEW;\n"
      "END;\n"
      "$$";
  std::string block =
      "DO $body$\n"
      "BEGIN\n"
      "  PERFORM 1; PERFORM $$;$$;\n"
      "END\n"
      "$body$";
  auto statements = MustSplit(function + ";\n\n" + block + ";\nSELECT 3;\n");
  EXPECT_EQ(Texts(statements), (std::vector<std::string>{function, block, "SELECT 3"}));
  EXPECT_EQ(Lines(statements), (std::vector<int>{1, 8, 13}));
}

TEST(SplitStatementsTest, CreateRuleWithSeveralActionsIsOneStatement) {
  std::string rule =
      "CREATE RULE log_and_skip AS ON INSERT TO t DO INSTEAD (\n"
      "  INSERT INTO log VALUES (NEW.id);\n"
      "  DELETE FROM queue WHERE id = NEW.id\n"
      ")";
  auto statements = MustSplit(rule + ";\nSELECT 1;");
  EXPECT_EQ(Texts(statements), (std::vector<std::string>{rule, "SELECT 1"}));
  EXPECT_EQ(Lines(statements), (std::vector<int>{1, 5}));
}

TEST(SplitStatementsTest, LinesAreOffsetByFirstLine) {
  auto statements = MustSplit("\n-- c\nSELECT 1;\n\nSELECT\n  2;", 10);
  EXPECT_EQ(Lines(statements), (std::vector<int>{12, 14}));
  EXPECT_EQ(statements[1].text, "SELECT\n  2");
}

TEST(SplitStatementsTest, SyntaxErrorNamesFileAndLine) {
  EXPECT_EQ(SplitError("SELECT 1;\n\nSELEC 2;\n", 5), "f.sql:7: syntax error at or near \"SELEC\"");
  EXPECT_EQ(SplitError("SELECT 1;\nCREATE TABLE t (\n  id int,\n  ,\n);"),
            "f.sql:4: syntax error at or near \",\"");
}

TEST(SplitStatementsTest, ErrorAtEndOfInputNamesTheLastLineWritten) {
  EXPECT_EQ(SplitError("SELECT 1;\nSELECT (\n\n\n"), "f.sql:2: syntax error at end of input");
}

// pg_dump output and hand-written seed data: COPY's rows are not SQL, and the parser's error on
// them ("syntax error at or near \"1\"") would point at data, not at what to change.
TEST(SplitStatementsTest, CopyFromStdinRowsAreNamedAsSuch) {
  const std::string message =
      ": COPY ... FROM stdin is not supported in schema and migration files";
  EXPECT_EQ(SplitError("CREATE TABLE t (a int, b text);\n-- seed rows\nCOPY t (a, b) FROM "
                       "stdin;\n1\tone\n2\ttwo\n\\.\n\nCREATE INDEX ON t (a);\n")
                .rfind("f.sql:3" + message, 0),
            0u);
  // pmacct's form (options after stdin), rows that fail only on a later line, a line offset.
  EXPECT_EQ(SplitError("COPY proto FROM stdin USING DELIMITERS ',';\n0,ip\n1,icmp\n\\.\n", 10)
                .rfind("f.sql:10" + message, 0),
            0u);
  EXPECT_EQ(SplitError("COPY t FROM STDIN;\nselect\tfrom\n\\.\n").rfind("f.sql:1" + message, 0),
            0u);
  // A syntax error elsewhere stays a syntax error, and so does one after a COPY from a file.
  EXPECT_EQ(SplitError("COPY t FROM stdin;\nSELECT 1;\nSELEC 1;\n").find("COPY"),
            std::string::npos);
  EXPECT_EQ(SplitError("COPY t FROM '/tmp/rows';\n1\n").find("COPY"), std::string::npos);
}

TEST(SplitStatementsTest, ErrorPositionCountsUtf8Characters) {
  // libpg_query reports the position in characters; each "é" is two bytes.
  EXPECT_EQ(SplitError("SELECT 'éééééééééé';\nSELECT 'é'\nFROM;"),
            "f.sql:3: syntax error at or near \";\"");
}

TEST(SplitStatementsTest, UnterminatedLiteralIsALexicalError) {
  // PostgreSQL quotes the whole rest of the input; the message keeps one short line of it.
  EXPECT_EQ(SplitError("SELECT 1;\nSELECT 'oops;\nSELECT 3;\n"),
            "f.sql:2: unterminated quoted string at or near \"'oops;...\"");
  EXPECT_EQ(SplitError("SELECT 1;\n\n/* never closed\n"),
            "f.sql:3: unterminated /* comment at or near \"/* never closed...\"");
  EXPECT_EQ(SplitError("SELECT $$" + std::string(60, 'x')),
            "f.sql:1: unterminated dollar-quoted string at or near \"$$" + std::string(38, 'x') +
                "...\"");
}

TEST(SplitStatementsTest, NulByteIsRejected) {
  EXPECT_EQ(SplitError(std::string_view("SELECT 1;\nSELECT\0 2;", 19)),
            "f.sql:2: NUL byte in SQL text");
}

TEST(TokenizeTest, MarksComments) {
  std::string sql = "-- a\nSELECT /* b */ 1";
  Result<std::vector<Token>> tokens = Tokenize(sql, "f.sql", 1);
  ASSERT_TRUE(tokens.ok()) << tokens.status().message();
  std::vector<std::string> texts;
  std::vector<bool> comments;
  for (const Token& token : *tokens) {
    texts.push_back(sql.substr(token.begin, token.end - token.begin));
    comments.push_back(token.is_comment);
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"-- a", "SELECT", "/* b */", "1"}));
  EXPECT_EQ(comments, (std::vector<bool>{true, false, true, false}));
}

TEST(FingerprintTest, IgnoresWhitespaceCommentsAndKeywordCase) {
  std::string base = MustFingerprint("CREATE TABLE t (id int PRIMARY KEY, name text DEFAULT 'x')");
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(base, MustFingerprint("create   table t(\n  -- the key\n  id INT primary key,\n"
                                  "  name /* label */ TEXT default 'x'\n)"));
  EXPECT_EQ(base, MustFingerprint("CREATE TABLE T (ID int PRIMARY KEY, NAME text DEFAULT 'x');"));
}

TEST(FingerprintTest, ChangesWithLiteralsAndIdentifiers) {
  std::string base = MustFingerprint("UPDATE t SET status = 'a' WHERE id = 1");
  EXPECT_NE(base, MustFingerprint("UPDATE t SET status = 'b' WHERE id = 1"));
  EXPECT_NE(base, MustFingerprint("UPDATE t SET status = 'a' WHERE id = 2"));
  EXPECT_NE(base, MustFingerprint("UPDATE t SET state = 'a' WHERE id = 1"));
  EXPECT_NE(base, MustFingerprint("UPDATE u SET status = 'a' WHERE id = 1"));
  EXPECT_NE(base, MustFingerprint("UPDATE t SET status = 'a' WHERE id > 1"));
  // A quoted identifier keeps its case, so it is another name.
  EXPECT_NE(MustFingerprint("SELECT * FROM t"), MustFingerprint("SELECT * FROM \"T\""));
}

TEST(FingerprintTest, FunctionBodiesAreLiterals) {
  EXPECT_NE(MustFingerprint("DO $$ BEGIN PERFORM 1; END $$"),
            MustFingerprint("DO $$ BEGIN PERFORM 2; END $$"));
}

TEST(FingerprintTest, RejectsInvalidSql) {
  Result<std::string> fingerprint = Fingerprint("SELEC 1");
  ASSERT_FALSE(fingerprint.ok());
  EXPECT_EQ(fingerprint.status().code(), Code::kInvalidInput);
}

TEST(SectionMarker, NamesTheSectionAMarkerLineOpens) {
  EXPECT_EQ(SectionMarker("-- retort:upgrade"), "upgrade");
  EXPECT_EQ(SectionMarker("  --retort:downgrade \t"), "downgrade");
  EXPECT_EQ(SectionMarker("--   retort:upgrade\r"), "upgrade");
  EXPECT_EQ(SectionMarker(""), std::nullopt);
  EXPECT_EQ(SectionMarker("   "), std::nullopt);
  EXPECT_EQ(SectionMarker("--"), std::nullopt);
  EXPECT_EQ(SectionMarker("-- retort:revision abc"), std::nullopt);
  EXPECT_EQ(SectionMarker("-- retort: upgrade"), std::nullopt);
  EXPECT_EQ(SectionMarker("-- retort:upgrades"), std::nullopt);
  EXPECT_EQ(SectionMarker("-- retort:upgrade now"), std::nullopt);
  EXPECT_EQ(SectionMarker("SELECT 1; -- retort:upgrade"), std::nullopt);
}

}  // namespace
}  // namespace retort::sqltext
