// LocalCluster against real PostgreSQL servers (one per test, each in its own temp dir), and
// the harness helpers every integration test relies on.
#include "devdb/local_cluster.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <thread>

#include "base/files.h"
#include "pg/connection.h"
#include "support/pg_harness.h"

namespace retort::devdb {
namespace {

using ::retort::testing::CommandOutput;
using ::retort::testing::RunProgram;
using ::retort::testing::TempDir;

// True once `pid` has exited. A zombie counts: the postmaster is not our child, and init in
// some containers never reaps it.
bool ProcessGone(int pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
  auto stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (!stat.ok()) return true;
  size_t paren = stat->rfind(')');
  return paren != std::string::npos && paren + 2 < stat->size() &&
         ((*stat)[paren + 2] == 'Z' || (*stat)[paren + 2] == 'X');
}

// Polls the process state (not a timed wait for something to happen) with an upper bound.
bool WaitUntilGone(int pid) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!ProcessGone(pid)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

std::string QueryOne(const std::string& conninfo, const std::string& sql) {
  auto connection = pg::Connection::Open(conninfo);
  if (!connection.ok()) return "connect failed: " + connection.status().message();
  auto result = connection->Query(sql);
  if (!result.ok()) return "query failed: " + result.status().message();
  return result->rows() > 0 ? result->Get(0, 0) : "<no rows>";
}

// A TCP socket listening on 127.0.0.1 (on `port`, or a free one) while it lives.
class ListeningSocket {
 public:
  explicit ListeningSocket(int port = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    socklen_t length = sizeof address;
    if (fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::listen(fd_, 1) == 0 &&
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port_ = ntohs(address.sin_port);
    }
  }
  ~ListeningSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  ListeningSocket(const ListeningSocket&) = delete;
  ListeningSocket& operator=(const ListeningSocket&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

class LocalClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto bin_dir = LocalCluster::FindBinDir();
    if (!bin_dir.ok()) {
      if (::retort::testing::InCi()) FAIL() << bin_dir.status().message();
      GTEST_SKIP() << bin_dir.status().message();
    }
  }

  // Every cluster a test makes is stopped when it ends, pass or fail.
  void TearDown() override {
    for (const std::string& dir : data_dirs_) {
      Status stopped = LocalCluster::Stop(dir);
      EXPECT_TRUE(stopped.ok()) << stopped.message();
    }
  }

  ClusterOptions Options(const std::string& name, bool listen_tcp = false) {
    ClusterOptions options;
    options.data_dir = JoinPath(temp_.path(), name);
    options.listen_tcp = listen_tcp;
    data_dirs_.push_back(options.data_dir);
    return options;
  }

