// The pure pieces of the safety features: `-- retort:batch` / `-- retort:estimate` parsing and
// :batch_size binding, what the parse tree says a statement destroys / builds / adds, and the
// backfill's progress display and replica lag tracking.
#include <gtest/gtest.h>

#include <sstream>

#include "executor/backfill.h"
#include "migrations/migration.h"
#include "sqltext/classify.h"

namespace retort {
namespace {

using migrations::Migration;

std::string File(const std::string& upgrade, bool transactional = false) {
  return std::string("-- retort:revision a1\n") +
         (transactional ? "" : "-- retort:transaction none\n") + "-- retort:upgrade\n" + upgrade;
}

// ---- batch directives

TEST(BatchDirective, AttachesToTheNextStatementWithItsOptionsAndEstimate) {
  auto parsed = migrations::ParseMigration(
      File("SELECT 1;\n"
           "-- retort:batch size=500 sleep=20 max-lag=2.5\n"
           "-- retort:estimate SELECT count(*) FROM t WHERE b IS NULL\n"
           "UPDATE t SET b = a\n"
           "  WHERE id IN (SELECT id FROM t WHERE b IS NULL LIMIT :batch_size);\n"
           "SELECT 2;"),
      "a1.sql");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->upgrade.size(), 3u);
  EXPECT_EQ(parsed->upgrade[1].text,
            "UPDATE t SET b = a\n  WHERE id IN (SELECT id FROM t WHERE b IS NULL LIMIT "
            ":batch_size)");
  EXPECT_EQ(parsed->upgrade[1].line, 7);
  ASSERT_EQ(parsed->upgrade_batches.size(), 1u);
  const migrations::Batch& batch = parsed->upgrade_batches.at(1);
  EXPECT_EQ(batch.size, 500);
  EXPECT_EQ(batch.sleep_ms, 20);
  ASSERT_TRUE(batch.max_lag_seconds.has_value());
  EXPECT_DOUBLE_EQ(*batch.max_lag_seconds, 2.5);
  EXPECT_EQ(batch.estimate_sql, "SELECT count(*) FROM t WHERE b IS NULL");
  EXPECT_EQ(batch.line, 5);
  EXPECT_TRUE(parsed->downgrade_batches.empty());
}

TEST(BatchDirective, ChecksumIgnoresFormattingButNotTheStatement) {
  auto a = migrations::ParseMigration(
      File("-- retort:batch size=10\nDELETE FROM t WHERE id IN (SELECT id FROM t LIMIT "
           ":batch_size);"),
      "a1.sql");
  auto b = migrations::ParseMigration(
      File("-- retort:batch size=99\ndelete  from t where id in (select id from t\n limit "
           ":batch_size)  ;"),
      "a1.sql");
  auto c = migrations::ParseMigration(
      File("-- retort:batch size=10\nDELETE FROM u WHERE id IN (SELECT id FROM u LIMIT "
           ":batch_size);"),
      "a1.sql");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->checksum, b->checksum);
  EXPECT_NE(a->checksum, c->checksum);
}

TEST(BatchDirective, MistakesAreReportedAtTheirLine) {
  struct Case {
    std::string upgrade;
    bool transactional;
    std::string expected;
  };
  const std::string kStatement =
      "UPDATE t SET b = 1 WHERE id IN (SELECT id FROM t LIMIT :batch_size);";
  const std::vector<Case> cases = {
      {"-- retort:batch\n" + kStatement, false, "a1.sql:4: '-- retort:batch' needs size=N"},
      {"-- retort:batch size=0\n" + kStatement, false, "a1.sql:4: size in '-- retort:batch' must"},
      {"-- retort:batch size=10 size=20\n" + kStatement, false,
       "a1.sql:4: option 'size' is given twice"},
      {"-- retort:batch size=10 sleep=-1\n" + kStatement, false, "a1.sql:4: sleep in"},
      {"-- retort:batch size=10 nap\n" + kStatement, false, "a1.sql:4: expected NAME=VALUE"},
      {"-- retort:batch size=10\n" + kStatement, true,
       "a1.sql:3: a batched statement runs each batch in a transaction of its own"},
      {"-- retort:batch size=10\n-- retort:batch size=20\n" + kStatement, false,
       "a1.sql:5: duplicate '-- retort:batch'"},
      {"-- retort:batch size=10\n-- retort:estimate\n" + kStatement, false,
       "a1.sql:5: '-- retort:estimate' needs a query"},
      {kStatement, false, "a1.sql:4: :batch_size is only bound in a batched statement"},
  };
  for (const Case& bad : cases) {
    auto parsed = migrations::ParseMigration(File(bad.upgrade, bad.transactional), "a1.sql");
    ASSERT_FALSE(parsed.ok()) << bad.upgrade;
    EXPECT_EQ(parsed.status().code(), Code::kInvalidInput);
    EXPECT_NE(parsed.status().message().find(bad.expected), std::string::npos)
        << bad.upgrade << "\n"
        << parsed.status().message();
  }
  auto in_header = migrations::ParseMigration(
      "-- retort:revision a1\n-- retort:batch size=1\n-- retort:upgrade\nSELECT 1;", "a1.sql");
  ASSERT_FALSE(in_header.ok());
  EXPECT_NE(in_header.status().message().find("a1.sql:2:"), std::string::npos);
}

