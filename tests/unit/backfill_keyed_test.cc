// Batching by key without a database: `key=` and `target=` parsing, binding :batch_start and
// :batch_end, the SQL that walks a key, batch size adaptation and the batch time quantiles.
#include <gtest/gtest.h>

#include "executor/backfill.h"
#include "migrations/migration.h"
#include "sqltext/classify.h"

namespace retort {
namespace {

std::string File(const std::string& upgrade) {
  return "-- retort:revision a1\n-- retort:transaction none\n-- retort:upgrade\n" + upgrade;
}

TEST(KeyedBatchDirective, TakesTheKeyAndItsTableFromTheDirectiveOrTheStatement) {
  auto parsed = migrations::ParseMigration(
      File("-- retort:batch size=500 key=ID target=80\n"
           "UPDATE s.t SET b = a WHERE id BETWEEN :batch_start AND :batch_end;\n"
           "-- retort:batch size=10 key=Sales.\"Orders\".\"Id\"\n"
           "INSERT INTO copy SELECT * FROM sales.\"Orders\" o\n"
           "  WHERE o.\"Id\" BETWEEN :batch_start AND :batch_end LIMIT :batch_size;\n"),
      "a1.sql");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->upgrade_batches.size(), 2u);
  const migrations::Batch& first = parsed->upgrade_batches.at(0);
  EXPECT_TRUE(first.keyed());
  EXPECT_EQ(first.key_column, "id");
  EXPECT_EQ(first.key_table.Qualified(), "s.t");
  EXPECT_EQ(first.EffectiveTargetMs(), 80);
  const migrations::Batch& second = parsed->upgrade_batches.at(1);
  EXPECT_EQ(second.key_column, "Id");
  EXPECT_EQ(second.key_table.Qualified(), "sales.\"Orders\"");
  EXPECT_EQ(second.EffectiveTargetMs(), 100) << "adaptive by default with a key";

  auto unkeyed = migrations::ParseMigration(
      File("-- retort:batch size=5\nDELETE FROM t WHERE id IN (SELECT id FROM t LIMIT "
           ":batch_size);"),
      "a1.sql");
  ASSERT_TRUE(unkeyed.ok()) << unkeyed.status().message();
  EXPECT_FALSE(unkeyed->upgrade_batches.at(0).keyed());
  EXPECT_EQ(unkeyed->upgrade_batches.at(0).EffectiveTargetMs(), 0) << "fixed size by default";
}

TEST(KeyedBatchDirective, MistakesNameTheFileAndLine) {
  struct Case {
    std::string upgrade;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"-- retort:batch size=5 key=1id\nUPDATE t SET b = 1 WHERE id BETWEEN :batch_start AND "
       ":batch_end;",
       "a1.sql:4: malformed key '1id'"},
      {"-- retort:batch size=5 key=a.b.c.d\nUPDATE t SET b = 1 WHERE id BETWEEN :batch_start AND "
       ":batch_end;",
       "a1.sql:4: key 'a.b.c.d' in '-- retort:batch' has too many parts"},
      {"-- retort:batch size=5 key=id target=soon\nUPDATE t SET b = 1 WHERE id BETWEEN "
       ":batch_start AND :batch_end;",
       "a1.sql:4: target in '-- retort:batch' must be milliseconds"},
      {"-- retort:batch size=5 key=id\nUPDATE t SET b = 1 WHERE id <= :batch_end;",
       "a1.sql:5: a statement batched by key must limit each batch to its key range"},
      {"-- retort:batch size=5 key=id\nINSERT INTO c SELECT * FROM t WHERE id BETWEEN "
       ":batch_start AND :batch_end;",
       "a1.sql:4: key=id names no table and the statement is not an UPDATE or DELETE"},
      {"-- retort:batch size=5\nUPDATE t SET b = 1 WHERE id BETWEEN :batch_start AND "
       ":batch_end AND id > :batch_size;",
       "a1.sql:5: :batch_start and :batch_end are bound only when retort walks a key"},
      {"UPDATE t SET b = 1 WHERE id BETWEEN :batch_start AND :batch_end;",
       "a1.sql:4: :batch_start is only bound in a batched statement"},
  };
  for (const Case& bad : cases) {
    auto parsed = migrations::ParseMigration(File(bad.upgrade), "a1.sql");
    ASSERT_FALSE(parsed.ok()) << bad.upgrade;
    EXPECT_NE(parsed.status().message().find(bad.expected), std::string::npos)
        << bad.upgrade << "\n"
        << parsed.status().message();
  }
}

