// plan::DefaultIsStoredOnce: which column defaults an online plan may leave in one ADD COLUMN
// (PostgreSQL stores them once) and which it fills by a batched backfill instead. Text as
// pg_get_expr prints it.
#include "plan/online.h"

#include <gtest/gtest.h>

#include <string>

#include "model_builders.h"
#include "render/render.h"

namespace retort::plan {
namespace {

TEST(DefaultIsStoredOnce, ConstantsCastsAndStableBuiltins) {
  EXPECT_TRUE(DefaultIsStoredOnce("0"));
  EXPECT_TRUE(DefaultIsStoredOnce("'x'::text"));
  EXPECT_TRUE(DefaultIsStoredOnce("'{}'::jsonb"));
  EXPECT_TRUE(DefaultIsStoredOnce("now()"));
  EXPECT_TRUE(DefaultIsStoredOnce("CURRENT_TIMESTAMP"));
  EXPECT_TRUE(DefaultIsStoredOnce("lower('A'::text)"));
  // Typmods after a cast are not calls.
  EXPECT_TRUE(DefaultIsStoredOnce("'5'::numeric(10,2)"));
  EXPECT_TRUE(DefaultIsStoredOnce("'a'::character varying(5)"));
  EXPECT_TRUE(DefaultIsStoredOnce("'2020-01-01 00:00:00'::timestamp(3) without time zone"));
  // A call inside a string literal is text.
  EXPECT_TRUE(DefaultIsStoredOnce("'random()'::text"));
  EXPECT_TRUE(DefaultIsStoredOnce("E'it\\'s random()'::text"));
}

TEST(DefaultIsStoredOnce, VolatileAndUnknownFunctions) {
  EXPECT_FALSE(DefaultIsStoredOnce("gen_random_uuid()"));
  EXPECT_FALSE(DefaultIsStoredOnce("nextval('items_id_seq'::regclass)"));
  EXPECT_FALSE(DefaultIsStoredOnce("clock_timestamp()"));
  EXPECT_FALSE(DefaultIsStoredOnce("(random() * (10)::double precision)"));
  EXPECT_FALSE(DefaultIsStoredOnce("public.next_code()"));
  EXPECT_FALSE(DefaultIsStoredOnce("\"MakeCode\"()"));
  // A cast's type name ends where the expression goes on: the call after it counts.
  EXPECT_FALSE(DefaultIsStoredOnce("lower((gen_random_uuid())::text)"));
  EXPECT_FALSE(DefaultIsStoredOnce("('x'::text || (random())::text)"));
}

// Names as PostgreSQL 15 gave them to the partitions' indexes of a CREATE INDEX on the parent.
TEST(DefaultIndexName, AsPostgresNamesAPartitionsIndex) {
  EXPECT_EQ(DefaultIndexName("events_buy_0", "USING btree (at, kind) WHERE (id > 0)"),
            "events_buy_0_at_kind_idx");
  EXPECT_EQ(DefaultIndexName("t", "USING gin (to_tsvector('english'::regconfig, body))"),
            "t_to_tsvector_idx");
  EXPECT_EQ(DefaultIndexName("t", "USING btree (((a + b)), pg_catalog.lower(c))"),
            "t_expr_lower_idx");
  // 63 bytes, the longer part cut first; a repeated column numbered; INCLUDE columns count.
  EXPECT_EQ(
      DefaultIndexName("a_very_long_partitioned_table_name_that_goes_on_and_on_xx",
                       "USING btree (alpha, lower(beta), alpha, \"Gamma Ray\") INCLUDE (beta)"),
      "a_very_long_partitioned_table_alpha_lower_alpha1_Gamma Ray__idx");
}

// A partitioned table `e` (one partition, e_p) whose index e_at_idx (on `at`) has `method`.
schema::Database PartitionedWithIndex(const std::string& method) {
  schema::Database db = testing::Base();
  schema::Table parent = testing::MakeTable(
      "e", {testing::Col("k", "integer", true), testing::Col("at", "timestamp with time zone")});
  parent.partitioned = true;
  parent.partition_key = "LIST (k)";
  schema::Table partition = testing::MakeTable("e_p", {});
  partition.partition_of = testing::Q("e");
  partition.partition_bound = "FOR VALUES IN (1)";
  db.tables = {parent, partition};
  db.indexes = {testing::Idx("e_at_idx", "e",
                             "CREATE INDEX e_at_idx ON ONLY public.e USING " + method + " (at)")};
  return db;
}

// The partitions' indexes of the parent's existing index hold the names PostgreSQL chose first
// (e_p_at_idx), unless the plan drops that index before it builds the new one.
TEST(OnlinePartitionedIndex, PartitionIndexNamesStepPastTheExistingOnesUntilDropped) {
  schema::Database from = PartitionedWithIndex("btree");
  schema::Database added = from;
  added.indexes.push_back(
      testing::Idx("e_at_idx1", "e", "CREATE INDEX e_at_idx1 ON ONLY public.e USING hash (at)"));
  std::string beside = render::RenderMigration(from, added, {.online = true}).upgrade;
  EXPECT_NE(beside.find("CREATE INDEX CONCURRENTLY e_p_at_idx1 ON public.e_p USING hash (at);"),
            std::string::npos)
      << beside;

  std::string replaced =
      render::RenderMigration(from, PartitionedWithIndex("brin"), {.online = true}).upgrade;
  EXPECT_NE(replaced.find("DROP INDEX public.e_at_idx;"), std::string::npos) << replaced;
  EXPECT_NE(replaced.find("CREATE INDEX CONCURRENTLY e_p_at_idx ON public.e_p USING brin (at);"),
            std::string::npos)
      << replaced;
  EXPECT_NE(replaced.find("ALTER INDEX public.e_at_idx ATTACH PARTITION public.e_p_at_idx;"),
            std::string::npos)
      << replaced;
}

}  // namespace
}  // namespace retort::plan