  TempDir temp_;
  std::vector<std::string> data_dirs_;
};

TEST_F(LocalClusterTest, EnsureTwiceAttachesToTheRunningServer) {
  ClusterOptions options = Options("data");
  auto first = LocalCluster::Ensure(options);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(first->info().initialised);
  EXPECT_TRUE(first->info().running);
  EXPECT_GT(first->info().pid, 0);
  EXPECT_GT(first->info().port, 0);

  auto second = LocalCluster::Ensure(options);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->info().pid, first->info().pid);
  EXPECT_EQ(second->info().port, first->info().port);
  EXPECT_EQ(second->info().socket_dir, first->info().socket_dir);
}

TEST_F(LocalClusterTest, ConnInfoAndTcpUrlBothConnect) {
  auto cluster = LocalCluster::Ensure(Options("data", /*listen_tcp=*/true));
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  for (const std::string& target : {cluster->ConnInfo(), cluster->TcpUrl()}) {
    auto connection = pg::Connection::Open(target);
    ASSERT_TRUE(connection.ok()) << target << ": " << connection.status().message();
    auto one = connection->Query("SELECT 1");
    ASSERT_TRUE(one.ok()) << one.status().message();
    EXPECT_EQ(one->Get(0, 0), "1");
    EXPECT_EQ(connection->User(), cluster->superuser());
  }
  EXPECT_EQ(QueryOne(cluster->ConnInfo(), "SHOW listen_addresses"), "127.0.0.1");
}

TEST_F(LocalClusterTest, SocketOnlyClusterDoesNotListenOnTcp) {
  auto cluster = LocalCluster::Ensure(Options("data"));
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  EXPECT_EQ(QueryOne(cluster->ConnInfo(), "SHOW listen_addresses"), "");
  struct stat socket_dir {};
  ASSERT_EQ(::stat(cluster->info().socket_dir.c_str(), &socket_dir), 0);
  EXPECT_EQ(socket_dir.st_mode & 0777, 0700u);
}

TEST_F(LocalClusterTest, ThrowawaySettingsAreInEffectOnlyWhenAsked) {
  ClusterOptions options = Options("data");
  auto cluster = LocalCluster::Ensure(options);
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  std::string conninfo = cluster->ConnInfo();
  EXPECT_EQ(QueryOne(conninfo, "SHOW fsync"), "off");
  EXPECT_EQ(QueryOne(conninfo, "SHOW synchronous_commit"), "off");
  EXPECT_EQ(QueryOne(conninfo, "SHOW full_page_writes"), "off");
  EXPECT_EQ(QueryOne(conninfo, "SHOW max_connections"), "200");
  EXPECT_EQ(QueryOne(conninfo, "SHOW max_locks_per_transaction"), "1024");

  ASSERT_TRUE(LocalCluster::Stop(options.data_dir).ok());
  options.throwaway = false;
  auto durable = LocalCluster::Ensure(options);
  ASSERT_TRUE(durable.ok()) << durable.status().message();
  EXPECT_EQ(QueryOne(durable->ConnInfo(), "SHOW fsync"), "on");
  EXPECT_EQ(QueryOne(durable->ConnInfo(), "SHOW full_page_writes"), "on");
}

TEST_F(LocalClusterTest, StopThenInspectThenEnsureRestartsOnTheSamePort) {
  ClusterOptions options = Options("data");
  auto cluster = LocalCluster::Ensure(options);
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  const ClusterInfo running = cluster->info();

  ASSERT_TRUE(LocalCluster::Stop(options.data_dir).ok());
  EXPECT_TRUE(WaitUntilGone(running.pid));
  ClusterInfo stopped = LocalCluster::Inspect(options.data_dir);
  EXPECT_TRUE(stopped.initialised);
  EXPECT_FALSE(stopped.running);
  EXPECT_EQ(stopped.pid, 0);
  EXPECT_EQ(stopped.port, running.port);  // read back from the settings, nothing started
  EXPECT_EQ(stopped.socket_dir, running.socket_dir);
  EXPECT_TRUE(PathExists(stopped.log_file));
  EXPECT_TRUE(LocalCluster::Stop(options.data_dir).ok()) << "Stop must be idempotent";

  auto restarted = LocalCluster::Ensure(options);
  ASSERT_TRUE(restarted.ok()) << restarted.status().message();
  EXPECT_TRUE(restarted->info().running);
  EXPECT_EQ(restarted->info().port, running.port);
  EXPECT_EQ(QueryOne(restarted->ConnInfo(), "SELECT 1"), "1");
}

TEST_F(LocalClusterTest, RecoversAfterThePostmasterIsKilled) {
  ClusterOptions options = Options("data");
  // Durable settings, as the embedded database uses: a throwaway cluster may lose the last
  // commits (synchronous_commit = off) when killed.
  options.throwaway = false;
  auto cluster = LocalCluster::Ensure(options);
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  EXPECT_EQ(QueryOne(cluster->ConnInfo(), "CREATE TABLE survivor (id int); SELECT 'made'"), "made");
  int pid = cluster->info().pid;

  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  ASSERT_TRUE(WaitUntilGone(pid));
  EXPECT_TRUE(PathExists(JoinPath(options.data_dir, "postmaster.pid"))) << "expected a stale pid";
  EXPECT_FALSE(LocalCluster::Inspect(options.data_dir).running);

  auto recovered = LocalCluster::Ensure(options);
  ASSERT_TRUE(recovered.ok()) << recovered.status().message();
  EXPECT_TRUE(recovered->info().running);
  EXPECT_NE(recovered->info().pid, pid);
  EXPECT_EQ(QueryOne(recovered->ConnInfo(), "SELECT count(*) FROM survivor"), "0");
}

TEST_F(LocalClusterTest, ConcurrentEnsureOnAFreshDirStartsOneServer) {
  ClusterOptions options = Options("data");
  constexpr int kCallers = 4;
  std::vector<std::optional<Result<LocalCluster>>> results(kCallers);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] { results[i].emplace(LocalCluster::Ensure(options)); });
  }
  for (std::thread& caller : callers) caller.join();
  for (const auto& result : results) {
    ASSERT_TRUE(result->ok()) << result->status().message();
    EXPECT_EQ((*result)->info().port, (*results[0])->info().port);
    EXPECT_EQ((*result)->info().pid, (*results[0])->info().pid);
  }
  EXPECT_EQ(QueryOne((*results[0])->ConnInfo(), "SELECT 1"), "1");
}

TEST_F(LocalClusterTest, PathsWithSpacesWork) {
  ClusterOptions options = Options("has space/it's data");
  auto cluster = LocalCluster::Ensure(options);
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  EXPECT_EQ(cluster->info().socket_dir, JoinPath(temp_.path(), "has space/run"));
  EXPECT_EQ(QueryOne(cluster->ConnInfo(), "SELECT 1"), "1");
  EXPECT_EQ(QueryOne(cluster->ConnInfo(), "SHOW data_directory"),
            JoinPath(temp_.path(), "has space/it's data"));
}

