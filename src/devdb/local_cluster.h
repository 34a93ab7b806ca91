// LocalCluster: a private PostgreSQL cluster run from the installed server binaries.
//
// Used for the embedded database (`url = "embedded"`, `retort dev`), the dev/scratch server
// of autogenerate, and by the test harness. initdb refuses to run as root, so when the caller
// is root the server runs as the unprivileged `postgres` account (runuser/setpriv) and owns
// its data directory; an ordinary user runs it as themself.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace retort::devdb {

struct ClusterOptions {
  std::string data_dir;     // created if missing; initdb runs when it has no PG_VERSION
  std::string socket_dir;   // empty: derived (short, private); unix socket path limit is 107 bytes
  int port = 0;             // 0: pick a free TCP port (also names the socket file)
  bool listen_tcp = false;  // also listen on 127.0.0.1:port
  // Throwaway tuning (fsync off, synchronous_commit off, full_page_writes off, more locks):
  // right for dev, scratch and test clusters whose data can be rebuilt.
  bool throwaway = true;
  std::string bin_dir;  // empty: pg_config --bindir, else /usr/lib/postgresql/<newest>/bin
};

struct ClusterInfo {
  bool initialised = false;
  bool running = false;
  int pid = 0;
  int port = 0;
  std::string socket_dir;
  std::string data_dir;
  std::string log_file;
};

class LocalCluster {
 public:
  // Initialises (if needed) and starts (if not running) the cluster; attaches to it when it is
  // already running. Safe when several processes call it at once (a file lock serialises them).
  static Result<LocalCluster> Ensure(const ClusterOptions& options);

  // State of the cluster in `data_dir`, without starting anything.
  static ClusterInfo Inspect(const std::string& data_dir);

  // Stops the server (fast shutdown) if it runs. Idempotent.
  static Status Stop(const std::string& data_dir);

  // Removes a stopped cluster's directory.
  static Status Destroy(const std::string& data_dir);

  // libpq conninfo reaching `dbname` over the unix socket as the cluster's superuser.
  std::string ConnInfo(const std::string& dbname = "postgres") const;
  // postgresql:// URL over TCP (only when listen_tcp).
  std::string TcpUrl(const std::string& dbname = "postgres") const;

  const ClusterInfo& info() const { return info_; }
  const std::string& superuser() const { return superuser_; }
  const std::string& bin_dir() const { return bin_dir_; }

 private:
  ClusterInfo info_;
  std::string superuser_;
  std::string bin_dir_;
};

// Runs a command as the cluster's OS user (postgres when we are root) and returns its exit
// status and output; the building block of initdb / pg_ctl, exposed for `retort dev`.
struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr interleaved
};
CommandResult RunCommand(const std::vector<std::string>& argv, bool as_cluster_user);

}  // namespace retort::devdb
