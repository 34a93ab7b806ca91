// Test harness: one private PostgreSQL 15 cluster per test binary (initdb in a temp dir, fsync
// off, unix socket + a free TCP port), a fresh database per test, and a runner for the built
// `retort` binary. When PostgreSQL is not installed the tests skip locally with a message and
// fail when CI=true.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace retort::testing {

class PgHarness {
 public:
  // The process-wide cluster, started on first use and stopped at exit. Call from a test body;
  // it FAILs (CI=true) or SKIPs the current test when no server can be started.
  static PgHarness* Get();

  // A new empty database with a unique name starting with `prefix`.
  std::string CreateDatabase(const std::string& prefix = "t");
  std::string ConnInfo(const std::string& dbname) const;  // unix socket
  std::string Url(const std::string& dbname) const;       // postgresql://user@127.0.0.1:port/db

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
  int next_database_ = 0;
  friend struct HarnessAccess;
};

struct CommandOutput {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is the program) in `cwd` with extra environment variables; captures
// stdout and stderr separately. `stdin_text` is fed to the child's stdin.
CommandOutput RunProgram(const std::vector<std::string>& argv, const std::string& cwd,
                         const std::map<std::string, std::string>& env = {},
                         const std::string& stdin_text = "");

// Runs the built retort binary with `args`.
CommandOutput RunRetort(const std::vector<std::string>& args, const std::string& cwd,
                        const std::map<std::string, std::string>& env = {});

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
