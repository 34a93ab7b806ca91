// The executor's safety features without a server: Preflight refusals, lock-timeout retries with
// backoff (a fake live sink that times out on demand), resuming a partial migration from progress
// rows, backups and batched statements in scripts.
#include <gtest/gtest.h>

#include <sstream>

#include "executor/executor.h"
#include "history/version_store.h"
#include "revision/graph.h"

namespace retort::executor {
namespace {

migrations::Migration MakeMigration(const std::string& id, std::vector<std::string> parents,
                                    std::vector<std::string> up, std::vector<std::string> down = {},
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
  return migration;
}

// A chain of migrations, each revising the one before.
class Chain {
 public:
  explicit Chain(std::vector<migrations::Migration> migrations)
      : migrations_(std::move(migrations)) {
    std::vector<revision::Node> nodes;
    for (const auto& migration : migrations_) {
      nodes.push_back({migration.id, migration.parents, {}, {}, ""});
      index_[migration.id] = &migration;
    }
    auto graph = revision::RevisionGraph::Build(nodes);
    EXPECT_TRUE(graph.ok()) << graph.status().message();
    if (graph.ok()) graph_.emplace(std::move(graph).value());
  }
  revision::Path Upgrade(const std::vector<std::string>& from, const std::string& target) const {
    auto plan = graph_->PlanUpgrade(from, target);
    EXPECT_TRUE(plan.ok()) << plan.status().message();
    return plan.ok() ? *plan : revision::Path{};
  }
  revision::Path Downgrade(const std::vector<std::string>& from, const std::string& target) const {
    auto plan = graph_->PlanDowngrade(from, target);
    EXPECT_TRUE(plan.ok()) << plan.status().message();
    return plan.ok() ? *plan : revision::Path{};
  }
  const MigrationIndex& index() const { return index_; }
  const migrations::Migration& Get(const std::string& id) const { return *index_.at(id); }

 private:
  std::vector<migrations::Migration> migrations_;
  MigrationIndex index_;
  std::optional<revision::RevisionGraph> graph_;
};

// A live sink without a server: records what it is sent, and fails statements whose text
// contains `fail_on` (with `sqlstate`) the next `failures` times.
class FakeLiveSink : public Sink {
 public:
  Status Statement(const std::string& sql, const Origin&) override {
    log.push_back("STATEMENT " + sql);
    if (!fail_on.empty() && sql.find(fail_on) != std::string::npos && failures > 0) {
      --failures;
      return Status::Failed("ERROR:  canceling statement due to lock timeout",
                            ServerError{sqlstate, "", "", 0});
    }
    return Status::Ok();
  }
  Status Control(const std::string& sql) override {
    log.push_back("CONTROL " + sql);
    return Status::Ok();
  }
  void Note(const std::string&) override {}
  void Abort() override { log.push_back("ABORT"); }
  bool IsLive() const override { return true; }

  std::string Joined() const {
    std::string text;
    for (const auto& entry : log) text += entry + "\n";
    return text;
  }
  int Count(const std::string& prefix) const {
    int count = 0;
    for (const auto& entry : log) count += entry.rfind(prefix, 0) == 0 ? 1 : 0;
    return count;
  }

