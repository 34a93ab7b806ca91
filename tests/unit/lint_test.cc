// src/lint: every rule fires on a hazard and stays quiet on its safe counterpart; suppression
// comments, disabled rules, grading by table size, and the text and JSON output.
#include "lint/lint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "base/strings.h"
#include "commands/commands.h"
#include "config/config.h"
#include "lint/probe.h"
#include "migrations/migration.h"

namespace retort::lint {
namespace {

std::vector<Finding> LintText(const std::string& sql, bool transactional = true,
                              bool lock_timeout_configured = true) {
  Options options;
  options.lock_timeout_configured = lock_timeout_configured;
  auto findings = LintSql(sql, "m.sql", 1, transactional, options);
  EXPECT_TRUE(findings.ok()) << findings.status().message();
  return findings.ok() ? *findings : std::vector<Finding>{};
}

std::vector<std::string> RulesOf(const std::vector<Finding>& findings) {
  std::vector<std::string> rules;
  for (const Finding& finding : findings) rules.push_back(finding.rule);
  return rules;
}

bool Has(const std::vector<Finding>& findings, const std::string& rule) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& finding) { return finding.rule == rule; });
}

const Finding* Find(const std::vector<Finding>& findings, const std::string& rule) {
  for (const Finding& finding : findings) {
    if (finding.rule == rule) return &finding;
  }
  return nullptr;
}

std::string Printed(const std::vector<std::string>& rules) {
  std::string text;
  for (const std::string& rule : rules) text += rule + " ";
  return text;
}

// ---- every rule: a hazard and its safe counterpart

struct RuleCase {
  std::string rule;
  std::string hazard;
  std::string safe;
  bool transactional = true;
  bool lock_timeout_configured = true;
};

std::string LongName(size_t length) { return std::string(length, 'n'); }

