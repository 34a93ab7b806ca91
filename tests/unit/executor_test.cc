// The executor and version bookkeeping without a server: a plan rendered through the ScriptSink.
#include "executor/executor.h"

#include <gtest/gtest.h>

#include <sstream>

#include "history/version_store.h"
#include "revision/graph.h"

namespace retort::executor {
namespace {

migrations::Migration MakeMigration(const std::string& id, std::vector<std::string> parents,
                                    std::vector<std::string> up, std::vector<std::string> down,
                                    bool transactional = true) {
  migrations::Migration migration;
  migration.id = id;
  migration.parents = std::move(parents);
  migration.message = "migration " + id;
  migration.transactional = transactional;
  migration.path = "versions/" + id + ".sql";
  migration.revision_line = 1;
  int line = 10;
  for (auto& text : up) migration.upgrade.push_back({text, line++});
  for (auto& text : down) migration.downgrade.push_back({text, line++});
  migration.has_downgrade = !migration.downgrade.empty();
  migration.checksum = "sum-" + id;
  migration.source = "-- " + id + "'s file";
  return migration;
}

class ScriptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    migrations_ = {
        MakeMigration("a1", {}, {"CREATE TABLE a (id int)"}, {"DROP TABLE a"}),
        MakeMigration("b2", {"a1"}, {"CREATE INDEX CONCURRENTLY a_id ON a (id)"},
                      {"DROP INDEX CONCURRENTLY a_id"}, /*transactional=*/false),
        MakeMigration("c3", {"b2"}, {"ALTER TABLE a ADD b int", "UPDATE a SET b = 1"}, {}),
    };
    std::vector<revision::Node> nodes;
    for (const auto& migration : migrations_) {
      nodes.push_back({migration.id, migration.parents, {}, {}, ""});
      index_[migration.id] = &migration;
    }
    auto graph = revision::RevisionGraph::Build(nodes);
    ASSERT_TRUE(graph.ok()) << graph.status().message();
    graph_.emplace(std::move(graph).value());
  }

  std::string Script(const revision::Path& plan, Options options = {}) {
    std::ostringstream out;
    ScriptSink sink(out);
    Executor executor(sink, store_, options);
    Status status = executor.Run(plan, index_);
    EXPECT_TRUE(status.ok()) << status.message();
    return out.str();
  }

  std::vector<migrations::Migration> migrations_;
  MigrationIndex index_;
  std::optional<revision::RevisionGraph> graph_;
  history::VersionStore store_{history::TableNames{}};
};

TEST_F(ScriptTest, EachTransactionalMigrationIsOneTransactionWithItsBookkeeping) {
  auto plan = graph_->PlanUpgrade({}, "a1");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(Script(*plan),
            "-- Running upgrade base -> a1: a1 migration a1\n"
            "-- (a1.sql)\n"
            "BEGIN;\n"
            "SET LOCAL lock_timeout = '5s';\n"
            "LOCK TABLE public.retort_version IN SHARE ROW EXCLUSIVE MODE;\n"
            "DO $retort$ BEGIN IF ARRAY(SELECT version_num::text FROM public.retort_version "
            "ORDER BY version_num COLLATE \"C\") <> '{}'::text[] THEN RAISE EXCEPTION "
            "'retort: % is not at %', 'public.retort_version', 'base (no rows)' USING HINT = "
            "'another migrator moved it, or this script was generated for another revision'; "
            "END IF; END $retort$;\n"
            "CREATE TABLE a (id int);\n\n"
            "INSERT INTO public.retort_version (version_num) VALUES ('a1');\n"
            "INSERT INTO public.retort_history (revision, direction, started_at, finished_at, "
            "duration_ms, checksum, tool_version, source, source_sha256) VALUES ('a1', 'up', "
            "now(), clock_timestamp(), round(extract(epoch FROM clock_timestamp() - now()) * "
            "1000, 3), 'sum-a1', '', '-- a1''s file', "
            "'9c796d79a34c20dd25d4c8e79380044da47857c105a6f7e71ee199a86dd1707f');\n"
            "COMMIT;\n");
}

