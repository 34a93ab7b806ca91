// `retort fleet` against three real PostgreSQL clusters with 20 databases each (60 targets) and a
// schema-per-tenant database of 50 schemas: a full rollout, a canary that fails, a failure
// budget, a kill -9 in the middle of a rollout, the status matrix, drift, and bad input.
//
// The 60 databases are made once for the binary; each test keeps to its own version table
// (v_<test>), revision ids (<test>1, <test>2, ...) and table names (<test>_...), so the tests
// share them without seeing each other. Every migration records itself in <test>_log: a
// migration run twice shows up there as a second row.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "base/files.h"
#include "base/strings.h"
#include "devdb/local_cluster.h"
#include "pg/connection.h"
#include "support/child_processes.h"
#include "support/pg_harness.h"

namespace retort::testing {
namespace {

using Rows = std::vector<std::vector<std::string>>;
using nlohmann::json;

constexpr int kClusters = 3;
constexpr int kDatabasesPerCluster = 20;
constexpr int kTenants = 50;

// A server the targets live on, reached over its unix socket.
struct Server {
  std::string socket_dir;
  int port = 0;
  std::string user;

  std::string Url(const std::string& db) const {
    return "postgresql://" + user + "@/" + db + "?host=" + socket_dir +
           "&port=" + std::to_string(port);
  }
  std::string ConnInfo(const std::string& db) const {
    return "host=" + socket_dir + " port=" + std::to_string(port) + " user=" + user +
           " dbname=" + db;
  }
};

struct Target {
  const Server* server;
  std::string db;
  std::string Url() const { return server->Url(db); }
  std::string ConnInfo() const { return server->ConnInfo(db); }
};

Rows Query(const std::string& conninfo, const std::string& sql) {
  auto connection = pg::Connection::Open(conninfo);
  if (!connection.ok()) {
    ADD_FAILURE() << connection.status().message();
    return {};
  }
  auto result = connection->Execute(sql);
  if (!result.ok()) {
    ADD_FAILURE() << sql << ": " << result.error.ToString();
    return {};
  }
  Rows rows;
  for (int row = 0; row < result.value->rows(); ++row) {
    std::vector<std::string> cells;
    for (int column = 0; column < result.value->columns(); ++column) {
      cells.push_back(result.value->IsNull(row, column) ? "<null>"
                                                        : result.value->Get(row, column));
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

std::string Scalar(const std::string& conninfo, const std::string& sql) {
  Rows rows = Query(conninfo, sql);
  return rows.empty() || rows[0].empty() ? "" : rows[0][0];
}

class Fleet : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    PgHarness* pg = PgHarness::Get();
    if (pg == nullptr) return;
    servers_.push_back({pg->socket_dir(), pg->port(), pg->superuser()});
    extra_clusters_ = new TempDir;
    // The two other clusters start side by side: initdb is most of the set-up's time.
    std::vector<Result<devdb::LocalCluster>> started(kClusters - 1, Status::Failed("not run"));
    std::vector<std::thread> starting;
    for (int c = 1; c < kClusters; ++c) {
      starting.emplace_back([&, c] {
        devdb::ClusterOptions options;
        options.data_dir = extra_clusters_->path() + "/cluster" + std::to_string(c);
        options.throwaway = true;
        options.bin_dir = pg->bin_dir();
        started[c - 1] = devdb::LocalCluster::Ensure(options);
      });
    }
    for (std::thread& thread : starting) thread.join();
    for (auto& cluster : started) {
      if (!cluster.ok()) {
        setup_error_ = cluster.status().message();
        return;
      }
      data_dirs_.push_back(cluster->info().data_dir);
      servers_.push_back({cluster->info().socket_dir, cluster->info().port, cluster->superuser()});
    }
    for (const Server& server : servers_) {
      std::string statements;
      for (int d = 0; d < kDatabasesPerCluster; ++d) {
        std::string db = "fleet_" + std::string(d < 10 ? "0" : "") + std::to_string(d);
        statements += "CREATE DATABASE " + db + " STRATEGY = FILE_COPY;";
        targets_.push_back({&server, db});
      }
      auto connection = pg::Connection::Open(server.ConnInfo("postgres"));
      if (!connection.ok()) {
        setup_error_ = connection.status().message();
        return;
      }
      // CREATE DATABASE cannot run in a transaction block: one statement at a time.
      for (const std::string& statement : Split(statements, ';')) {
        if (statement.empty()) continue;
        auto created = connection->Execute(statement);
        if (!created.ok()) {
          setup_error_ = created.error.ToString();
          return;
        }
      }
    }
    // The schema-per-tenant database: 50 schemas and the registry that lists them.
    std::string tenants_db = pg->CreateDatabase("tenants");
    tenants_ = {&servers_[0], tenants_db};
    std::string sql = "CREATE TABLE registry (schema_name text PRIMARY KEY);";
    for (int t = 0; t < kTenants; ++t) {
      std::string schema = "tenant_" + std::string(t < 10 ? "0" : "") + std::to_string(t);
      sql += "CREATE SCHEMA " + schema + "; INSERT INTO registry VALUES ('" + schema + "');";
    }
    Query(tenants_.ConnInfo(), sql);
  }

  static void TearDownTestSuite() {
    for (const std::string& data_dir : data_dirs_) (void)devdb::LocalCluster::Stop(data_dir);
    delete extra_clusters_;
    extra_clusters_ = nullptr;
  }

  void SetUp() override {
    RETORT_REQUIRE_PG(pg);
    ASSERT_EQ(setup_error_, "");
    ASSERT_EQ(targets_.size(), static_cast<size_t>(kClusters * kDatabasesPerCluster));
  }

  static std::vector<Server> servers_;
  static std::vector<Target> targets_;
  static Target tenants_;
  static TempDir* extra_clusters_;
  static std::vector<std::string> data_dirs_;
  static std::string setup_error_;
};

std::vector<Server> Fleet::servers_;
std::vector<Target> Fleet::targets_;
Target Fleet::tenants_;
TempDir* Fleet::extra_clusters_ = nullptr;
std::vector<std::string> Fleet::data_dirs_;
std::string Fleet::setup_error_;

// A project whose names all start with `name`: version table v_<name>, revisions <name>1..,
// tables <name>_..., and <name>_log where each migration records that it ran.
class FleetProject {
 public:
  FleetProject(std::string name, const std::string& targets_toml) : name_(std::move(name)) {
    PgHarness* pg = PgHarness::Get();
    dir_.Write("retort.toml", "[migrations]\nversion_table = \"v_" + name_ +
                                  "\"\nlock_timeout = \"60s\"\n\n[schema]\npaths = []\n"
                                  "dev_url = \"" +
                                  pg->Url("postgres") + "\"\n\n" + targets_toml);
  }

  std::string Rev(int number) const { return name_ + std::to_string(number); }
  std::string Table(const std::string& suffix) const { return name_ + "_" + suffix; }

  // Migration `number` revises number - 1; it runs `upgrade` and records itself in the log.
  void Write(int number, const std::string& upgrade, const std::string& downgrade) const {
    std::string log = Table("log");
    std::string text =
        "-- retort:revision " + Rev(number) + "\n-- retort:revises " +
        (number == 1 ? std::string("none") : Rev(number - 1)) + "\n-- retort:message step " +
        std::to_string(number) + "\n\n-- retort:upgrade\n" +
        (number == 1 ? "CREATE TABLE " + log + " (revision text NOT NULL);\n" : "") + upgrade +
        "\nINSERT INTO " + log + " VALUES ('" + Rev(number) +
        "');\n\n-- retort:downgrade\nDELETE FROM " + log + " WHERE revision = '" + Rev(number) +
        "';\n" + downgrade + "\n" + (number == 1 ? "DROP TABLE " + log + ";\n" : "");
    dir_.Write("migrations/versions/" + Rev(number) + ".sql", text);
  }

  // Three migrations: two tables, then a column and an index.
  void WriteStandardChain() const {
    Write(1, "CREATE TABLE " + Table("users") + " (id int PRIMARY KEY);",
          "DROP TABLE " + Table("users") + ";");
    Write(2,
          "CREATE TABLE " + Table("items") + " (id int PRIMARY KEY, owner int REFERENCES " +
              Table("users") + " ON DELETE CASCADE);",
          "DROP TABLE " + Table("items") + ";");
    Write(3,
          "ALTER TABLE " + Table("users") + " ADD COLUMN email text;\nCREATE INDEX " +
              Table("users_email") + " ON " + Table("users") + " (email);",
          "DROP INDEX " + Table("users_email") + ";\nALTER TABLE " + Table("users") +
              " DROP COLUMN email;");
  }

  CommandOutput Run(const std::vector<std::string>& args) const {
    return RunRetort(args, dir_.path());
  }
  std::vector<std::string> Argv(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {RetortBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  // The target's version rows ("" when the table or its row is missing).
  std::string VersionOf(const std::string& conninfo, const std::string& schema = "public") const {
    std::string table = schema + ".v_" + name_;
    if (Scalar(conninfo, "SELECT to_regclass('" + table + "') IS NULL") == "t") return "";
    return Scalar(conninfo, "SELECT coalesce(string_agg(version_num, ','), '') FROM " + table);
  }
  // {revision, times it ran} from the target's log; empty when the log table is missing.
  Rows RunsOf(const std::string& conninfo, const std::string& schema = "public") const {
    std::string log = schema + "." + Table("log");
    if (Scalar(conninfo, "SELECT to_regclass('" + log + "') IS NULL") == "t") return {};
    return Query(conninfo,
                 "SELECT revision, count(*)::text FROM " + log + " GROUP BY 1 ORDER BY 1");
  }
  Rows OncePerRevision(int count) const {
    Rows rows;
    for (int number = 1; number <= count; ++number) rows.push_back({Rev(number), "1"});
    return rows;
  }

  const std::string& path() const { return dir_.path(); }

 private:
  std::string name_;
  TempDir dir_;
};

// The text table's rows, each split into its cells (columns are two or more blanks apart).
Rows TableCells(const std::string& text) {
  Rows rows;
  for (const std::string& line : Split(text, '\n')) {
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::regex separator("  +");
    for (std::sregex_token_iterator cell(line.begin(), line.end(), separator, -1), end; cell != end;
         ++cell) {
      cells.push_back(*cell);
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

std::string TargetsFileToml(const std::string& group, const std::string& settings) {
  return "[[targets]]\nname = \"" + group + "\"\nfile = \"fleet/" + group + ".txt\"\n" + settings;
}

void WriteTargetsFile(const FleetProject& project, const std::string& group,
                      const std::vector<Target>& targets) {
  std::string lines = "# one database a line\n";
  for (const Target& target : targets) lines += target.Url() + "\n";
  ASSERT_TRUE(MakeDirectories(JoinPath(project.path(), "fleet")).ok());
  ASSERT_TRUE(WriteFile(JoinPath(project.path(), "fleet/" + group + ".txt"), lines).ok());
}

// ---------------------------------------------------------------------------------------------

TEST_F(Fleet, FullRolloutReachesEveryTargetOnceAndStatusShowsTheMatrix) {
  FleetProject project("full", TargetsFileToml("all", "canary = 2\nwidth = 8\n"));
  WriteTargetsFile(project, "all", targets_);
  project.WriteStandardChain();
  std::string junit = project.path() + "/fleet.xml";

  CommandOutput upgraded = project.Run({"fleet", "upgrade", "all", "--junit", junit});
  ASSERT_EQ(upgraded.exit_code, 0) << Describe(upgraded);
  for (const Target& target : targets_) {
    EXPECT_EQ(project.VersionOf(target.ConnInfo()), "full3") << target.Url();
    EXPECT_EQ(project.RunsOf(target.ConnInfo()), project.OncePerRevision(3)) << target.Url();
  }
  // The canaries finished before any other target started: theirs are the first two lines.
  std::vector<std::string> log = Split(upgraded.err, '\n');
  ASSERT_GE(log.size(), 2u);
  EXPECT_NE(log[0].find("[1/60] canary " + targets_[0].Url() + ": upgraded 3 migrations"),
            std::string::npos)
      << upgraded.err;
  EXPECT_NE(log[1].find("[2/60] canary " + targets_[1].Url()), std::string::npos) << upgraded.err;
  Rows table = TableCells(upgraded.out);
  ASSERT_EQ(table.size(), 62u) << upgraded.out;
  EXPECT_EQ(table[0],
            (std::vector<std::string>{"TARGET", "SCHEMA", "OUTCOME", "RAN", "NOW AT", "ERROR"}));
  for (size_t i = 0; i < targets_.size(); ++i) {
    EXPECT_EQ(table[i + 1],
              (std::vector<std::string>{targets_[i].Url(), "-", i < 2 ? "canary moved" : "moved",
                                        "full1,full2,full3", "full3", "-"}));
  }
  EXPECT_EQ(table.back(),
            (std::vector<std::string>{"fleet all: upgrade head, 60 targets: 60 moved"}));
  Result<std::string> xml = ReadFile(junit);
  ASSERT_TRUE(xml.ok());
  EXPECT_NE(xml->find("tests=\"60\" failures=\"0\""), std::string::npos) << *xml;

  // A second run finds every target there, with one read each.
  CommandOutput again = project.Run({"fleet", "upgrade", "all", "--format", "json"});
  ASSERT_EQ(again.exit_code, 0) << Describe(again);
  json report = json::parse(again.out);
  ASSERT_EQ(report["targets"].size(), 60u);
  for (const json& target : report["targets"]) {
    EXPECT_EQ(target["outcome"], "already_there");
    EXPECT_EQ(target["ran"], json::array());
  }

  // Down one step everywhere; status shows each target one behind the head.
  CommandOutput relative = project.Run({"fleet", "downgrade", "all", "-1"});
  EXPECT_EQ(relative.exit_code, 2) << Describe(relative);
  EXPECT_NE(relative.err.find("would move the targets that finished once more"), std::string::npos)
      << relative.err;
  CommandOutput downgraded = project.Run({"fleet", "downgrade", "all", "full2", "--width", "4"});
  ASSERT_EQ(downgraded.exit_code, 0) << Describe(downgraded);
  CommandOutput status = project.Run({"fleet", "status", "all"});
  ASSERT_EQ(status.exit_code, 0) << Describe(status);
  Rows matrix = TableCells(status.out);
  Rows expected = {{"fleet all: 60 targets, heads full3"},
                   {"TARGET", "SCHEMA", "REVISION", "PENDING", "DRIFT", "LAST ERROR"}};
  for (const Target& target : targets_)
    expected.push_back({target.Url(), "-", "full2", "1", "-", "-"});
  expected.push_back({"REVISION", "TARGETS"});
  expected.push_back({"full2", "60"});
  EXPECT_EQ(matrix, expected) << status.out;
  for (const Target& target : targets_) {
    EXPECT_EQ(project.RunsOf(target.ConnInfo()), project.OncePerRevision(2)) << target.Url();
  }
}

TEST_F(Fleet, SchemaPerTenantGroupKeepsEachTenantsVersionTableInItsSchema) {
  FleetProject project("tenancy",
                       "[[targets]]\nname = \"tenants\"\nquery = \"SELECT schema_name "
                       "AS schema FROM registry ORDER BY 1\"\nregistry_url = \"" +
                           tenants_.Url() + "\"\nwidth = 8\n");
  project.WriteStandardChain();
  CommandOutput upgraded = project.Run({"fleet", "upgrade", "tenants"});
  ASSERT_EQ(upgraded.exit_code, 0) << Describe(upgraded);
  std::string conninfo = tenants_.ConnInfo();
  for (int t = 0; t < kTenants; ++t) {
    std::string schema = "tenant_" + std::string(t < 10 ? "0" : "") + std::to_string(t);
    EXPECT_EQ(project.VersionOf(conninfo, schema), "tenancy3") << schema;
    EXPECT_EQ(project.RunsOf(conninfo, schema), project.OncePerRevision(3)) << schema;
  }
  // Nothing went to public: each tenant's search_path starts with its own schema.
  EXPECT_EQ(Scalar(conninfo,
                   "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND "
                   "tablename LIKE 'tenancy%'"),
            "0");
  EXPECT_EQ(Scalar(conninfo, "SELECT count(*) FROM pg_tables WHERE tablename = 'v_tenancy'"), "50");

  CommandOutput status = project.Run({"fleet", "status", "tenants", "--format", "json"});
  ASSERT_EQ(status.exit_code, 0) << Describe(status);
  json report = json::parse(status.out);
  EXPECT_EQ(report["heads"], json::array({"tenancy3"}));
  ASSERT_EQ(report["targets"].size(), static_cast<size_t>(kTenants));
  for (size_t t = 0; t < report["targets"].size(); ++t) {
    const json& target = report["targets"][t];
    EXPECT_EQ(target["target"], tenants_.Url());
    EXPECT_EQ(target["schema"], "tenant_" + std::string(t < 10 ? "0" : "") + std::to_string(t));
    EXPECT_EQ(target["listed_at"], "registry row " + std::to_string(t + 1));
    EXPECT_EQ(target["rows"], json::array({"tenancy3"}));
    EXPECT_EQ(target["at_heads"], true);
    EXPECT_EQ(target["pending"], 0);
  }

  // A tenant the registry lists but whose schema is missing fails by name, and nothing of it
  // lands in public.
  Query(conninfo, "INSERT INTO registry VALUES ('tenant_zz_missing')");
  CommandOutput missing = project.Run({"fleet", "upgrade", "tenants"});
  Query(conninfo, "DELETE FROM registry WHERE schema_name = 'tenant_zz_missing'");
  EXPECT_EQ(missing.exit_code, 1) << Describe(missing);
  EXPECT_NE(missing.err.find("schema tenant_zz_missing does not exist"), std::string::npos)
      << missing.err;
  EXPECT_EQ(Scalar(conninfo,
                   "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND "
                   "tablename LIKE '%tenancy%'"),
            "0");

  // Drift compares whole databases: schema targets are refused by name, not compared wrongly.
  CommandOutput drift = project.Run({"fleet", "drift", "tenants"});
  EXPECT_EQ(drift.exit_code, 2) << Describe(drift);
  EXPECT_NE(drift.err.find("has schema targets"), std::string::npos) << drift.err;
}

// A group's search_path is what its schema targets' sessions get, and --no-backup reaches each
// target's run: two groups over two tenants of one database, the same migrations.
TEST_F(Fleet, TheGroupsSearchPathAndNoBackupReachEveryTarget) {
  FleetProject project(
      "spath",
      "[[targets]]\nname = \"one\"\nsearch_path = \"{schema}, pg_catalog\"\nurls = [{ url "
      "= \"" +
          tenants_.Url() +
          "\", schema = \"tenant_00\" }]\n\n[[targets]]\nname = "
          "\"two\"\nurls = [{ url = \"" +
          tenants_.Url() + "\", schema = \"tenant_01\" }]\n");
  project.Write(1,
                "CREATE TABLE spath_paths (path text);\nINSERT INTO spath_paths SELECT "
                "current_setting('search_path');\nCREATE TABLE spath_old AS SELECT 1 AS id;",
                "DROP TABLE spath_paths;");
  project.Write(2, "DROP TABLE spath_old;", "CREATE TABLE spath_old AS SELECT 1 AS id;");
  CommandOutput one = project.Run({"fleet", "upgrade", "one", "--no-backup"});
  ASSERT_EQ(one.exit_code, 0) << Describe(one);
  CommandOutput two = project.Run({"fleet", "upgrade", "two"});
  ASSERT_EQ(two.exit_code, 0) << Describe(two);
  std::string conninfo = tenants_.ConnInfo();
  EXPECT_EQ(Scalar(conninfo, "SELECT path FROM tenant_00.spath_paths"), "tenant_00, pg_catalog");
  EXPECT_EQ(Scalar(conninfo, "SELECT path FROM tenant_01.spath_paths"), "tenant_01, public");
  // The dropped table's rows were copied aside for the target run without --no-backup only.
  EXPECT_EQ(Query(conninfo,
                  "SELECT schema_name, table_name FROM retort_backup.backups WHERE "
                  "revision = 'spath2' ORDER BY 1"),
            (Rows{{"tenant_01", "spath_old"}}));
}

TEST_F(Fleet, ACanaryFailureStopsEverything) {
  FleetProject project("canary", TargetsFileToml("all", "width = 8\n"));
  WriteTargetsFile(project, "all", targets_);
  project.WriteStandardChain();
  // The first target already has what the second migration creates.
  Query(targets_[0].ConnInfo(), "CREATE TABLE canary_items (id int)");
  CommandOutput run = project.Run({"fleet", "upgrade", "all"});
  Query(targets_[0].ConnInfo(), "DROP TABLE canary_items");
  EXPECT_EQ(run.exit_code, 1) << Describe(run);
  EXPECT_NE(run.err.find("canary " + targets_[0].Url() + " failed"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("no other target of 'all' was started"), std::string::npos) << run.err;
  // The canary stopped at its last good migration; no other target was touched.
  EXPECT_EQ(project.VersionOf(targets_[0].ConnInfo()), "canary1");
  for (size_t i = 1; i < targets_.size(); ++i) {
    EXPECT_EQ(Scalar(targets_[i].ConnInfo(), "SELECT to_regclass('v_canary') IS NULL"), "t")
        << targets_[i].Url();
  }
  CommandOutput status = project.Run({"fleet", "status", "all"});
  ASSERT_EQ(status.exit_code, 0) << Describe(status);
  Rows matrix = TableCells(status.out);
  ASSERT_EQ(matrix.size(), 65u) << status.out;
  ASSERT_EQ(matrix[2].size(), 6u) << status.out;
  EXPECT_EQ((std::vector<std::string>(matrix[2].begin(), matrix[2].begin() + 5)),
            (std::vector<std::string>{targets_[0].Url(), "-", "canary1", "2", "-"}));
  EXPECT_NE(matrix[2][5].find("relation \"canary_items\" already exists"), std::string::npos)
      << status.out;
  for (size_t i = 1; i < targets_.size(); ++i) {
    EXPECT_EQ(matrix[i + 2],
              (std::vector<std::string>{targets_[i].Url(), "-", "base", "3", "-", "-"}));
  }
  EXPECT_EQ(matrix[62], (std::vector<std::string>{"REVISION", "TARGETS"}));
  EXPECT_EQ(matrix[63], (std::vector<std::string>{"base", "59"}));
  EXPECT_EQ(matrix[64], (std::vector<std::string>{"canary1", "1"}));
}

TEST_F(Fleet, TheFailureBudgetStopsTheRolloutAndARerunFinishesIt) {
  // One at a time, so which targets ran is exact: targets 5 and 9 (1-based) hold a table the
  // first migration creates; after the second failure nothing new starts.
  FleetProject project("budget", TargetsFileToml("all", "width = 1\nmax_failures = 2\n"));
  WriteTargetsFile(project, "all", targets_);
  project.WriteStandardChain();
  for (size_t conflicting : {4u, 8u}) {
    Query(targets_[conflicting].ConnInfo(), "CREATE TABLE budget_users (id int)");
  }
  CommandOutput run = project.Run({"fleet", "upgrade", "all", "--format", "json"});
  EXPECT_EQ(run.exit_code, 1) << Describe(run);
  EXPECT_NE(run.err.find("2 of 60 targets failed"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("51 targets were not started"), std::string::npos) << run.err;
  json report = json::parse(run.out);
  for (size_t i = 0; i < targets_.size(); ++i) {
    std::string outcome = i == 4 || i == 8 ? "failed" : i < 9 ? "moved" : "not_started";
    EXPECT_EQ(report["targets"][i]["outcome"], outcome) << i;
    EXPECT_EQ(project.VersionOf(targets_[i].ConnInfo()), outcome == "moved" ? "budget3" : "") << i;
  }
  for (size_t conflicting : {4u, 8u}) {
    Query(targets_[conflicting].ConnInfo(), "DROP TABLE budget_users");
  }
  // The re-run finishes the rollout; the targets that were there are skipped, and no migration
  // ran twice anywhere.
  CommandOutput rerun =
      project.Run({"fleet", "upgrade", "all", "--format", "json", "--width", "8"});
  ASSERT_EQ(rerun.exit_code, 0) << Describe(rerun);
  report = json::parse(rerun.out);
  for (size_t i = 0; i < targets_.size(); ++i) {
    bool was_there = i < 9 && i != 4 && i != 8;
    EXPECT_EQ(report["targets"][i]["outcome"], was_there ? "already_there" : "moved") << i;
    EXPECT_EQ(project.RunsOf(targets_[i].ConnInfo()), project.OncePerRevision(3)) << i;
  }
  // The fleet log forgets an error once the target succeeds.
  CommandOutput status = project.Run({"fleet", "status", "all", "--format", "json"});
  ASSERT_EQ(status.exit_code, 0) << Describe(status);
  json final_status = json::parse(status.out);
  for (const json& target : final_status["targets"]) {
    EXPECT_EQ(target["last_error"], "");
    EXPECT_EQ(target["at_heads"], true);
  }
}

TEST_F(Fleet, KillNineInTheMiddleOfARolloutThenARerunAppliesEachMigrationOnce) {
  FleetProject project("kill", TargetsFileToml("all", "width = 4\n"));
  WriteTargetsFile(project, "all", targets_);
  project.Write(1, "CREATE TABLE kill_a (id int);", "DROP TABLE kill_a;");
  // The second migration waits for an advisory lock that the test holds on some targets: the
  // rollout stalls with four targets in the middle of a migration.
  project.Write(2, "SELECT pg_advisory_xact_lock(4242);\nCREATE TABLE kill_b (id int);",
                "DROP TABLE kill_b;");
  project.Write(3, "CREATE TABLE kill_c (id int);", "DROP TABLE kill_c;");
  std::vector<pg::Connection> holders;
  for (size_t i = 20; i < 28; ++i) {
    auto holder = pg::Connection::Open(targets_[i].ConnInfo());
    ASSERT_TRUE(holder.ok());
    ASSERT_TRUE(holder->Execute("SELECT pg_advisory_lock(4242)").ok());
    holders.push_back(std::move(holder).value());
  }
  TempDir logs;
  ChildProcesses children(logs.path());
  int fleet = children.Start(project.Argv({"fleet", "upgrade", "all"}), project.path());
  children.Release();
  std::string waiting_sql =
      "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted";
  ASSERT_TRUE(Eventually([&] {
    return Scalar(servers_[1].ConnInfo("postgres"), waiting_sql) == "4";
  })) << "the rollout never stalled on the held locks";
  ASSERT_EQ(::kill(children.pid(fleet), SIGKILL), 0);
  ChildResult killed = children.Wait(fleet);
  EXPECT_EQ(killed.exit_code, 128 + SIGKILL) << killed.err;
  holders.clear();  // releases the locks

  CommandOutput rerun = project.Run({"fleet", "upgrade", "all", "--width", "8"});
  ASSERT_EQ(rerun.exit_code, 0) << Describe(rerun);
  for (const Target& target : targets_) {
    EXPECT_EQ(project.VersionOf(target.ConnInfo()), "kill3") << target.Url();
    EXPECT_EQ(project.RunsOf(target.ConnInfo()), project.OncePerRevision(3)) << target.Url();
    EXPECT_EQ(Scalar(target.ConnInfo(),
                     "SELECT count(*) FROM retort_history WHERE revision LIKE "
                     "'kill%' AND direction = 'up'"),
              "3")
        << target.Url();
  }
}

TEST_F(Fleet, DryRunListsWhatEachTargetWouldRunAndChangesNothing) {
  std::vector<Target> some(targets_.begin(), targets_.begin() + 3);
  FleetProject project("dry", TargetsFileToml("some", ""));
  WriteTargetsFile(project, "some", some);
  project.WriteStandardChain();
  CommandOutput run = project.Run({"fleet", "upgrade", "some", "--dry-run"});
  ASSERT_EQ(run.exit_code, 0) << Describe(run);
  Rows table = TableCells(run.out);
  ASSERT_EQ(table.size(), 5u) << run.out;
  EXPECT_EQ(table[0][3], "WOULD RUN");
  for (size_t i = 0; i < some.size(); ++i) {
    EXPECT_EQ(table[i + 1], (std::vector<std::string>{some[i].Url(), "-",
                                                      i == 0 ? "canary would_move" : "would_move",
                                                      "dry1,dry2,dry3", "dry3", "-"}));
    EXPECT_EQ(Scalar(some[i].ConnInfo(), "SELECT to_regclass('v_dry') IS NULL"), "t");
  }
}

TEST_F(Fleet, DriftAndCheckNameTheTargetChangedOutOfBand) {
  // Drift compares whole databases: this test gets three of its own, one per cluster.
  std::vector<Target> some;
  for (const Server& server : servers_) {
    Query(server.ConnInfo("postgres"), "CREATE DATABASE drift_own STRATEGY = FILE_COPY");
    some.push_back({&server, "drift_own"});
  }
  FleetProject project("drift", TargetsFileToml("some", ""));
  WriteTargetsFile(project, "some", some);
  project.WriteStandardChain();
  ASSERT_EQ(project.Run({"fleet", "upgrade", "some"}).exit_code, 0);
  CommandOutput clean = project.Run({"fleet", "check", "some"});
  EXPECT_EQ(clean.exit_code, 0) << Describe(clean);

  Query(some[1].ConnInfo(), "ALTER TABLE drift_items ADD COLUMN note text");
  CommandOutput drift = project.Run({"fleet", "drift", "some"});
  Query(some[1].ConnInfo(), "ALTER TABLE drift_items DROP COLUMN note");
  EXPECT_EQ(drift.exit_code, 3) << Describe(drift);
  EXPECT_NE(drift.err.find("drifted: " + some[1].Url()), std::string::npos) << drift.err;
  Rows table = TableCells(drift.out.substr(0, drift.out.find("\n\n")));
  EXPECT_EQ(table, (Rows{{"TARGET", "REVISION", "DRIFT", "ERROR"},
                         {some[0].Url(), "drift3", "none", "-"},
                         {some[1].Url(), "drift3", "drifted", "-"},
                         {some[2].Url(), "drift3", "none", "-"}}));
  EXPECT_NE(drift.out.find("ALTER TABLE public.drift_items ADD COLUMN note text"),
            std::string::npos)
      << drift.out;
  // status shows the last drift check per target.
  CommandOutput status = project.Run({"fleet", "status", "some", "--format", "json"});
  json targets = json::parse(status.out)["targets"];
  EXPECT_EQ(targets[0]["drift"], "none");
  EXPECT_EQ(targets[1]["drift"], "drifted");

  // check wants every target at the heads too.
  ASSERT_EQ(project.Run({"fleet", "downgrade", "some", "drift2", "--canary", "0"}).exit_code, 0);
  CommandOutput behind = project.Run({"fleet", "check", "some"});
  EXPECT_EQ(behind.exit_code, 3) << Describe(behind);
  EXPECT_NE(behind.err.find("not at drift3"), std::string::npos) << behind.err;
}

TEST_F(Fleet, BadInputIsRefusedByNameBeforeAnyTargetIsTouched) {
  std::vector<Target> some(targets_.begin(), targets_.begin() + 2);
  FleetProject project("bad", TargetsFileToml("some", "") +
                                  "\n[[targets]]\nname = \"secret\"\nurls = [\"postgresql://"
                                  "app:hunter2@127.0.0.1:1/nowhere?connect_timeout=2\"]\n");
  WriteTargetsFile(project, "some", some);
  project.WriteStandardChain();

  CommandOutput unknown = project.Run({"fleet", "upgrade", "sone"});
  EXPECT_EQ(unknown.exit_code, 2) << Describe(unknown);
  EXPECT_NE(unknown.err.find("no target group 'sone'"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("did you mean 'some'?"), std::string::npos) << unknown.err;

  for (const char* verb : {"upgrade", "downgrade"}) {
    CommandOutput revision = project.Run({"fleet", verb, "some", "nosuchrev"});
    EXPECT_EQ(revision.exit_code, 2) << Describe(revision);
    EXPECT_EQ(revision.out, "") << Describe(revision);
  }

  // A bad line in the targets file is named with its line, and nothing runs.
  ASSERT_TRUE(WriteFile(JoinPath(project.path(), "fleet/some.txt"),
                        some[0].Url() + "\n\nmysql://app@db/app\n")
                  .ok());
  CommandOutput bad_line = project.Run({"fleet", "upgrade", "some"});
  EXPECT_EQ(bad_line.exit_code, 2) << Describe(bad_line);
  EXPECT_NE(bad_line.err.find("fleet/some.txt:3: "), std::string::npos) << bad_line.err;
  EXPECT_EQ(Scalar(some[0].ConnInfo(), "SELECT to_regclass('v_bad') IS NULL"), "t");

  ASSERT_TRUE(WriteFile(JoinPath(project.path(), "fleet/some.txt"),
                        some[0].Url() + "\n" + some[0].Url() + "\n")
                  .ok());
  CommandOutput twice = project.Run({"fleet", "upgrade", "some"});
  EXPECT_EQ(twice.exit_code, 2) << Describe(twice);
  EXPECT_NE(twice.err.find("fleet/some.txt:2: " + some[0].Url() + " is listed twice (also "),
            std::string::npos)
      << twice.err;

  // An unreachable target with a password: reported, never printed.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"fleet", "status", "secret"},
        std::vector<std::string>{"fleet", "upgrade", "secret"},
        std::vector<std::string>{"fleet", "status", "secret", "--format", "json"}}) {
    CommandOutput output = project.Run(args);
    EXPECT_EQ(output.out.find("hunter2"), std::string::npos) << output.out;
    EXPECT_EQ(output.err.find("hunter2"), std::string::npos) << output.err;
    EXPECT_NE((output.out + output.err).find("app:****@127.0.0.1:1/nowhere"), std::string::npos)
        << Describe(output);
  }
  EXPECT_EQ(project.Run({"fleet", "upgrade", "secret"}).exit_code, 1);
  CommandOutput unreadable = project.Run({"fleet", "status", "secret"});
  EXPECT_EQ(unreadable.exit_code, 1) << Describe(unreadable);
  EXPECT_NE(unreadable.err.find("could not read 1 of 1 targets: postgresql://app:****@"),
            std::string::npos)
      << unreadable.err;
  Result<std::string> fleet_log = ReadFile(JoinPath(project.path(), ".retort/fleet/secret.json"));
  ASSERT_TRUE(fleet_log.ok()) << fleet_log.status().message();
  EXPECT_EQ(fleet_log->find("hunter2"), std::string::npos) << *fleet_log;
  EXPECT_NE(fleet_log->find("app:****@127.0.0.1:1/nowhere"), std::string::npos) << *fleet_log;
}

}  // namespace
}  // namespace retort::testing
