// Commands return reports and src/cli prints them (cli/output.h). The expected texts are what the
// commands printed themselves before they returned reports: the integration tests compare the
// same bytes end to end, these pin them without a server.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli/output.h"

namespace retort::cli {
namespace {

struct Printed {
  std::string out;
  std::string log;
};

commands::RevisionInfo Revision(std::string id, std::vector<std::string> parents,
                                std::string message) {
  commands::RevisionInfo info;
  info.id = std::move(id);
  info.parents = std::move(parents);
  info.message = std::move(message);
  return info;
}

TEST(ReportOutput, HistoryPrintsAlembicsLinesNewestFirst) {
  commands::HistoryReport report;
  report.revisions.push_back(Revision("3f2a9c1b7d4e", {"1a2b3c4d5e6f"}, "add chunks"));
  report.revisions.back().is_head = true;
  report.revisions.back().is_current = true;
  report.revisions.push_back(Revision("1a2b3c4d5e6f", {}, "create users"));
  std::ostringstream out;
  PrintHistory(report, /*verbose=*/false, Format::kText, out);
  EXPECT_EQ(out.str(),
            "1a2b3c4d5e6f -> 3f2a9c1b7d4e (head) (current), add chunks\n"
            "<base> -> 1a2b3c4d5e6f, create users\n");
}

// upgrade and downgrade report each migration as it finishes; src/cli prints the line.
TEST(ReportOutput, AFinishedMigrationIsOneLineOnTheLog) {
  EXPECT_EQ(MigrationLine({.upgrade = true,
                           .revision = "3f2a9c1b7d4e",
                           .message = "add chunks",
                           .statements = 2,
                           .elapsed_ms = 12.46}),
            "upgraded   3f2a9c1b7d4e  add chunks  (2 statements, 12.5 ms)\n");
  EXPECT_EQ(MigrationLine({.upgrade = false,
                           .revision = "1a2b3c4d5e6f",
                           .message = "create users",
                           .statements = 1,
                           .elapsed_ms = 0.04}),
            "downgraded 1a2b3c4d5e6f  create users  (1 statement, 0.0 ms)\n");
}

commands::CheckReport Check(bool match) {
  commands::CheckReport report{.heads = {"3f2a9c1b7d4e"},
                               .schema = "schema/",
                               .sql = match ? "" : "CREATE TABLE public.t (id integer);\n",
                               .elapsed_ms = 12.4};
  if (!match) report.verdict = Status::Differences("the migrations do not match schema/");
  return report;
}

Printed PrintedCheck(const commands::CheckReport& report, Format format) {
  std::ostringstream out;
  std::ostringstream log;
  PrintCheck(report, format, out, log);
  return {out.str(), log.str()};
}

TEST(ReportOutput, CheckSaysTheyMatchOrPrintsWhatTheMigrationsLack) {
  Printed match = PrintedCheck(Check(true), Format::kText);
  EXPECT_EQ(match.out, "migrations match schema/\n");
  EXPECT_EQ(match.log, "checked in 12 ms\n");

  Printed differ = PrintedCheck(Check(false), Format::kText);
  EXPECT_EQ(differ.out, "CREATE TABLE public.t (id integer);\n");
  EXPECT_EQ(differ.log, "");  // the verdict is the error src/cli prints after

  Printed json = PrintedCheck(Check(false), Format::kJson);
  EXPECT_EQ(json.out,
            "{\n  \"heads\": [\n    \"3f2a9c1b7d4e\"\n  ],\n  \"match\": false,\n  \"schema\": "
            "\"schema/\",\n  \"sql\": \"CREATE TABLE public.t (id integer);\\n\"\n}\n");
}

TEST(ReportOutput, DriftPrintsTheOutOfBandChangesUnderAComment) {
  commands::DriftReport report{.database = "app on localhost:5432", .revisions = {"a1", "b2"}};
  std::ostringstream clean;
  PrintDrift(report, Format::kText, clean);
  EXPECT_EQ(clean.str(), "no drift: app on localhost:5432 matches revision a1, b2\n");

  report.sql.upgrade = "DROP INDEX public.i;\n";
  report.sql.upgrade_unsupported = {"a change retort cannot plan"};
  std::ostringstream drifted;
  PrintDrift(report, Format::kText, drifted);
  EXPECT_EQ(drifted.str(),
            "-- a change retort cannot plan\n"
            "-- drift: app on localhost:5432 differs from what its revision (a1, b2) should "
            "contain.\n"
            "-- This SQL turns the migrations' schema into the live one: the changes made out of "
            "band.\n"
            "DROP INDEX public.i;\n");
}

TEST(ReportOutput, DiffPrintsBothDirectionsUnderHeadersOrANoteWhenEqual) {
  commands::DiffReport report{.from = "head", .to = "postgresql://u:****@h/app"};
  std::ostringstream out;
  std::ostringstream log;
  PrintDiff(report, Format::kText, out, log);
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(log.str(), "no differences between head and postgresql://u:****@h/app\n");

  report.with_downgrade = true;
  report.sql.upgrade = "CREATE INDEX CONCURRENTLY i ON t (a);\n";
  report.sql.upgrade_needs_no_transaction = true;
  report.sql.downgrade = "DROP INDEX i;\n";
  std::ostringstream both;
  PrintDiff(report, Format::kText, both, log);
  EXPECT_EQ(both.str(),
            "-- upgrade (outside a transaction)\n"
            "CREATE INDEX CONCURRENTLY i ON t (a);\n"
            "\n-- downgrade\n"
            "DROP INDEX i;\n");
}

TEST(ReportOutput, LintPrintsTheRuleTableAndTheSummaryLine) {
  commands::LintReport rules{.result =
                                 std::vector<lint::Rule>{{.id = lint::RuleId::kDropColumn,
                                                          .code = "RT999",
                                                          .name = "made-up-rule",
                                                          .category = lint::Category::kLocking,
                                                          .severity = lint::Severity::kError,
                                                          .graded = true,
                                                          .summary = "what it finds"}}};
  std::ostringstream table;
  PrintLint(rules, Format::kText, table);
  EXPECT_EQ(table.str(),
            "RT999  made-up-rule" + std::string(34 - 12, ' ') + " error   graded  what it finds\n");

  commands::LintReport none{.result = commands::LintFindings{.files = {"a.sql", "b.sql"}}};
  std::ostringstream clean;
  PrintLint(none, Format::kText, clean);
  EXPECT_EQ(clean.str(), "no findings in 2 files\n");

  std::ostringstream json;
  PrintLint(none, Format::kJson, json);
  nlohmann::json document = nlohmann::json::parse(json.str());
  EXPECT_EQ(document["graded_by_table_size"], false);
  EXPECT_TRUE(document["database"].is_null());
  EXPECT_EQ(document["summary"]["errors"], 0);
}

}  // namespace
}  // namespace retort::cli