TEST(BatchSize, BindsEveryPlaceholderButNotCastsOrLongerNames) {
  EXPECT_EQ(migrations::BindBatchSize("LIMIT :batch_size", 1000), "LIMIT 1000");
  EXPECT_EQ(migrations::BindBatchSize(":batch_size+:batch_size)", 7), "7+7)");
  EXPECT_EQ(migrations::BindBatchSize("x::batch_size, :batch_sizes", 7),
            "x::batch_size, :batch_sizes");
  std::string masked = migrations::MaskBatchSize("SELECT 1 LIMIT :batch_size;");
  EXPECT_EQ(masked.size(), std::string("SELECT 1 LIMIT :batch_size;").size());
  EXPECT_TRUE(migrations::StatementFingerprint("SELECT 1 LIMIT :batch_size").ok());
}

// ---- what the parse tree says

TEST(DestroyedData, FindsDropsTruncatesAndDeletesWithoutWhere) {
  using sqltext::Destruction;
  auto drops = sqltext::FindDestroyedData("DROP TABLE IF EXISTS s.a, \"B\" CASCADE");
  ASSERT_EQ(drops.size(), 2u);
  EXPECT_EQ(drops[0].kind, Destruction::kDropTable);
  EXPECT_EQ(drops[0].table.Qualified(), "s.a");
  EXPECT_TRUE(drops[0].if_exists);
  EXPECT_EQ(drops[1].table.Qualified(), "\"B\"");

  auto columns = sqltext::FindDestroyedData("ALTER TABLE t DROP COLUMN a, ADD b int, DROP c");
  ASSERT_EQ(columns.size(), 2u);
  EXPECT_EQ(columns[0].kind, Destruction::kDropColumn);
  EXPECT_EQ(columns[0].column, "a");
  EXPECT_EQ(columns[1].column, "c");

  auto truncated = sqltext::FindDestroyedData("TRUNCATE a, ONLY b");
  ASSERT_EQ(truncated.size(), 2u);
  EXPECT_EQ(truncated[0].kind, Destruction::kTruncate);
  EXPECT_FALSE(truncated[0].only);
  EXPECT_TRUE(truncated[1].only);

  auto emptied = sqltext::FindDestroyedData("DELETE FROM s.t");
  ASSERT_EQ(emptied.size(), 1u);
  EXPECT_EQ(emptied[0].kind, Destruction::kDeleteAll);

  EXPECT_TRUE(sqltext::FindDestroyedData("DELETE FROM t WHERE id = 1").empty());
  EXPECT_TRUE(sqltext::FindDestroyedData("DROP INDEX ix").empty());
  EXPECT_TRUE(sqltext::FindDestroyedData("DROP VIEW v").empty());
  EXPECT_TRUE(sqltext::FindDestroyedData("ALTER TABLE t DROP CONSTRAINT c").empty());
  EXPECT_TRUE(sqltext::FindDestroyedData("SELECT 'drop table t'").empty());
}

TEST(ParseTree, AddedEnumValueAndConcurrentIndex) {
  EXPECT_EQ(sqltext::AddedEnumValue("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'it''s' AFTER 'ok'"),
            "it's");
  EXPECT_FALSE(sqltext::AddedEnumValue("ALTER TYPE mood RENAME VALUE 'a' TO 'b'").has_value());
  EXPECT_FALSE(sqltext::AddedEnumValue("SELECT 'value'").has_value());

  auto index = sqltext::ConcurrentlyBuiltIndex("CREATE UNIQUE INDEX CONCURRENTLY ux ON s.t (a)");
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(index->index, "ux");
  EXPECT_EQ(index->table.Qualified(), "s.t");
  EXPECT_FALSE(sqltext::ConcurrentlyBuiltIndex("CREATE INDEX CONCURRENTLY ON t (a)").has_value());
  EXPECT_FALSE(sqltext::ConcurrentlyBuiltIndex("CREATE INDEX ix ON t (a)").has_value());
}