const std::vector<RuleCase>& RuleCases() {
  static const std::vector<RuleCase> kCases = {
      // data loss
      {"drop-table", "DROP TABLE users", "CREATE TABLE tmp (a int); DROP TABLE tmp"},
      {"drop-table", "DROP TABLE IF EXISTS app.users", "CREATE TABLE app.t (a int); DROP TABLE t"},
      {"drop-column", "ALTER TABLE users DROP COLUMN email",
       "ALTER TABLE users ADD COLUMN email2 text"},
      {"drop-column", "ALTER TABLE users DROP COLUMN email",
       "CREATE TABLE users (id int, email text); ALTER TABLE users DROP COLUMN email"},
      {"drop-schema", "DROP SCHEMA legacy CASCADE", "CREATE SCHEMA tmp; DROP SCHEMA tmp"},
      {"drop-sequence", "DROP SEQUENCE users_id_seq", "CREATE SEQUENCE s; DROP SEQUENCE s"},
      {"drop-database", "DROP DATABASE app", "ALTER DATABASE app SET search_path = public"},
      {"drop-cascade", "DROP TYPE mood CASCADE", "DROP TYPE mood"},
      {"truncate-table", "TRUNCATE users", "CREATE TABLE t (a int); TRUNCATE t"},
      {"delete-without-where", "DELETE FROM users", "DELETE FROM users WHERE id = 1"},
      {"update-without-where", "UPDATE users SET n = 0", "UPDATE users SET n = 0 WHERE n IS NULL"},
      // client-breaking
      {"renaming-table", "ALTER TABLE users RENAME TO people",
       "CREATE VIEW people AS SELECT * FROM users"},
      {"renaming-column", "ALTER TABLE users RENAME COLUMN email TO mail",
       "ALTER TABLE users ADD COLUMN mail text"},
      {"dropping-not-null", "ALTER TABLE users ALTER COLUMN email DROP NOT NULL",
       "ALTER TABLE users ALTER COLUMN email SET DEFAULT ''"},
      {"adding-required-field", "ALTER TABLE users ADD COLUMN age int NOT NULL",
       "ALTER TABLE users ADD COLUMN age int NOT NULL DEFAULT 0"},
      // data-dependent
      {"adding-unique-constraint",
       "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)",
       "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx"},
      {"adding-unique-constraint", "ALTER TABLE users ADD PRIMARY KEY (id)",
       "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx"},
      {"adding-unique-index", "CREATE UNIQUE INDEX CONCURRENTLY users_email ON users (email)",
       "CREATE INDEX CONCURRENTLY users_email ON users (email)", false},
      {"setting-not-null", "ALTER TABLE users ALTER COLUMN email SET NOT NULL",
       "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID"},
      // locks and rewrites
      {"require-concurrent-index-creation", "CREATE INDEX users_email ON users (email)",
       "CREATE TABLE t (a int); CREATE INDEX t_a ON t (a)"},
      {"require-concurrent-index-creation", "CREATE INDEX ON users (lower(email))",
       "CREATE INDEX CONCURRENTLY ON users (lower(email))", false},
      {"require-concurrent-index-deletion", "DROP INDEX users_email",
       "DROP INDEX CONCURRENTLY users_email", false},
      {"constraint-missing-not-valid",
       "ALTER TABLE users ADD CONSTRAINT age_positive CHECK (age > 0)",
       "ALTER TABLE users ADD CONSTRAINT age_positive CHECK (age > 0) NOT VALID"},
      {"adding-foreign-key-constraint",
       "ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users",
       "ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users "
       "NOT VALID"},
      {"adding-foreign-key-constraint",
       "ALTER TABLE orders ADD COLUMN user_id int REFERENCES users (id)",
       "CREATE TABLE orders (id int, user_id int REFERENCES users (id))"},
      {"volatile-default", "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()",
       "ALTER TABLE users ADD COLUMN created timestamptz DEFAULT now()"},
      {"volatile-default", "ALTER TABLE users ADD COLUMN at timestamptz DEFAULT clock_timestamp()",
       "ALTER TABLE users ADD COLUMN at timestamptz DEFAULT CURRENT_TIMESTAMP"},
      {"volatile-default", "ALTER TABLE users ADD COLUMN num bigint GENERATED ALWAYS AS IDENTITY",
       "ALTER TABLE users ADD COLUMN num bigint DEFAULT 0"},
      {"volatile-default", "ALTER TABLE users ADD COLUMN code text DEFAULT app.new_code()",
       "ALTER TABLE users ADD COLUMN code text DEFAULT lower('X')"},
      {"changing-column-type", "ALTER TABLE users ALTER COLUMN id TYPE bigint",
       "ALTER TABLE users ALTER COLUMN id SET STATISTICS 500"},
      {"adding-generated-column",
       "ALTER TABLE users ADD COLUMN email_lower text GENERATED ALWAYS AS (lower(email)) STORED",
       "CREATE TABLE t (a text, b text GENERATED ALWAYS AS (lower(a)) STORED)"},
      {"vacuum-full", "VACUUM FULL users", "VACUUM users", false},
      {"cluster", "CLUSTER users USING users_pkey", "ALTER TABLE users CLUSTER ON users_pkey"},
      {"set-tablespace", "ALTER TABLE users SET TABLESPACE fast",
       "ALTER TABLE users SET (fillfactor = 80)"},
      {"changing-table-persistence", "ALTER TABLE users SET UNLOGGED",
       "CREATE UNLOGGED TABLE cache (k text)"},
      {"reindex-without-concurrently", "REINDEX TABLE users", "REINDEX TABLE CONCURRENTLY users",
       false},
      {"refresh-materialized-view", "REFRESH MATERIALIZED VIEW stats",
       "REFRESH MATERIALIZED VIEW CONCURRENTLY stats"},
      // hygiene
      {"cannot-run-in-transaction", "CREATE INDEX CONCURRENTLY users_email ON users (email)",
       "CREATE INDEX users_email ON users (email)"},
      {"cannot-run-in-transaction", "VACUUM users", "ANALYZE users"},
      {"transaction-nesting", "BEGIN; ALTER TABLE users ADD COLUMN a int; COMMIT",
       "ALTER TABLE users ADD COLUMN a int"},
      {"missing-lock-timeout", "ALTER TABLE users ADD COLUMN a int",
       "SET lock_timeout = '2s'; ALTER TABLE users ADD COLUMN a int", true, false},
      {"missing-lock-timeout", "SET lock_timeout = 0; ALTER TABLE users ADD COLUMN a int",
       "ALTER TABLE users ADD COLUMN a int", true, true},
      {"missing-lock-timeout", "CREATE INDEX users_a ON users (a)",
       "CREATE TABLE t (a int); CREATE INDEX t_a ON t (a)", true, false},
      {"enum-value-without-position", "ALTER TYPE mood ADD VALUE 'meh'",
       "ALTER TYPE mood ADD VALUE 'meh' AFTER 'ok'"},
      {"identifier-too-long", "CREATE TABLE " + LongName(64) + " (a int)",
       "CREATE TABLE " + LongName(63) + " (a int)"},
      {"identifier-too-long", "ALTER TABLE users ADD COLUMN \"" + LongName(70) + "\" int",
       "COMMENT ON TABLE users IS '" + LongName(70) + "'"},
      {"prefer-identity", "CREATE TABLE t (id bigserial PRIMARY KEY)",
       "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY)"},
      {"prefer-timestamptz", "CREATE TABLE t (at timestamp)", "CREATE TABLE t (at timestamptz)"},
      {"prefer-timestamptz", "ALTER TABLE users ALTER COLUMN at TYPE timestamp",
       "ALTER TABLE users ALTER COLUMN at TYPE timestamptz"},
      {"prefer-text-field", "CREATE TABLE t (name varchar(50))", "CREATE TABLE t (name varchar)"},
      {"prefer-text-field", "CREATE TABLE t (code char(3))", "CREATE TABLE t (code text)"},
      {"do-block-not-analysed", "DO $$ BEGIN PERFORM 1; END $$",
       "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$"},
  };
  return kCases;
}

void PrintTo(const RuleCase& test, std::ostream* out) { *out << test.rule << ": " << test.hazard; }

class RuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(RuleTest, FiresOnTheHazard) {
  const RuleCase& test = GetParam();
  std::vector<Finding> findings =
      LintText(test.hazard, test.transactional, test.lock_timeout_configured);
  EXPECT_TRUE(Has(findings, test.rule)) << test.hazard << "\nfound: " << Printed(RulesOf(findings));
}

TEST_P(RuleTest, QuietOnTheSafeCounterpart) {
  const RuleCase& test = GetParam();
  std::vector<Finding> findings =
      LintText(test.safe, test.transactional, test.lock_timeout_configured);
  EXPECT_FALSE(Has(findings, test.rule)) << test.safe << "\nfound: " << Printed(RulesOf(findings));
}

std::string CaseName(const ::testing::TestParamInfo<RuleCase>& info) {
  std::string name = info.param.rule + "_" + std::to_string(info.index);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Rules, RuleTest, ::testing::ValuesIn(RuleCases()), CaseName);

TEST(LintRules, EveryRuleHasACase) {
  std::set<std::string> covered;
  for (const RuleCase& test : RuleCases()) covered.insert(test.rule);
  covered.insert("invalid-lint-ignore");  // LintSuppression below
  covered.insert("naming-convention");    // naming_test.cc
  for (const Rule& rule : Rules()) {
    EXPECT_TRUE(covered.contains(std::string(rule.name))) << rule.name << " has no test case";
  }
}

TEST(LintRules, CodesAndNamesAreUniqueAndFindable) {
  std::set<std::string> codes;
  std::set<std::string> names;
  for (const Rule& rule : Rules()) {
    EXPECT_TRUE(codes.insert(std::string(rule.code)).second) << rule.code;
    EXPECT_TRUE(names.insert(std::string(rule.name)).second) << rule.name;
    EXPECT_TRUE(std::regex_match(std::string(rule.code), std::regex("RT[1-5][0-9][0-9]")))
        << rule.code;
    EXPECT_TRUE(std::regex_match(std::string(rule.name), std::regex("[a-z0-9]+(-[a-z0-9]+)*")))
        << rule.name;
  }
}

// The table is keyed by RuleId: every rule sits at its id, and its code and name (in any case,
// with blanks around them, as users type them) parse back to it.
TEST(LintRules, EveryCodeAndNameParsesBackToItsId) {
  ASSERT_FALSE(Rules().empty());
  for (size_t i = 0; i < Rules().size(); ++i) {
    const Rule& rule = Rules()[i];
    EXPECT_EQ(static_cast<size_t>(rule.id), i) << rule.code << " is not at its id's place";
    EXPECT_EQ(&RuleFor(rule.id), &rule) << rule.code;
    EXPECT_EQ(plan::RuleName(rule.id), rule.name);
    for (std::string typed : {std::string(rule.code), std::string(rule.name), ToLower(rule.code),
                              " " + std::string(rule.name) + " "}) {
      Result<RuleId> parsed = ParseRuleId(typed);
      ASSERT_TRUE(parsed.ok()) << typed << ": " << parsed.status().message();
      EXPECT_EQ(*parsed, rule.id) << typed;
    }
  }
  EXPECT_EQ(Rules().back().id, RuleId::kNamingConvention);  // the enum's last rule is the table's
  EXPECT_EQ(RuleFor(RuleId::kDropColumn).code, "RT102");
}

TEST(LintRules, AnUnknownRuleNameIsBadInputNamingIt) {
  for (const char* typed : {"drop-colum", "RT999", "", "drop_column"}) {
    Result<RuleId> parsed = ParseRuleId(typed);
    ASSERT_FALSE(parsed.ok()) << typed;
    EXPECT_EQ(parsed.status().code(), Code::kInvalidInput) << typed;
    EXPECT_EQ(parsed.status().message(),
              "unknown rule '" + std::string(typed) + "' (`retort lint --rules` lists the rules)");
  }
}

// Where users type rule names into retort.toml, an unknown one is bad input (exit 2) naming the
// file and the name, before anything is linted.
TEST(LintRules, AnUnknownRuleInLintDisableIsBadInput) {
  config::Config config;
  config.config_path = "/p/retort.toml";
  config.lint_disable = {"drop-column", "drop-colum"};
  std::ostringstream out;
  std::ostringstream log;
  Status status = commands::Lint(config, commands::LintOptions{}, commands::Io{out, log}).status();
  EXPECT_EQ(status.code(), Code::kInvalidInput);
  EXPECT_EQ(status.message(),
            "/p/retort.toml: [lint] disable names unknown rule 'drop-colum' (`retort lint "
            "--rules` lists the rules)");
  EXPECT_EQ(out.str(), "");
}

// ---- details of single rules

TEST(LintRules, DataLossStaysErrorAndLockRulesAreGraded) {
  EXPECT_EQ(RuleFor(RuleId::kDropColumn).severity, Severity::kError);
  EXPECT_FALSE(RuleFor(RuleId::kDropColumn).graded);
  EXPECT_TRUE(RuleFor(RuleId::kRequireConcurrentIndexCreation).graded);
  EXPECT_TRUE(RuleFor(RuleId::kVolatileDefault).graded);
}

