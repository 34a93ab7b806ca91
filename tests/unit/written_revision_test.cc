// What `revision --autogenerate` reports for the file it writes: the plan's hazards as lint
// findings (their rule codes, on their statements' lines), the hygiene rules linted from the
// parse the written file already has, and nothing the plan kept on purpose.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "commands/commands.h"
#include "lint/lint.h"
#include "migrations/migration.h"
#include "model_builders.h"
#include "render/render.h"

namespace retort {
namespace {

using schema::Database;
using testing::Base;
using testing::Col;
using testing::MakeTable;

constexpr char kProject[] = "/project";
constexpr char kPath[] = "/project/migrations/versions/aaa_x.sql";

// The migration autogenerate writes for `sql`, as WriteRevision parses it back.
migrations::Migration Written(const render::MigrationSql& sql) {
  migrations::NewRevision revision;
  revision.id = "aaa";
  revision.message = "x";
  revision.transactional = !sql.upgrade_needs_no_transaction && !sql.downgrade_needs_no_transaction;
  revision.upgrade_sql = sql.upgrade;
  revision.downgrade_sql = sql.downgrade;
  std::string text = migrations::RenderRevisionFile(revision, migrations::DefaultTemplate());
  auto parsed = migrations::ParseMigration(text, kPath);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return parsed.ok() ? *parsed : migrations::Migration{};
}

config::Config Project() {
  config::Config config;
  config.project_dir = kProject;
  return config;
}

int LineOf(const migrations::Migration& migration, const std::string& prefix) {
  for (const sqltext::Statement& statement : migration.upgrade) {
    if (statement.text.rfind(prefix, 0) == 0) return statement.line;
  }
  ADD_FAILURE() << "no statement starts with " << prefix;
  return -1;
}

std::vector<std::pair<std::string, int>> CodesAndLines(const std::vector<lint::Finding>& found) {
  std::vector<std::pair<std::string, int>> codes;
  for (const lint::Finding& finding : found) codes.emplace_back(finding.code, finding.line);
  std::sort(codes.begin(), codes.end());
  return codes;
}

// A dropped column (destructive) and a new table with a timestamp column (hygiene).
std::pair<Database, Database> DropColumnAndNewTable() {
  Database from = Base();
  Database to = Base();
  to.tables[0].columns.pop_back();
  to.tables.push_back(MakeTable("events", {Col("at", "timestamp without time zone")}));
  return {from, to};
}

TEST(WrittenRevisionFindings, ADestructiveChangeCarriesThePlansRuleCode) {
  auto [from, to] = DropColumnAndNewTable();
  render::MigrationSql sql = render::RenderMigration(from, to, {.online = true});
  ASSERT_EQ(sql.upgrade_hazards.size(), 1u);
  EXPECT_EQ(sql.upgrade_hazards[0].hazard.rule, plan::RuleId::kDropColumn);

  migrations::Migration written = Written(sql);
  std::vector<lint::Finding> findings =
      commands::WrittenRevisionFindings(Project(), written, sql.upgrade_hazards);
  auto drop = std::find_if(findings.begin(), findings.end(), [](const lint::Finding& finding) {
    return finding.id == plan::RuleId::kDropColumn;
  });
  ASSERT_NE(drop, findings.end());
  EXPECT_EQ(drop->code, "RT102");
  EXPECT_EQ(drop->rule, "drop-column");
  EXPECT_EQ(drop->severity, lint::Severity::kError);
  EXPECT_EQ(drop->file, "migrations/versions/aaa_x.sql");
  EXPECT_EQ(drop->line, LineOf(written, "ALTER TABLE public.t DROP COLUMN"));
  EXPECT_EQ(drop->message, "drops column public.t.name and its data");  // the plan's words
  // ... and lint's for what happens and what to do instead (lost while the plan's findings
  // carried the message alone).
  EXPECT_NE(drop->effect.find("The values are gone when the migration commits"), std::string::npos)
      << drop->effect;
  EXPECT_NE(drop->fix.find("then drop the column in a later migration"), std::string::npos)
      << drop->fix;
  // The text pass still finds what only the text shows.
  EXPECT_TRUE(std::any_of(findings.begin(), findings.end(), [](const lint::Finding& finding) {
    return finding.id == plan::RuleId::kPreferTimestamptz;
  }));
  // The same rule codes on the same lines as linting the whole file, as autogenerate did before.
  lint::Source source;
  source.path = drop->file;
  source.text = written.source;
  source.statements = written.upgrade;
  source.transactional = written.transactional;
  EXPECT_EQ(CodesAndLines(findings), CodesAndLines(lint::Lint(source, lint::Options{})));

  std::ostringstream out;
  std::ostringstream log;
  commands::ReportWrittenRevision(Project(), written, sql.upgrade_hazards, commands::Io{out, log});
  EXPECT_EQ(out.str(), "");
  EXPECT_NE(log.str().find("lint: 1 error, 0 warnings, 1 note in migrations/versions/aaa_x.sql"),
            std::string::npos)
      << log.str();
  EXPECT_NE(log.str().find("migrations/versions/aaa_x.sql:" + std::to_string(drop->line) +
                           ": error[RT102 drop-column]: drops column public.t.name and its data"),
            std::string::npos)
      << log.str();
  EXPECT_NE(log.str().find("what happens: The values are gone"), std::string::npos) << log.str();
}

TEST(WrittenRevisionFindings, HazardsTheOnlinePlanKeptOnPurposeAreNotReported) {
  Database from = Base();
  Database to = Base();
  to.tables[0].columns[0].type = "bigint";
  render::MigrationSql sql = render::RenderMigration(from, to, {.online = true});
  // The rewrite has no online form: kept with its recipe and a lint-ignore, so not reported.
  EXPECT_NE(sql.upgrade.find("-- retort:lint-ignore changing-column-type"), std::string::npos)
      << sql.upgrade;
  EXPECT_TRUE(sql.upgrade_hazards.empty());
  migrations::Migration written = Written(sql);
  EXPECT_TRUE(commands::WrittenRevisionFindings(Project(), written, sql.upgrade_hazards).empty());

  // --plain: reported, as an error (USING converts every row).
  render::MigrationSql plain = render::RenderMigration(from, to);
  ASSERT_EQ(plain.upgrade_hazards.size(), 1u);
  std::vector<lint::Finding> findings =
      commands::WrittenRevisionFindings(Project(), Written(plain), plain.upgrade_hazards);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "RT406");
  EXPECT_EQ(findings[0].severity, lint::Severity::kError);
}

TEST(WrittenRevisionFindings, DisabledRulesStayDisabled) {
  auto [from, to] = DropColumnAndNewTable();
  render::MigrationSql sql = render::RenderMigration(from, to, {.online = true});
  config::Config config = Project();
  config.lint_disable = {"drop-column", "RT507"};
  EXPECT_TRUE(commands::WrittenRevisionFindings(config, Written(sql), sql.upgrade_hazards).empty());
}

// A project's template may suppress a rule for every file in its header, as lint reads it.
TEST(WrittenRevisionFindings, ATemplateHeaderIgnoreCoversThePlansHazards) {
  auto [from, to] = DropColumnAndNewTable();
  render::MigrationSql sql = render::RenderMigration(from, to, {.online = true});
  migrations::NewRevision revision;
  revision.id = "aaa";
  revision.upgrade_sql = sql.upgrade;
  std::string text = migrations::RenderRevisionFile(
      revision,
      "-- retort:revision ${revision}\n-- retort:lint-ignore RT102, RT507\n"
      "-- retort:upgrade\n${upgrade}\n-- retort:downgrade\n");
  auto written = migrations::ParseMigration(text, kPath);
  ASSERT_TRUE(written.ok()) << written.status().message();
  EXPECT_TRUE(commands::WrittenRevisionFindings(Project(), *written, sql.upgrade_hazards).empty());
}

}  // namespace
}  // namespace retort