TEST_F(LocalClusterTest, ExplicitSocketDirectoryIsUsed) {
  ClusterOptions options = Options("data");
  options.socket_dir = JoinPath(temp_.path(), "sockets");
  auto cluster = LocalCluster::Ensure(options);
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  EXPECT_EQ(cluster->info().socket_dir, options.socket_dir);
  EXPECT_TRUE(
      PathExists(JoinPath(options.socket_dir, ".s.PGSQL." + std::to_string(cluster->info().port))));
  EXPECT_EQ(QueryOne(cluster->ConnInfo(), "SHOW unix_socket_directories"), options.socket_dir);
}

TEST_F(LocalClusterTest, StartFailureShowsTheServerLog) {
  ListeningSocket taken;
  ASSERT_GT(taken.port(), 0);
  ClusterOptions options = Options("data", /*listen_tcp=*/true);
  options.port = taken.port();
  auto cluster = LocalCluster::Ensure(options);
  ASSERT_FALSE(cluster.ok());
  EXPECT_EQ(cluster.status().code(), Code::kFailed);
  EXPECT_NE(cluster.status().message().find("server.log"), std::string::npos)
      << cluster.status().message();
  EXPECT_NE(cluster.status().message().find("could not bind"), std::string::npos)
      << cluster.status().message();
}

TEST_F(LocalClusterTest, ChoosesAnotherPortWhenItsOwnWasTaken) {
  ClusterOptions options = Options("data", /*listen_tcp=*/true);
  auto cluster = LocalCluster::Ensure(options);
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  int first_port = cluster->info().port;
  ASSERT_TRUE(LocalCluster::Stop(options.data_dir).ok());

  ListeningSocket taken(first_port);
  ASSERT_EQ(taken.port(), first_port);
  auto restarted = LocalCluster::Ensure(options);
  ASSERT_TRUE(restarted.ok()) << restarted.status().message();
  EXPECT_NE(restarted->info().port, first_port);
  EXPECT_EQ(LocalCluster::Inspect(options.data_dir).port, restarted->info().port);
  EXPECT_EQ(QueryOne(restarted->TcpUrl(), "SELECT 1"), "1");
}

TEST_F(LocalClusterTest, DestroyStopsAndRemovesTheCluster) {
  ClusterOptions options = Options("data");
  auto cluster = LocalCluster::Ensure(options);
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  int pid = cluster->info().pid;

  Status destroyed = LocalCluster::Destroy(options.data_dir);
  ASSERT_TRUE(destroyed.ok()) << destroyed.message();
  EXPECT_FALSE(PathExists(options.data_dir));
  EXPECT_TRUE(WaitUntilGone(pid));
  ClusterInfo after = LocalCluster::Inspect(options.data_dir);
  EXPECT_FALSE(after.initialised);
  EXPECT_FALSE(after.running);
  EXPECT_TRUE(LocalCluster::Destroy(options.data_dir).ok()) << "nothing left to destroy";
}

TEST_F(LocalClusterTest, RefusesDirectoriesThatAreNotClusters) {
  std::string kept = temp_.Write("project/keep.txt", "precious");
  std::string project = JoinPath(temp_.path(), "project");

  Status destroyed = LocalCluster::Destroy(project);
  EXPECT_EQ(destroyed.code(), Code::kInvalidInput) << destroyed.message();
  EXPECT_TRUE(PathExists(kept));

  ClusterOptions options;
  options.data_dir = project;
  auto cluster = LocalCluster::Ensure(options);
  ASSERT_FALSE(cluster.ok());
  EXPECT_EQ(cluster.status().code(), Code::kInvalidInput);
  EXPECT_NE(cluster.status().message().find("not a PostgreSQL data directory"), std::string::npos)
      << cluster.status().message();
  EXPECT_TRUE(PathExists(kept));
}

TEST_F(LocalClusterTest, MissingBinariesAreAClearError) {
  ClusterOptions options = Options("data");
  options.bin_dir = JoinPath(temp_.path(), "no-bin");
  auto cluster = LocalCluster::Ensure(options);
  ASSERT_FALSE(cluster.ok());
  EXPECT_EQ(cluster.status().code(), Code::kInvalidInput);
  EXPECT_NE(cluster.status().message().find("no PostgreSQL server binaries"), std::string::npos)
      << cluster.status().message();
  EXPECT_FALSE(PathExists(options.data_dir));
}