TEST(LintRules, FindingNamesFileLineLockAndTable) {
  std::vector<Finding> findings = LintText(
      "SELECT 1;\n\nALTER TABLE app.users\n  ADD COLUMN a int,\n  ADD COLUMN t uuid DEFAULT "
      "gen_random_uuid();\n");
  const Finding* finding = Find(findings, "volatile-default");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->file, "m.sql");
  EXPECT_EQ(finding->line, 5);  // the line of the ADD COLUMN that rewrites, not of ALTER TABLE
  EXPECT_EQ(finding->code, "RT405");
  EXPECT_EQ(finding->severity, Severity::kError);
  EXPECT_EQ(finding->lock, "ACCESS EXCLUSIVE");
  EXPECT_EQ(finding->table, "app.users");
  EXPECT_EQ(finding->table_sql, "app.users");
  EXPECT_NE(finding->message.find("gen_random_uuid()"), std::string::npos) << finding->message;
  EXPECT_NE(finding->fix.find("SET DEFAULT"), std::string::npos) << finding->fix;
  EXPECT_EQ(finding->statement.substr(0, 21), "ALTER TABLE app.users");
}

TEST(LintRules, QuotedTableNamesAreQuotedForTheSizeLookup) {
  std::vector<Finding> findings = LintText("CREATE INDEX i ON \"Users\" (a)");
  const Finding* finding = Find(findings, "require-concurrent-index-creation");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->table, "Users");
  EXPECT_EQ(finding->table_sql, "\"Users\"");
}

TEST(LintRules, TypeChangeToTextMayNotRewriteAndIsCappedAtWarning) {
  std::vector<Finding> findings = LintText("ALTER TABLE users ALTER COLUMN name TYPE varchar(200)");
  const Finding* finding = Find(findings, "changing-column-type");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->severity, Severity::kWarning);
  EXPECT_NE(finding->message.find("may rewrite"), std::string::npos) << finding->message;
  EXPECT_NE(finding->message.find("varchar(200)"), std::string::npos) << finding->message;

  std::vector<Finding> with_using =
      LintText("ALTER TABLE users ALTER COLUMN name TYPE text USING name::text");
  ASSERT_TRUE(Has(with_using, "changing-column-type"));
  EXPECT_EQ(Find(with_using, "changing-column-type")->severity, Severity::kError);
}

TEST(LintRules, MissingLockTimeoutIsReportedOncePerFile) {
  std::vector<Finding> findings =
      LintText("ALTER TABLE a ADD COLUMN x int; ALTER TABLE b ADD COLUMN y int", true, false);
  std::vector<std::string> rules = RulesOf(findings);
  EXPECT_EQ(std::count(rules.begin(), rules.end(), std::string("missing-lock-timeout")), 1);
  const Finding* finding = Find(findings, "missing-lock-timeout");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->lock, "ACCESS EXCLUSIVE");
}

TEST(LintRules, ResetRestoresTheConfiguredTimeout) {
  EXPECT_FALSE(Has(LintText("SET lock_timeout = 0; RESET lock_timeout; ALTER TABLE a ADD COLUMN x "
                            "int"),
                   "missing-lock-timeout"));
}

TEST(LintRules, StatementsInsideDoBlocksAreNotAnalysed) {
  std::vector<Finding> findings = LintText("DO $$ BEGIN DROP TABLE users; END $$");
  EXPECT_FALSE(Has(findings, "drop-table"));
  EXPECT_TRUE(Has(findings, "do-block-not-analysed"));
}

TEST(LintRules, PlainScriptsMayControlTheirTransactions) {
  Source source;
  source.path = "script.sql";
  source.text = "BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;\n";
  auto statements = sqltext::SplitStatements(source.text, "script.sql", 1);
  ASSERT_TRUE(statements.ok());
  source.statements = *statements;
  source.is_migration = false;
  source.transactional = false;
  std::vector<Finding> findings = Lint(source, Options{});
  EXPECT_FALSE(Has(findings, "transaction-nesting")) << Printed(RulesOf(findings));
  EXPECT_FALSE(Has(findings, "cannot-run-in-transaction")) << Printed(RulesOf(findings));
}

TEST(LintRules, TablesCreatedEarlierInTheFileAreNew) {
  std::vector<Finding> findings = LintText(
      "CREATE TABLE events (id bigint, at timestamptz);\n"
      "CREATE INDEX events_at ON events (at);\n"
      "ALTER TABLE events ADD CONSTRAINT events_pk PRIMARY KEY (id);\n"
      "ALTER TABLE events ALTER COLUMN at SET NOT NULL;\n"
      "ALTER TABLE events ADD COLUMN token uuid DEFAULT gen_random_uuid();\n");
  EXPECT_TRUE(findings.empty()) << Printed(RulesOf(findings));
}

// ---- RT303 and the recipe it recommends: a validated CHECK (col IS NOT NULL) lets SET NOT NULL
// skip its scan (PostgreSQL 12+), so the SET NOT NULL after it is no hazard.

constexpr char kAddNotNullCheck[] =
    "ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;\n";
