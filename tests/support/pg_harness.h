// Test harness: one private PostgreSQL 15 cluster per test binary (initdb in a temp dir, fsync
// off, unix socket + a free TCP port), a fresh database per test, and a runner for the built
// `retort` binary. When PostgreSQL is not installed the tests skip locally with a message and
// fail when CI=true.
#pragma once

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "devdb/local_cluster.h"

namespace retort::testing {

// True when the CI environment variable says so ("true" or "1"): missing PostgreSQL is then
// a failure, not a skip.
bool InCi();

class PgHarness {
 public:
  // The process-wide cluster, started on first use and stopped (and its temp dir removed) at
  // exit. Returns nullptr when there is no server; it then records a test failure
  // (ADD_FAILURE) if the failure must not be skipped -- CI=true, or binaries present but the
  // server would not start -- and otherwise leaves the caller to skip. Use RETORT_REQUIRE_PG.
  static PgHarness* Get();
  // Why Get() returned nullptr ("" while it has not).
  static std::string UnavailableReason();
  // Whether that nullptr already failed the test (see Get).
  static bool UnavailableIsFailure();

  // A new empty database with a unique name starting with `prefix`.
  std::string CreateDatabase(const std::string& prefix = "t");
  std::string ConnInfo(const std::string& dbname) const;  // unix socket
  // postgresql://user@127.0.0.1:port/db?passfile=...: TCP needs the superuser's password, which
  // the harness also exports as PGPASSFILE.
  std::string Url(const std::string& dbname) const;

  // Runs SQL on `dbname` and returns the rows (cells as text, NULL as "<null>"). A failure fails
  // the calling test and returns an empty result.
  std::vector<std::vector<std::string>> Query(const std::string& dbname, const std::string& sql);
  // First cell of the first row, "" when no rows.
  std::string Scalar(const std::string& dbname, const std::string& sql);

  const std::string& bin_dir() const { return bin_dir_; }
  const std::string& superuser() const { return superuser_; }
  int port() const { return port_; }
  const std::string& socket_dir() const { return socket_dir_; }

 private:
  std::string data_dir_;
  std::string socket_dir_;
  std::string bin_dir_;
  std::string superuser_;
  int port_ = 0;
  std::atomic<int> next_database_{0};
  devdb::LocalCluster cluster_;
  friend struct HarnessAccess;
};

// First line of a test body that needs the server:
//   TEST(Upgrade, AppliesAll) { RETORT_REQUIRE_PG(pg); auto db = pg->CreateDatabase(); ... }
// Declares `PgHarness* var`. Without a server the test is skipped with the reason, except
// when that must fail (CI=true, or a server that would not start), where Get() has already
// recorded the failure and the test body returns. Only usable in functions returning void.
#define RETORT_REQUIRE_PG(var)                                             \
  ::retort::testing::PgHarness* var = ::retort::testing::PgHarness::Get(); \
  if (var == nullptr) {                                                    \
    if (::retort::testing::PgHarness::UnavailableIsFailure()) return;      \
    GTEST_SKIP() << "PostgreSQL unavailable: "                             \
                 << ::retort::testing::PgHarness::UnavailableReason();     \
  }

struct CommandOutput {
  int exit_code = -1;      // 128 + N when killed by signal N
  bool timed_out = false;  // killed (SIGKILL) because it outlived its timeout
  std::string out;
  std::string err;
};
// "exit N", then stdout and stderr: what a failed expectation on a command should print.
std::string Describe(const CommandOutput& output);

// Runs `argv` (argv[0] is the program) in `cwd` with extra environment variables; captures
// stdout and stderr separately. `stdin_text` is fed to the child's stdin. With `timeout_ms` >= 0
// the child is killed once it runs that long (timed_out is then set).
CommandOutput RunProgram(const std::vector<std::string>& argv, const std::string& cwd,
                         const std::map<std::string, std::string>& env = {},
                         const std::string& stdin_text = "", int timeout_ms = -1);

// The retort binary the tests run: the one built with them, or RETORT_TEST_BINARY when set (to
// show that a new test fails against an older build).
std::string RetortBinary();

// Runs the built retort binary with `args`.
CommandOutput RunRetort(const std::vector<std::string>& args, const std::string& cwd,
                        const std::map<std::string, std::string>& env = {}, int timeout_ms = -1);

// A temporary directory removed (recursively) when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `contents` to `relative` (creating parent folders) and returns the full path.
  std::string Write(const std::string& relative, const std::string& contents) const;

 private:
  std::string path_;
};

}  // namespace retort::testing