TEST(KeyedBatchBinding, BindsTheRangeInOnePassAndMasksToTheSameLength) {
  // A bound key that spells a placeholder is not bound again.
  EXPECT_EQ(migrations::BindBatchRange(
                "id BETWEEN :batch_start AND :batch_end LIMIT :batch_size, ::batch_end", 7,
                "':batch_end'::text", "'z'::text"),
            "id BETWEEN ':batch_end'::text AND 'z'::text LIMIT 7, ::batch_end");
  std::string sql = "UPDATE t SET b = 1 WHERE id BETWEEN :batch_start AND :batch_end";
  EXPECT_EQ(migrations::MaskBatchSize(sql).size(), sql.size());
  EXPECT_TRUE(migrations::StatementFingerprint(sql).ok());
  EXPECT_EQ(migrations::StatementFingerprint(sql).value(),
            migrations::StatementFingerprint("update t set b = 1\nwhere id between :batch_start "
                                             "and :batch_end")
                .value());
}

TEST(KeyedBatchWalk, QueriesTheRangeThroughTheKeyAlone) {
  executor::KeyColumn key{"s.t", "id", "bigint"};
  EXPECT_EQ(key.Literal("it's"), "'it''s'::bigint");
  EXPECT_EQ(executor::RangeSql(key, "", "99", 10),
            "SELECT s.first_key::text, coalesce((SELECT k.id::text FROM s.t k WHERE k.id >= "
            "s.first_key AND k.id <= '99'::bigint ORDER BY k.id OFFSET 9 LIMIT 1), '99') FROM "
            "(SELECT k.id AS first_key FROM s.t k ORDER BY k.id LIMIT 1) s WHERE s.first_key <= "
            "'99'::bigint");
  EXPECT_NE(executor::RangeSql(key, "41", "99", 10)
                .find("(SELECT k.id AS first_key FROM s.t k WHERE k.id > '41'::bigint ORDER BY "
                      "k.id LIMIT 1)"),
            std::string::npos);
  EXPECT_EQ(executor::LastKeySql(key), "SELECT k.id::text FROM s.t k ORDER BY k.id DESC LIMIT 1");
}

TEST(KeyedBatchSize, AdaptsTowardsTheTargetWithinLimitsPerBatch) {
  executor::BatchSizer fixed(1000, 0);
  fixed.Record(5000);
  EXPECT_EQ(fixed.size(), 1000) << "target 0 keeps the size";

  executor::BatchSizer sizer(1000, 100);
  sizer.Record(50);
  EXPECT_EQ(sizer.size(), 1250) << "grows by at most a quarter";
  sizer.Record(5000);
  EXPECT_EQ(sizer.size(), 625) << "shrinks by at most half";
  sizer.Record(62.5);  // 0.1 ms per row: on target
  // The average still remembers the slow batch, so it does not grow yet.
  EXPECT_LT(sizer.size(), 625);
  for (int i = 0; i < 30; ++i) sizer.Record(static_cast<double>(sizer.size()) * 0.1);
  EXPECT_NEAR(static_cast<double>(sizer.size()), 1000, 30) << "settles at target / time per row";

  executor::BatchSizer smallest(1, 100);
  smallest.Record(1000);
  EXPECT_EQ(smallest.size(), 1);
  executor::BatchSizer largest(1000000000, 100);
  largest.Record(0);
  EXPECT_EQ(largest.size(), 1000000000);
}

TEST(KeyedBatchSize, QuantilesUseTheNearestRank) {
  EXPECT_EQ(executor::Quantile({}, 0.5), 0);
  EXPECT_EQ(executor::Quantile({30, 10, 20}, 0.5), 20);
  std::vector<double> hundred;
  for (int i = 100; i >= 1; --i) hundred.push_back(i);
  EXPECT_EQ(executor::Quantile(hundred, 0.95), 95);
  EXPECT_EQ(executor::Quantile(hundred, 1.0), 100);
}

TEST(ModifiedTable, NamesTheTargetOfAnUpdateOrDelete) {
  EXPECT_EQ(sqltext::ModifiedTable("UPDATE s.\"T\" x SET a = 1")->Qualified(), "s.\"T\"");
  EXPECT_EQ(sqltext::ModifiedTable("DELETE FROM t WHERE a = 1")->Qualified(), "t");
  EXPECT_FALSE(sqltext::ModifiedTable("INSERT INTO t SELECT 1").has_value());
  EXPECT_FALSE(sqltext::ModifiedTable("UPDATE oops").has_value());
}

}  // namespace
}  // namespace retort