constexpr char kValidateNotNullCheck[] = "ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;\n";
constexpr char kSetNotNull[] = "ALTER TABLE public.users ALTER COLUMN email SET NOT NULL;\n";
constexpr char kDropNotNullCheck[] = "ALTER TABLE users DROP CONSTRAINT users_email_nn;\n";

TEST(LintNotNullRecipe, SetNotNullAfterTheValidatedCheckIsQuiet) {
  std::string sql =
      std::string(kAddNotNullCheck) + kValidateNotNullCheck + kSetNotNull + kDropNotNullCheck;
  EXPECT_FALSE(Has(LintText(sql), "setting-not-null")) << Printed(RulesOf(LintText(sql)));
}

TEST(LintNotNullRecipe, FiresWhenTheRecipeIsIncomplete) {
  // Not validated: SET NOT NULL still scans.
  EXPECT_TRUE(Has(LintText(std::string(kAddNotNullCheck) + kSetNotNull), "setting-not-null"));
  // Dropped before SET NOT NULL.
  EXPECT_TRUE(Has(LintText(std::string(kAddNotNullCheck) + kValidateNotNullCheck +
                           kDropNotNullCheck + kSetNotNull),
                  "setting-not-null"));
  // A check on another column, another table, or of another shape proves nothing here.
  EXPECT_TRUE(Has(LintText("ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (name IS NOT "
                           "NULL) NOT VALID;\n" +
                           std::string(kValidateNotNullCheck) + kSetNotNull),
                  "setting-not-null"));
  EXPECT_TRUE(Has(LintText("ALTER TABLE people ADD CONSTRAINT users_email_nn CHECK (email IS NOT "
                           "NULL) NOT VALID;\nALTER TABLE people VALIDATE CONSTRAINT "
                           "users_email_nn;\n" +
                           std::string(kSetNotNull)),
                  "setting-not-null"));
  EXPECT_TRUE(Has(LintText("ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email <> '') "
                           "NOT VALID;\n" +
                           std::string(kValidateNotNullCheck) + kSetNotNull),
                  "setting-not-null"));
  // Validating another constraint of the table.
  EXPECT_TRUE(Has(LintText(std::string(kAddNotNullCheck) +
                           "ALTER TABLE users VALIDATE CONSTRAINT other;\n" + kSetNotNull),
                  "setting-not-null"));
}

// autogenerate writes ADD ... NOT VALID and VALIDATE in one migration, SET NOT NULL and the
// DROP in the next: a RunState carried from one to the other remembers the validated check.
TEST(LintNotNullRecipe, AnEarlierMigrationOfTheSameRunCounts) {
  auto source = [](const std::string& path, const std::string& sql) {
    Source built;
    built.path = path;
    built.text = sql;
    auto statements = sqltext::SplitStatements(sql, path, 1);
    EXPECT_TRUE(statements.ok()) << statements.status().message();
    if (statements.ok()) built.statements = *statements;
    return built;
  };
  Source first = source("1.sql", std::string(kAddNotNullCheck) + kValidateNotNullCheck);
  Source second = source("2.sql", std::string(kSetNotNull) + kDropNotNullCheck);
  Options options;
  RunState run;
  EXPECT_FALSE(Has(Lint(first, options, &run), "setting-not-null"));
  EXPECT_FALSE(Has(Lint(second, options, &run), "setting-not-null"));
  // Alone, the second migration proves nothing.
  EXPECT_TRUE(Has(Lint(second, options), "setting-not-null"));
  // The first migration's DROP ended the check for the migrations after it.
  RunState dropped;
  (void)Lint(
      source("1.sql", std::string(kAddNotNullCheck) + kValidateNotNullCheck + kDropNotNullCheck),
      options, &dropped);
  EXPECT_TRUE(Has(Lint(second, options, &dropped), "setting-not-null"));
}

// ---- suppression

// A migration as retort writes it; the header ends before `-- retort:upgrade` on line 5.
Source MigrationSource(const std::string& header_extra, const std::string& upgrade) {
  std::string text = "-- retort:revision abc\n-- retort:revises none\n-- retort:message m\n" +
                     header_extra + "-- retort:upgrade\n" + upgrade;
  auto migration = migrations::ParseMigration(text, "v/abc.sql");
  EXPECT_TRUE(migration.ok()) << migration.status().message();
  Source source;
  source.path = "v/abc.sql";
  source.text = text;
  if (migration.ok()) source.statements = migration->upgrade;
  source.header_end_line =
      3 + static_cast<int>(std::count(header_extra.begin(), header_extra.end(), '\n'));
  return source;
}

TEST(LintSuppression, CommentAboveTheStatementSuppressesThatStatementOnly) {
  Source source =
      MigrationSource("",
                      "-- retort:lint-ignore drop-column\nALTER TABLE a DROP COLUMN x;\n"
                      "ALTER TABLE b DROP COLUMN y;\n");
  std::vector<Finding> findings = Lint(source, Options{});
  ASSERT_EQ(RulesOf(findings), std::vector<std::string>{"drop-column"});
  EXPECT_EQ(findings[0].line, 7);
}