// ---- backfill display and lag

TEST(BackfillDisplay, FormatsCountsRatesAndEta) {
  using executor::BackfillSnapshot;
  EXPECT_EQ(executor::GroupDigits(0), "0");
  EXPECT_EQ(executor::GroupDigits(1234567), "1,234,567");
  EXPECT_EQ(executor::FormatEta(42), "42s");
  EXPECT_EQ(executor::FormatEta(187), "3m07s");
  EXPECT_EQ(executor::FormatEta(7500), "2h05m");

  BackfillSnapshot snapshot{1000000, 10000000, 4.0, 100};
  EXPECT_EQ(executor::FormatProgressLine(snapshot),
            "1,000,000 of ~10,000,000 rows (10%), 250,000 rows/s, ETA 36s, 100 batches");
  std::string bar = executor::FormatProgressBar(snapshot);
  EXPECT_TRUE(bar.starts_with("[")) << bar;
  EXPECT_NE(bar.find("]  10%  1,000,000/10,000,000 rows  250,000 rows/s  ETA 36s"),
            std::string::npos)
      << bar;
  EXPECT_LE(bar.size(), 80u);

  BackfillSnapshot unknown_total{500, std::nullopt, 2.0, 1};
  EXPECT_EQ(executor::FormatProgressLine(unknown_total), "500 rows, 250 rows/s, 1 batch");
  // An estimate that was too low does not go past 100%.
  BackfillSnapshot over{150, 100, 1.0, 2};
  EXPECT_NE(executor::FormatProgressLine(over).find("(100%)"), std::string::npos);
}

TEST(BackfillDisplay, OffATerminalTheFirstLineWaitsForTheInterval) {
  std::ostringstream out;
  executor::ProgressDisplay display(&out, /*live_line=*/nullptr, "r1 statement 1/1",
                                    std::chrono::milliseconds(0));
  display.Update(executor::BackfillSnapshot{10, std::nullopt, 1.0, 1});
  EXPECT_EQ(out.str(), "");
  display.Update(executor::BackfillSnapshot{20, std::nullopt, 1.0, 2});
  EXPECT_EQ(out.str(), "r1 statement 1/1: 20 rows, 20 rows/s, 2 batches\n");
  display.Finish();
  EXPECT_EQ(out.str(), "r1 statement 1/1: 20 rows, 20 rows/s, 2 batches\n");

  // On a terminal the bar goes to the live line, which src/cli draws in place; the log gets
  // nothing of it.
  struct RecordedLine : executor::LiveLine {
    void Show(std::string_view text) override { shown.emplace_back(text); }
    void Erase() override { shown.emplace_back("<erased>"); }
    std::vector<std::string> shown;
  } line;
  std::ostringstream log;
  executor::ProgressDisplay bar(&log, &line, "r1");
  bar.Update(executor::BackfillSnapshot{10, 100, 1.0, 1});
  ASSERT_EQ(line.shown.size(), 1u);
  EXPECT_TRUE(line.shown[0].starts_with("r1 [")) << line.shown[0];
  bar.Finish();
  EXPECT_EQ(line.shown.back(), "<erased>");
  EXPECT_EQ(log.str(), "");
}

TEST(ReplicaLag, LsnsParseAndLagIsTheAgeOfTheOldestUnreplayedPosition) {
  EXPECT_EQ(executor::ParseLsn("0/16B3748"), 0x16B3748u);
  EXPECT_EQ(executor::ParseLsn("1A/0"), 0x1Aull << 32);
  EXPECT_FALSE(executor::ParseLsn("").has_value());
  EXPECT_FALSE(executor::ParseLsn("0/").has_value());
  EXPECT_FALSE(executor::ParseLsn("G/1").has_value());

  using namespace std::chrono_literals;
  executor::LagTracker tracker;
  auto start = executor::SteadyClock::time_point{} + 1000s;
  tracker.Record(100, start);
  tracker.Record(200, start + 2s);
  tracker.Record(300, start + 3s);
  EXPECT_DOUBLE_EQ(tracker.LagSeconds(50, start + 5s), 5.0);
  EXPECT_DOUBLE_EQ(tracker.LagSeconds(100, start + 5s), 3.0);
  EXPECT_DOUBLE_EQ(tracker.LagSeconds(300, start + 5s), 0.0);
  tracker.Forget(200);
  EXPECT_DOUBLE_EQ(tracker.LagSeconds(0, start + 5s), 2.0);
}

}  // namespace
}  // namespace retort