TEST_F(ScriptTest, NonTransactionalMigrationRunsOutsideBeginCommit) {
  auto plan = graph_->PlanUpgrade({"a1"}, "b2");
  ASSERT_TRUE(plan.ok());
  std::string script = Script(*plan);
  size_t index_at = script.find("CREATE INDEX CONCURRENTLY");
  ASSERT_NE(index_at, std::string::npos);
  // The only transaction before it is the version guard's, closed before the statement.
  size_t guard_begin = script.rfind("BEGIN;", index_at);
  ASSERT_NE(guard_begin, std::string::npos);
  size_t guard_commit = script.find("COMMIT;", guard_begin);
  EXPECT_LT(guard_commit, index_at) << script;
  EXPECT_NE(script.find("<> ARRAY['a1']::text[]", guard_begin), std::string::npos) << script;
  EXPECT_NE(script.find("SET lock_timeout = '5s';"), std::string::npos);
  EXPECT_NE(script.find("RESET lock_timeout;"), std::string::npos);
  // The version moves in a transaction of its own, after the statements.
  size_t update_at = script.find(
      "UPDATE public.retort_version SET version_num = 'b2' WHERE "
      "version_num = 'a1';");
  ASSERT_NE(update_at, std::string::npos);
  EXPECT_GT(update_at, index_at);
  EXPECT_NE(script.rfind("BEGIN;", update_at), std::string::npos);
}

TEST_F(ScriptTest, SingleTransactionModeWrapsTheRunButNotNonTransactionalMigrations) {
  auto plan = graph_->PlanUpgrade({}, "c3");
  ASSERT_TRUE(plan.ok());
  Options options;
  options.transaction_per_migration = false;
  std::string script = Script(*plan, options);
  // a1 in one transaction, b2 outside, c3 in a second transaction.
  size_t begins = 0;
  for (size_t at = script.find("BEGIN;"); at != std::string::npos;
       at = script.find("BEGIN;", at + 1)) {
    ++begins;
  }
  EXPECT_EQ(begins, 4u) << script;  // run part 1, b2's guard, b2's bookkeeping, run part 2
  EXPECT_LT(script.find("CREATE TABLE a"), script.find("COMMIT;"));
}

TEST_F(ScriptTest, DowngradeOfARevisionWithoutDowngradeIsRefusedBeforeAnythingRuns) {
  auto plan = graph_->PlanDowngrade({"c3"}, "a1");
  ASSERT_TRUE(plan.ok());
  std::ostringstream out;
  ScriptSink sink(out);
  Executor executor(sink, store_, Options{});
  Status status = executor.Run(*plan, index_);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), Code::kInvalidInput);
  EXPECT_NE(status.message().find("versions/c3.sql:1"), std::string::npos) << status.message();
  EXPECT_EQ(out.str(), "");
}

TEST(VersionStoreTest, TransitionsUpdateOneRowOrDeleteAndInsert) {
  history::VersionStore store(history::TableNames{"ops", "alembic_version", "retort_history"});
  EXPECT_EQ(store.TransitionSql({"a"}, {"b"}),
            "UPDATE ops.alembic_version SET version_num = 'b' WHERE version_num = 'a';\n");
  EXPECT_EQ(store.TransitionSql({}, {"a"}),
            "INSERT INTO ops.alembic_version (version_num) VALUES ('a');\n");
  // A merge: two rows become one.
  EXPECT_EQ(store.TransitionSql({"a", "b"}, {"m"}),
            "DELETE FROM ops.alembic_version WHERE version_num IN ('a', 'b');\n"
            "INSERT INTO ops.alembic_version (version_num) VALUES ('m');\n");
  EXPECT_EQ(store.TransitionSql({"a"}, {}),
            "DELETE FROM ops.alembic_version WHERE version_num IN ('a');\n");
  EXPECT_EQ(store.TransitionSql({"a", "b"}, {"a", "b"}), "");
  EXPECT_NE(store.EnsureTablesSql().find("CREATE SCHEMA IF NOT EXISTS ops;"), std::string::npos);
  EXPECT_NE(store.EnsureTablesSql().find("CONSTRAINT alembic_version_pkc PRIMARY KEY"),
            std::string::npos);
}

}  // namespace
}  // namespace retort::executor