TEST(LintSuppression, CodesWorkAndSeveralRulesMayBeListed) {
  Source source = MigrationSource("",
                                  "-- why: the column is unused since 2024\n"
                                  "-- retort:lint-ignore RT102, update-without-where\n"
                                  "UPDATE a SET x = NULL;\nALTER TABLE a DROP COLUMN x;\n");
  // Each comment block belongs to the statement right under it.
  std::vector<Finding> findings = Lint(source, Options{});
  EXPECT_EQ(RulesOf(findings), std::vector<std::string>{"drop-column"});

  Source both =
      MigrationSource("",
                      "-- retort:lint-ignore RT102, update-without-where\nUPDATE a SET x = NULL;\n"
                      "-- retort:lint-ignore rt102\nALTER TABLE a DROP COLUMN x;\n");
  EXPECT_TRUE(Lint(both, Options{}).empty());
}

TEST(LintSuppression, BlankLineEndsTheCommentBlock) {
  Source source =
      MigrationSource("", "-- retort:lint-ignore drop-column\n\nALTER TABLE a DROP COLUMN x;\n");
  EXPECT_TRUE(Has(Lint(source, Options{}), "drop-column"));
}

TEST(LintSuppression, HeaderCommentCoversTheWholeFile) {
  Source source = MigrationSource("-- retort:lint-ignore drop-column\n",
                                  "ALTER TABLE a DROP COLUMN x;\n\nALTER TABLE b DROP COLUMN y;\n"
                                  "DROP TABLE c;\n");
  EXPECT_EQ(RulesOf(Lint(source, Options{})), std::vector<std::string>{"drop-table"});
}

TEST(LintSuppression, UnknownRuleNameIsAFinding) {
  Source source =
      MigrationSource("", "-- retort:lint-ignore drop-colum\nALTER TABLE a DROP COLUMN x;\n");
  std::vector<Finding> findings = Lint(source, Options{});
  EXPECT_EQ(RulesOf(findings), (std::vector<std::string>{"invalid-lint-ignore", "drop-column"}));
  EXPECT_EQ(findings[0].line, 5);
  EXPECT_NE(findings[0].message.find("drop-colum"), std::string::npos);
}

TEST(LintSuppression, DisabledRulesAreNeverReported) {
  Options options;
  options.disabled = {RuleId::kPreferTextField, *ParseRuleId("RT507")};
  auto findings =
      LintSql("CREATE TABLE t (a varchar(5), b timestamp, c serial)", "m.sql", 1, true, options);
  ASSERT_TRUE(findings.ok());
  EXPECT_EQ(RulesOf(*findings), std::vector<std::string>{"prefer-identity"});
}

TEST(LintSuppression, MigrationParserAcceptsTheDirectiveAndChecksItsShape) {
  EXPECT_TRUE(migrations::ParseMigration("-- retort:revision a\n-- retort:lint-ignore drop-table\n"
                                         "-- retort:upgrade\n-- retort:lint-ignore RT101, "
                                         "drop-column\nDROP TABLE t;\n",
                                         "a.sql")
                  .ok());
  auto empty = migrations::ParseMigration(
      "-- retort:revision a\n-- retort:upgrade\n-- retort:lint-ignore\nDROP TABLE t;\n", "a.sql");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("a.sql:3:"), std::string::npos)
      << empty.status().message();
  auto bad = migrations::ParseMigration(
      "-- retort:revision a\n-- retort:upgrade\n-- retort:lint-ignore drop_table!\nSELECT 1;\n",
      "a.sql");
  EXPECT_FALSE(bad.ok());
}

// ---- grading

TEST(LintGrading, SeverityFollowsRowsAndBytes) {
  Thresholds thresholds;  // 10k / 1M rows, 32 MB / 1 GB
  EXPECT_EQ(SeverityForSize({10, 8192}, thresholds), Severity::kNote);
  EXPECT_EQ(SeverityForSize({50000, 8 << 20}, thresholds), Severity::kWarning);
  EXPECT_EQ(SeverityForSize({10000000, 1LL << 31}, thresholds), Severity::kError);
  EXPECT_EQ(SeverityForSize({5000, 2LL << 30}, thresholds), Severity::kError);  // few wide rows
  EXPECT_EQ(SeverityForSize({-1, 0}, thresholds), Severity::kNote);  // never analysed, empty
  EXPECT_EQ(SeverityForSize({-1, 64 << 20}, thresholds), Severity::kWarning);
}