  std::vector<std::string> log;
  std::string fail_on;
  std::string sqlstate = "55P03";
  int failures = 0;
};

history::VersionStore Store() { return history::VersionStore(history::TableNames{}); }

// ---- Preflight

TEST(ExecutorPreflight, RefusesAStatementThatCannotRunInATransactionNamingFileLineAndFix) {
  Chain chain({MakeMigration("a1", {},
                             {"CREATE TABLE t (a int)", "CREATE INDEX CONCURRENTLY ix ON t (a)"})});
  Status status = Executor::Preflight(chain.Upgrade({}, "head"), chain.index());
  ASSERT_EQ(status.code(), Code::kInvalidInput);
  EXPECT_TRUE(status.message().starts_with("versions/a1.sql:11: statement 2 of revision a1"))
      << status.message();
  EXPECT_NE(status.message().find("-- retort:transaction none"), std::string::npos);
  EXPECT_NE(status.message().find("nothing was run"), std::string::npos);

  Chain outside({MakeMigration("a1", {}, {"CREATE INDEX CONCURRENTLY ix ON t (a)", "VACUUM t"}, {},
                               /*transactional=*/false)});
  EXPECT_TRUE(Executor::Preflight(outside.Upgrade({}, "head"), outside.index()).ok());
}

TEST(ExecutorPreflight, RefusesTransactionControlInATransactionalMigration) {
  Chain chain({MakeMigration("a1", {}, {"CREATE TABLE t (a int)", "COMMIT"})});
  Status status = Executor::Preflight(chain.Upgrade({}, "head"), chain.index());
  ASSERT_EQ(status.code(), Code::kInvalidInput);
  EXPECT_NE(status.message().find("versions/a1.sql:11:"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("controls the transaction"), std::string::npos);
}

TEST(ExecutorPreflight, RefusesAnEnumValueUsedInTheTransactionThatAddsIt) {
  Chain chain({MakeMigration(
      "a1", {},
      {"ALTER TYPE mood ADD VALUE 'great'", "ALTER TYPE mood ADD VALUE 'superb' AFTER 'great'",
       "CREATE TABLE t (m mood DEFAULT 'great')"})});
  Status status = Executor::Preflight(chain.Upgrade({}, "head"), chain.index());
  ASSERT_EQ(status.code(), Code::kInvalidInput);
  // Naming a new value as the neighbour of another new one is fine; the default is not.
  EXPECT_TRUE(status.message().starts_with("versions/a1.sql:12: statement 3")) << status.message();
  EXPECT_NE(status.message().find("'great'"), std::string::npos);
  EXPECT_NE(status.message().find("versions/a1.sql:10"), std::string::npos) << status.message();
}

TEST(ExecutorPreflight, EnumValuesAcrossMigrationsDependOnTheTransactionMode) {
  Chain chain({MakeMigration("a1", {}, {"ALTER TYPE mood ADD VALUE 'great'"}),
               MakeMigration("b2", {"a1"}, {"UPDATE people SET m = 'great'"})});
  revision::Path plan = chain.Upgrade({}, "head");
  EXPECT_TRUE(Executor::Preflight(plan, chain.index(), /*single_transaction=*/false).ok());
  Status single = Executor::Preflight(plan, chain.index(), /*single_transaction=*/true);
  EXPECT_EQ(single.code(), Code::kInvalidInput);
  EXPECT_NE(single.message().find("versions/b2.sql:10"), std::string::npos) << single.message();
}

// ---- lock timeouts

struct Recorded {
  std::vector<long> sleeps;
  std::ostringstream log;
};

Options RetryOptions(Recorded& recorded, int retries) {
  Options options;
  options.lock_retries = retries;
  options.lock_retry_base_ms = 100;
  options.lock_retry_max_ms = 250;
  options.log = &recorded.log;
  options.sleep = [&recorded](long ms) { recorded.sleeps.push_back(ms); };
  return options;
}

TEST(ExecutorLockRetries, TheWholeTransactionIsRetriedWithJitteredExponentialBackoff) {
  Chain chain({MakeMigration("a1", {}, {"CREATE TABLE t (a int)", "ALTER TABLE t ADD b int"})});
  FakeLiveSink sink;
  sink.fail_on = "ALTER TABLE";
  sink.failures = 3;
  Recorded recorded;
  history::VersionStore store = Store();
  Executor executor(sink, store, RetryOptions(recorded, 5));

  Status status = executor.Run(chain.Upgrade({}, "head"), chain.index());

  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(recorded.sleeps.size(), 3u);
  // base * 2^n, capped at 250, times a factor in [0.5, 1].
  const long caps[] = {100, 200, 250};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_GE(recorded.sleeps[i], caps[i] / 2) << i;
    EXPECT_LE(recorded.sleeps[i], caps[i]) << i;
  }
  // Each attempt starts the transaction again, from the first statement.
  EXPECT_EQ(sink.Count("STATEMENT CREATE TABLE"), 4);
  EXPECT_EQ(sink.Count("ABORT"), 3);
  std::string log = recorded.log.str();
  EXPECT_NE(log.find("lock timeout on statement 2 of 2 (versions/a1.sql:11), retry 1/5 in " +
                     std::to_string(recorded.sleeps[0]) + " ms\n"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("retry 3/5"), std::string::npos) << log;
  EXPECT_NE(sink.log.back().find("COMMIT;"), std::string::npos) << sink.Joined();
}

TEST(ExecutorLockRetries, GivesUpWhenTheRetriesAreUsed) {
  Chain chain({MakeMigration("a1", {}, {"ALTER TABLE t ADD b int"})});
  FakeLiveSink sink;
  sink.fail_on = "ALTER TABLE";
  sink.failures = 100;
  Recorded recorded;
  history::VersionStore store = Store();
  Executor executor(sink, store, RetryOptions(recorded, 2));

  Status status = executor.Run(chain.Upgrade({}, "head"), chain.index());

  EXPECT_EQ(status.code(), Code::kFailed);
  EXPECT_NE(status.message().find("gave up after 2 retries"), std::string::npos)
      << status.message();
  EXPECT_EQ(recorded.sleeps.size(), 2u);
  EXPECT_EQ(sink.Count("STATEMENT ALTER TABLE"), 3);
  EXPECT_EQ(sink.Joined().find("COMMIT;"), std::string::npos);
}

TEST(ExecutorLockRetries, OtherErrorsAreNotRetried) {
  Chain chain({MakeMigration("a1", {}, {"ALTER TABLE t ADD b int"})});
  FakeLiveSink sink;
  sink.fail_on = "ALTER TABLE";
  sink.failures = 1;
  sink.sqlstate = "42P01";
  Recorded recorded;
  history::VersionStore store = Store();
  Executor executor(sink, store, RetryOptions(recorded, 5));

  EXPECT_FALSE(executor.Run(chain.Upgrade({}, "head"), chain.index()).ok());
  EXPECT_TRUE(recorded.sleeps.empty());
  EXPECT_EQ(recorded.log.str(), "");
}

TEST(ExecutorLockRetries, AScriptRunsOnce) {
  Chain chain({MakeMigration("a1", {}, {"ALTER TABLE t ADD b int"})});
  std::ostringstream out;
  ScriptSink sink(out);
  Recorded recorded;
  history::VersionStore store = Store();
  Executor executor(sink, store, RetryOptions(recorded, 5));
  EXPECT_TRUE(executor.Run(chain.Upgrade({}, "head"), chain.index()).ok());
  EXPECT_TRUE(recorded.sleeps.empty());
}

// ---- resuming a partial migration

history::ProgressRow Done(const migrations::Migration& migration, int statement) {
  auto fingerprint =
      migrations::StatementFingerprint(migration.upgrade[static_cast<size_t>(statement - 1)].text);
  return history::ProgressRow{migration.id,
                              "up",
                              statement,
                              static_cast<int>(migration.upgrade.size()),
                              fingerprint.ok() ? *fingerprint : "",
                              "done",
                              "",
                              ""};
}

TEST(ExecutorResume, APartialMigrationStartsAtTheStatementAfterTheLastDoneOne) {
  Chain chain({MakeMigration(
      "a1", {},
      {"INSERT INTO log VALUES (1)", "INSERT INTO log VALUES (2)", "INSERT INTO log VALUES (3)"},
      {}, /*transactional=*/false)});
  FakeLiveSink sink;
  Recorded recorded;
  history::VersionStore store = Store();
  Options options = RetryOptions(recorded, 0);
  options.track_progress = true;
  Executor executor(sink, store, options);
  executor.SetProgress({Done(chain.Get("a1"), 1), Done(chain.Get("a1"), 2)});

  ASSERT_TRUE(executor.Run(chain.Upgrade({}, "head"), chain.index()).ok());

  EXPECT_EQ(sink.Count("STATEMENT INSERT INTO log VALUES (1)"), 0);
  EXPECT_EQ(sink.Count("STATEMENT INSERT INTO log VALUES (2)"), 0);
  EXPECT_EQ(sink.Count("STATEMENT INSERT INTO log VALUES (3)"), 1);
  EXPECT_NE(recorded.log.str().find("resuming a1 (upgrade) at statement 3 of 3"),
            std::string::npos);
  // Its progress is recorded, then cleared with the bookkeeping.
  EXPECT_NE(sink.Joined().find("INSERT INTO public.retort_progress"), std::string::npos);
  EXPECT_NE(sink.log.back().find("DELETE FROM public.retort_progress"), std::string::npos)
      << sink.log.back();
}

TEST(ExecutorResume, AStatementThatRanMustKeepItsFingerprint) {
  Chain chain({MakeMigration("a1", {}, {"INSERT INTO log VALUES (1)", "SELECT 2"}, {},
                             /*transactional=*/false)});
  migrations::Migration before = chain.Get("a1");
  before.upgrade[0].text = "INSERT INTO log VALUES (100)";
  FakeLiveSink sink;
  history::VersionStore store = Store();
  Options options;
  options.track_progress = true;
  Executor executor(sink, store, options);
  executor.SetProgress({Done(before, 1)});

  Status status = executor.Run(chain.Upgrade({}, "head"), chain.index());

  EXPECT_EQ(status.code(), Code::kInvalidInput);
  EXPECT_TRUE(status.message().starts_with("versions/a1.sql:10:")) << status.message();
  EXPECT_EQ(sink.Count("STATEMENT"), 0);
}

TEST(ExecutorResume, ARunThatDoesNotContinueAPartialMigrationIsRefused) {
  Chain chain({MakeMigration("a1", {}, {"CREATE TABLE t (a int)"}, {"DROP TABLE t"}),
               MakeMigration("b2", {"a1"}, {"SELECT 1", "SELECT 2"}, {}, false)});
  FakeLiveSink sink;
  history::VersionStore store = Store();
  Options options;
  options.track_progress = true;
  Executor executor(sink, store, options);
  executor.SetProgress({Done(chain.Get("b2"), 1)});

  Status status = executor.Run(chain.Downgrade({"a1"}, "base"), chain.index());

  EXPECT_EQ(status.code(), Code::kInvalidInput);
  EXPECT_NE(status.message().find("b2 is partially applied: its upgrade stopped at statement 2 "
                                  "of 2"),
            std::string::npos)
      << status.message();
  EXPECT_TRUE(sink.log.empty());
}

// ---- scripts: backups and batches

std::string Script(const Chain& chain, const revision::Path& plan, Options options) {
  std::ostringstream out;
  ScriptSink sink(out);
  history::VersionStore store = Store();
  Executor executor(sink, store, std::move(options));
  Status status = executor.Run(plan, chain.index());
  EXPECT_TRUE(status.ok()) << status.message();
  return out.str();
}

TEST(ExecutorBackups, ComeRightBeforeTheDestroyingStatementInItsTransaction) {
  Chain chain({MakeMigration("a1", {}, {"CREATE TABLE t (a int)"},
                             {"DELETE FROM t WHERE a > 1", "DROP TABLE t"})});
  Options options;
  options.backup = true;
  options.backup_schema = "keep";
  std::string script = Script(chain, chain.Downgrade({"a1"}, "base"), options);
  size_t backup = script.find("CREATE SCHEMA IF NOT EXISTS keep;");
  size_t drop = script.find("DROP TABLE t;");
  ASSERT_NE(backup, std::string::npos) << script;
  EXPECT_LT(script.find("DELETE FROM t WHERE a > 1;"), backup) << script;
  EXPECT_LT(backup, drop);
  EXPECT_NE(script.find("to_regclass('t')", backup), std::string::npos) << script;
  EXPECT_NE(script.find("'a1', 'down', 'table'", backup), std::string::npos) << script;
  // One transaction: no COMMIT between the backup and the statement.
  EXPECT_EQ(script.substr(backup, drop - backup).find("COMMIT;"), std::string::npos) << script;

  options.backup = false;
  EXPECT_EQ(Script(chain, chain.Downgrade({"a1"}, "base"), options).find("keep"),
            std::string::npos);
}

TEST(ExecutorBatches, AScriptRunsTheBatchedStatementInADoBlockThatCommitsEachBatch) {
  migrations::Migration migration =
      MakeMigration("a1", {},
                    {"UPDATE t SET b = a WHERE id IN (SELECT id FROM t WHERE b IS NULL LIMIT "
                     ":batch_size)"},
                    {}, /*transactional=*/false);
  migration.upgrade_batches[0] = migrations::Batch{500, 250, 5.0, "", 9};
  Chain chain({migration});
  std::string script = Script(chain, chain.Upgrade({}, "head"), Options{});
  EXPECT_NE(script.find("-- batched: runs until it affects no rows, committing after each batch "
                        "of 500; max-lag is not enforced by a script\n"
                        "DO $retort$\nDECLARE\n  affected bigint;\nBEGIN\n  LOOP\n    EXECUTE "
                        "'UPDATE t SET b = a WHERE id IN (SELECT id FROM t WHERE b IS NULL "
                        "LIMIT 500)';\n    GET DIAGNOSTICS affected = ROW_COUNT;\n    COMMIT;\n"
                        "    EXIT WHEN affected = 0;\n    PERFORM pg_sleep(0.250);\n"
                        "  END LOOP;\nEND $retort$;\n"),
            std::string::npos)
      << script;
}

}  // namespace
}  // namespace retort::executor
