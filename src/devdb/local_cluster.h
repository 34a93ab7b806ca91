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
  std::string data_dir;    // created if missing; initdb runs when it has no PG_VERSION
  std::string socket_dir;  // empty: derived (short, private); unix socket path limit is 107 bytes
  int port = 0;            // 0: pick a free TCP port (also names the socket file)
  // Also listen on 127.0.0.1:port, with password (scram) authentication: see TcpUrl.
  bool listen_tcp = false;
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

  // Stops the server if it runs, then removes the data directory. Refuses (InvalidInput) to
  // remove a non-empty directory that is not a PostgreSQL data directory.
  static Status Destroy(const std::string& data_dir);

  // The directory holding initdb/pg_ctl/postgres: `requested` when given (InvalidInput if it
  // lacks them), else `pg_config --bindir`, else the newest /usr/lib/postgresql/<N>/bin.
  // Failed("PostgreSQL server binaries not found ...") when there is none.
  static Result<std::string> FindBinDir(const std::string& requested = "");

  // False when we are root and the `postgres` account, which runs the server, cannot traverse
  // the folders above `data_dir` (a project under /root). Ensure then fails with InvalidInput;
  // callers wanting a cluster anyway use FallbackDataDir(data_dir) instead. Always true for
  // an ordinary user.
  static bool ServerUserCanReach(const std::string& data_dir);
  // A stable stand-in for an unreachable `data_dir`: /var/tmp/retort-<hash of its absolute
  // path>/<its base name>. /var/tmp is world-traversable and survives reboots.
  static std::string FallbackDataDir(const std::string& data_dir);

  // libpq conninfo reaching `dbname` over the unix socket as the cluster's superuser.
  std::string ConnInfo(const std::string& dbname = "postgres") const;
  // postgresql:// URL over TCP (only when listen_tcp). TCP needs the superuser's password,
  // which the URL names through `passfile` rather than carrying it.
  std::string TcpUrl(const std::string& dbname = "postgres") const;
  // The libpq password file holding that password (127.0.0.1, any port and database).
  std::string PassFile() const;

  const ClusterInfo& info() const { return info_; }
  // Whether Ensure started the server (false when it attached to a running one). The server
  // outlives the process that started it.
  bool started() const { return started_; }
  const std::string& superuser() const { return superuser_; }
  const std::string& bin_dir() const { return bin_dir_; }

 private:
  ClusterInfo info_;
  bool started_ = false;
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