TEST(LintGrading, GradesOnlyGradedRulesWithAKnownTable) {
  std::vector<Finding> findings = LintText(
      "CREATE INDEX i ON small (a); CREATE INDEX j ON big (a); CREATE INDEX k ON missing (a);"
      "ALTER TABLE small DROP COLUMN b");
  std::map<std::string, TableSize> sizes = {{"small", {12, 16384}}, {"big", {2e7, 3LL << 30}}};
  GradeBySize(findings, sizes, Thresholds{});
  std::vector<Severity> index_severities;
  for (const Finding& finding : findings) {
    if (finding.rule == "require-concurrent-index-creation") {
      index_severities.push_back(finding.severity);
    }
    if (finding.rule == "drop-column") {
      EXPECT_EQ(finding.severity, Severity::kError);  // data loss is never graded down
      EXPECT_FALSE(finding.size.has_value());
    }
  }
  EXPECT_EQ(index_severities,
            (std::vector<Severity>{Severity::kNote, Severity::kError, Severity::kWarning}));
  const Finding* small = Find(findings, "require-concurrent-index-creation");
  ASSERT_TRUE(small->size.has_value());
  EXPECT_EQ(small->size->rows, 12);
}

TEST(LintGrading, CapsTheMaybeNoRewriteTypeChange) {
  std::vector<Finding> findings = LintText("ALTER TABLE big ALTER COLUMN name TYPE text");
  GradeBySize(findings, {{"big", {2e7, 3LL << 30}}}, Thresholds{});
  EXPECT_EQ(Find(findings, "changing-column-type")->severity, Severity::kWarning);
}

TEST(LintGrading, ConfigLintSection) {
  auto config = config::ParseConfig(
      "[lint]\nwarning_rows = 100\nerror_rows = 5000\nwarning_size = \"8MB\"\n"
      "error_size = \"2GB\"\ndisable = [\"prefer-text-field\"]\n",
      "retort.toml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->lint_warning_rows, 100);
  EXPECT_EQ(config->lint_error_rows, 5000);
  EXPECT_EQ(config->lint_warning_size, "8MB");
  EXPECT_EQ(config->lint_disable, std::vector<std::string>{"prefer-text-field"});

  auto wrong = config::ParseConfig(
      "[lint]\nwarning_rows = \"many\"\nerror_rows = -1\nerror_size = \"2 parsecs\"\n",
      "retort.toml");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("retort.toml:2: [lint] warning_rows must be a whole "
                                          "number"),
            std::string::npos)
      << wrong.status().message();
  EXPECT_NE(wrong.status().message().find("retort.toml:3: [lint] error_rows must not be negative"),
            std::string::npos)
      << wrong.status().message();
  EXPECT_NE(wrong.status().message().find("retort.toml:4: [lint] error_size"), std::string::npos)
      << wrong.status().message();
}

TEST(LintGrading, ParseSizeBytes) {
  EXPECT_EQ(*config::ParseSizeBytes("8192"), 8192);
  EXPECT_EQ(*config::ParseSizeBytes("512kB"), 512 * 1024);
  EXPECT_EQ(*config::ParseSizeBytes("32MB"), 32LL << 20);
  EXPECT_EQ(*config::ParseSizeBytes(" 1 GB "), 1LL << 30);
  EXPECT_EQ(*config::ParseSizeBytes("2TB"), 2LL << 40);
  EXPECT_FALSE(config::ParseSizeBytes("").ok());
  EXPECT_FALSE(config::ParseSizeBytes("1mb").ok());  // PostgreSQL's units are case-sensitive
  EXPECT_FALSE(config::ParseSizeBytes("99999999999TB").ok());
}

// ---- output

TEST(LintOutput, TextIsOneHeadlineAndIndentedDetails) {
  std::vector<Finding> findings = LintText("SELECT 1;\nCREATE INDEX i ON users (a);");
  GradeBySize(findings, {{"users", {1234567, 200LL << 20}}}, Thresholds{});
  std::string text = FormatText(*Find(findings, "require-concurrent-index-creation"));
  EXPECT_TRUE(std::regex_search(
      text, std::regex("^m\\.sql:2: error\\[RT401 require-concurrent-index-creation\\]: .*\n")))
      << text;
  EXPECT_NE(text.find("\n  what happens: SHARE on users"), std::string::npos) << text;
  EXPECT_NE(text.find("\n  instead: CREATE INDEX CONCURRENTLY"), std::string::npos) << text;
  EXPECT_NE(text.find("\n  table: users, ~1,234,567 rows, 200 MB\n"), std::string::npos) << text;
}

TEST(LintOutput, JsonShape) {
  std::vector<Finding> findings = LintText("CREATE INDEX i ON users (a); DROP TABLE old;");
  GradeBySize(findings, {{"users", {-1, 8192}}}, Thresholds{});
  nlohmann::json graded = ToJson(*Find(findings, "require-concurrent-index-creation"));
  for (const char* key :
       {"code", "rule", "severity", "category", "file", "line", "statement", "message", "effect",
        "fix", "lock", "table", "table_rows", "table_bytes"}) {
    EXPECT_TRUE(graded.contains(key)) << key;
  }
  EXPECT_EQ(graded["code"], "RT401");
  EXPECT_EQ(graded["severity"], "note");
  EXPECT_EQ(graded["category"], "locks and rewrites");
  EXPECT_EQ(graded["line"], 1);
  EXPECT_EQ(graded["lock"], "SHARE");
  EXPECT_EQ(graded["table"], "users");
  EXPECT_TRUE(graded["table_rows"].is_null());  // never analysed
  EXPECT_EQ(graded["table_bytes"], 8192);

  nlohmann::json drop = ToJson(*Find(findings, "drop-table"));
  EXPECT_EQ(drop["severity"], "error");
  EXPECT_EQ(drop["category"], "data loss");
  EXPECT_TRUE(drop["table"].is_null());
  EXPECT_TRUE(drop["table_bytes"].is_null());

  nlohmann::json rule = RuleToJson(RuleFor(RuleId::kDropTable));
  EXPECT_EQ(rule["code"], "RT101");
  EXPECT_EQ(rule["graded_by_table_size"], false);
}