// As root the server runs as `postgres`, which cannot enter a root-only folder such as /root.
TEST_F(LocalClusterTest, DataDirTheServerAccountCannotReach) {
  std::string private_dir = JoinPath(temp_.path(), "private");
  ASSERT_TRUE(MakeDirectories(private_dir).ok());
  ASSERT_EQ(::chmod(private_dir.c_str(), 0700), 0);
  std::string data_dir = JoinPath(private_dir, "project/.retort/pgdata");

  if (::geteuid() != 0) {
    // An ordinary user runs the server as themself and owns the folder.
    EXPECT_TRUE(LocalCluster::ServerUserCanReach(data_dir));
    return;
  }
  EXPECT_FALSE(LocalCluster::ServerUserCanReach(data_dir));
  ClusterOptions options;
  options.data_dir = data_dir;
  auto cluster = LocalCluster::Ensure(options);
  ASSERT_FALSE(cluster.ok());
  EXPECT_EQ(cluster.status().code(), Code::kInvalidInput);
  EXPECT_NE(cluster.status().message().find("cannot enter " + private_dir), std::string::npos)
      << cluster.status().message();
  EXPECT_FALSE(PathExists(JoinPath(private_dir, "project"))) << "nothing created on refusal";

  std::string fallback = LocalCluster::FallbackDataDir(data_dir);
  EXPECT_EQ(fallback.rfind("/var/tmp/retort-", 0), 0u) << fallback;
  EXPECT_EQ(BaseName(fallback), "pgdata");
  EXPECT_EQ(fallback, LocalCluster::FallbackDataDir(data_dir + "/")) << "stable per directory";
  EXPECT_TRUE(LocalCluster::ServerUserCanReach(fallback));
}

// ---- the harness

TEST(PgHarnessTest, CreatesDistinctDatabasesAndQueriesThem) {
  RETORT_REQUIRE_PG(pg);
  std::string first = pg->CreateDatabase("lc");
  std::string second = pg->CreateDatabase("lc");
  EXPECT_NE(first, second);
  EXPECT_EQ(pg->Scalar("postgres", "SELECT count(*) FROM pg_database WHERE datname IN ('" + first +
                                       "', '" + second + "')"),
            "2");
  EXPECT_EQ(pg->Scalar(first, "SELECT current_database()"), first);
  auto rows = pg->Query(first, "SELECT 1, NULL UNION ALL SELECT 2, 'x' ORDER BY 1");
  std::vector<std::vector<std::string>> expected = {{"1", "<null>"}, {"2", "x"}};
  EXPECT_EQ(rows, expected);

  auto over_tcp = pg::Connection::Open(pg->Url(second));
  ASSERT_TRUE(over_tcp.ok()) << over_tcp.status().message();
  EXPECT_EQ(over_tcp->Database(), second);
}

TEST(RunProgramTest, CapturesStdoutStderrAndExitCodeSeparately) {
  CommandOutput result = RunProgram({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, "");
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "err\n");
}

TEST(RunProgramTest, FeedsStdinAndSetsEnvironmentAndDirectory) {
  TempDir dir;
  CommandOutput result = RunProgram({"/bin/sh", "-c", "cat; echo \"$RETORT_TEST_VALUE\"; pwd"},
                                    dir.path(), {{"RETORT_TEST_VALUE", "a b"}}, "from stdin\n");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "from stdin\na b\n" + dir.path() + "\n");
}

TEST(RunProgramTest, LargeStreamsDoNotDeadlock) {
  std::string input(1 << 20, 'i');
  CommandOutput result = RunProgram(
      {"/bin/sh", "-c", "cat; head -c 1048576 /dev/zero | tr '\\0' e >&2"}, "", {}, input);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, input);
  EXPECT_EQ(result.err, std::string(1 << 20, 'e'));
}

TEST(RunProgramTest, ChildThatIgnoresStdinAndSignalsAreReported) {
  CommandOutput ignored = RunProgram({"/bin/true"}, "", {}, std::string(1 << 20, 'x'));
  EXPECT_EQ(ignored.exit_code, 0);
  CommandOutput killed = RunProgram({"/bin/sh", "-c", "kill -9 $$"}, "");
  EXPECT_EQ(killed.exit_code, 128 + SIGKILL);
  CommandOutput missing = RunProgram({"/nonexistent/program"}, "");
  EXPECT_EQ(missing.exit_code, 127);
}

TEST(TempDirTest, WritesNestedFilesAndCleansUp) {
  std::string root;
  {
    TempDir dir;
    root = dir.path();
    struct stat info {};
    ASSERT_EQ(::stat(root.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0755u);
    std::string path = dir.Write("a/b/c.sql", "SELECT 1;\n");
    auto contents = ReadFile(path);
    ASSERT_TRUE(contents.ok());
    EXPECT_EQ(*contents, "SELECT 1;\n");
  }
  EXPECT_FALSE(PathExists(root));
}

}  // namespace
}  // namespace retort::devdb