TEST(LintOutput, SizesAndCounts) {
  EXPECT_EQ(FormatBytes(0), "0 bytes");
  EXPECT_EQ(FormatBytes(8192), "8.0 kB");
  EXPECT_EQ(FormatBytes(3LL << 30), "3.0 GB");
  EXPECT_EQ(FormatRows(1), "~1 row");
  EXPECT_EQ(FormatRows(12000000), "~12,000,000 rows");
  EXPECT_EQ(FormatRows(-1), "row count unknown (never analysed)");
  Summary summary =
      Summarize(LintText("DROP TABLE a; UPDATE b SET x = 1; CREATE TABLE c (t timestamp)"));
  EXPECT_EQ(summary.errors, 1);
  EXPECT_EQ(summary.warnings, 1);
  EXPECT_EQ(summary.notes, 1);
}

TEST(LintOutput, SyntaxErrorIsInvalidInputWithTheLine) {
  auto findings = LintSql("SELECT 1;\nALTER TABLE;", "m.sql", 10, true, Options{});
  ASSERT_FALSE(findings.ok());
  EXPECT_EQ(findings.status().code(), Code::kInvalidInput);
  EXPECT_NE(findings.status().message().find("m.sql:11:"), std::string::npos)
      << findings.status().message();
}

// ---- probe reports

TEST(ProbeOutput, StrongestLockPerRelationAndWhatIsHeldUntilCommit) {
  ProbeReport report;
  report.file = "v/b.sql";
  report.revision = "b";
  report.replayed = "a";
  ProbedStatement first;
  first.line = 4;
  first.statement = "ALTER TABLE t ADD COLUMN x int";
  first.locks = {{"public.t", "table", "AccessExclusiveLock"}};
  ProbedStatement second;
  second.line = 5;
  second.statement = "ALTER TABLE c ADD CONSTRAINT f FOREIGN KEY (p) REFERENCES t NOT VALID";
  second.locks = {{"public.c", "table", "AccessShareLock"},
                  {"public.c", "table", "ShareRowExclusiveLock"},
                  {"public.t", "table", "ShareRowExclusiveLock"}};
  second.rewritten_tables = {};
  ProbedStatement third;
  third.line = 6;
  third.statement = "CREATE INDEX CONCURRENTLY i ON t (x)";
  third.outcome = ProbeOutcome::kNotProbed;
  third.note = "runs outside a transaction";
  report.statements = {first, second, third};

  std::vector<RelationLock> held = HeldUntilCommit(report);
  ASSERT_EQ(held.size(), 2u);
  EXPECT_EQ(held[0].relation, "public.t");
  EXPECT_EQ(held[0].mode, "AccessExclusiveLock");
  EXPECT_EQ(held[1].relation, "public.c");
  EXPECT_EQ(held[1].mode, "ShareRowExclusiveLock");

  std::string text = FormatProbeText(report);
  EXPECT_NE(text.find("v/b.sql:5: ALTER TABLE c ADD CONSTRAINT"), std::string::npos) << text;
  EXPECT_NE(text.find("  locks: ShareRowExclusiveLock on table public.c, ShareRowExclusiveLock "
                      "on table public.t\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("v/b.sql:6: CREATE INDEX CONCURRENTLY i ON t (x)\n  not probed: runs "
                      "outside a transaction\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("held until the migration commits: AccessExclusiveLock on table public.t"),
            std::string::npos)
      << text;
  EXPECT_FALSE(report.failed());

  nlohmann::json json = ProbeToJson(report);
  EXPECT_EQ(json["revision"], "b");
  EXPECT_EQ(json["statements"].size(), 3u);
  EXPECT_EQ(json["statements"][1]["locks"].size(), 3u);  // JSON keeps every lock
  EXPECT_EQ(json["statements"][2]["outcome"], "not probed");
  EXPECT_EQ(json["held_until_commit"][0]["mode"], "AccessExclusiveLock");
}

TEST(ProbeOutput, LockModeStrengthOrdersPostgresModes) {
  EXPECT_LT(LockModeStrength("AccessShareLock"), LockModeStrength("RowExclusiveLock"));
  EXPECT_LT(LockModeStrength("ShareUpdateExclusiveLock"), LockModeStrength("ShareLock"));
  EXPECT_LT(LockModeStrength("ShareRowExclusiveLock"), LockModeStrength("AccessExclusiveLock"));
  EXPECT_EQ(LockModeStrength("NoSuchLock"), 0);
}

}  // namespace
}  // namespace retort::lint
