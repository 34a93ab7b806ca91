#include "support/pglite_harness.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include "base/files.h"
#include "base/strings.h"
#include "pg/connection.h"
#include "support/pg_harness.h"

extern char** environ;

namespace retort::testing {

struct PgliteAccess {
  static PgliteServer* Create() { return new PgliteServer; }
  static void Set(PgliteServer& server, int pid, int port, int stdin_fd, std::string log_path) {
    server.pid_ = pid;
    server.port_ = port;
    server.stdin_fd_ = stdin_fd;
    server.log_path_ = std::move(log_path);
  }
  static int pid(const PgliteServer& server) { return server.pid_; }
  static int stdin_fd(const PgliteServer& server) { return server.stdin_fd_; }
  static const std::string& log_path(const PgliteServer& server) { return server.log_path_; }
};

namespace {

// PGlite boots PostgreSQL in WebAssembly (initdb included) before it listens: seconds, more on
// a loaded CI machine. This only bounds a server that hangs; readiness is its READY line.
constexpr int kStartTimeoutMs = 180000;
constexpr char kReadyPrefix[] = "PGLITE READY port=";

struct Slot {
  std::unique_ptr<PgliteServer> process;  // set once node was started, ready or not
  bool ready = false;
  std::string reason;  // why it is not ready
  bool failure = false;
  int stdout_fd = -1;
};

struct State {
  std::mutex mutex;
  std::map<int, Slot> slots;
  std::string missing;      // node or the packages: the same for every slot
  std::string last_reason;  // of the last Get() that returned nullptr
  bool last_failure = false;
  bool checked = false;
  pid_t owner = 0;  // a forked child that exits must not stop the servers
};

State& GlobalState() {
  static State* state = new State;
  return *state;
}

std::string PackageDir() { return std::string(RETORT_SOURCE_DIR) + "/tests/pglite"; }

bool IsExecutable(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

std::string FindOnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  for (const std::string& dir : Split(path, ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (IsExecutable(candidate)) return candidate;
  }
  return "";
}

// Why PGlite cannot run here at all, "" when node and the packages are present.
std::string MissingPrerequisite() {
  if (FindOnPath("node").empty()) {
    return "node is not on PATH (scripts/setup.sh installs nodejs and npm)";
  }
  std::string socket_package = PackageDir() + "/node_modules/@electric-sql/pglite-socket";
  struct stat info {};
  if (::stat(socket_package.c_str(), &info) != 0) {
    return socket_package + " is missing: run `npm ci` in " + PackageDir() +
           " (scripts/setup.sh does)";
  }
  return "";
}

std::string ReadLog(const std::string& path) {
  auto text = ReadFile(path);
  return text.ok() ? *text : "";
}

void StopAll() {
  State& state = GlobalState();
  if (state.owner != ::getpid()) return;
  for (auto& [slot, entry] : state.slots) {
    if (entry.process == nullptr) continue;
    const PgliteServer& server = *entry.process;
    int stdin_fd = PgliteAccess::stdin_fd(server);
    if (stdin_fd >= 0) ::close(stdin_fd);
    int pid = PgliteAccess::pid(server);
    if (pid > 0) {
      // The database lives in the server's memory: nothing to shut down cleanly, and SIGKILL
      // also ends a server stuck in WebAssembly, where a SIGTERM handler would never run.
      ::kill(pid, SIGKILL);
      int status = 0;
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
    if (entry.stdout_fd >= 0) ::close(entry.stdout_fd);
    ::unlink(PgliteAccess::log_path(server).c_str());
  }
}

// Starts `node server.mjs --port 0` into `slot` and waits for its READY line.
void StartServer(Slot& slot) {
  std::string& reason = slot.reason;
  char log_pattern[] = "/tmp/retort-pglite-XXXXXX";
  int log_fd = ::mkstemp(log_pattern);
  if (log_fd < 0) {
    reason = std::string("cannot create the server's log file: ") + std::strerror(errno);
    return;
  }
  std::string log_path = log_pattern;
  int in[2] = {-1, -1}, out[2] = {-1, -1};
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
    reason = std::string("pipe: ") + std::strerror(errno);
    ::close(log_fd);
    return;
  }
  std::vector<std::string> args = {"node", "server.mjs", "--port", "0", "--exit-on-eof"};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, log_fd, 2);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  std::string package_dir = PackageDir();
  posix_spawn_file_actions_addchdir_np(&actions, package_dir.c_str());
  pid_t pid = 0;
  int spawned = ::posix_spawnp(&pid, "node", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  ::close(log_fd);
  if (spawned != 0) {
    ::close(in[1]);
    ::close(out[0]);
    ::unlink(log_path.c_str());
    reason = std::string("cannot run node: ") + std::strerror(spawned);
    return;
  }
  // Kept from now on, so that a server that never gets ready is stopped too.
  slot.process.reset(PgliteAccess::Create());
  slot.stdout_fd = out[0];
  PgliteAccess::Set(*slot.process, pid, 0, in[1], log_path);

  std::string output;
  int port = 0;
  bool failed = false;
  while (port == 0 && !failed) {
    pollfd ready{out[0], POLLIN, 0};
    int polled = ::poll(&ready, 1, kStartTimeoutMs);
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) {
      reason = "the PGlite server printed nothing for " + std::to_string(kStartTimeoutMs / 1000) +
               " s and was not ready";
      failed = true;
      break;
    }
    char buffer[4096];
    ssize_t n = ::read(out[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      reason = "the PGlite server exited before it was ready";
      failed = true;
      break;
    }
    output.append(buffer, static_cast<size_t>(n));
    size_t at = output.find(kReadyPrefix);
    if (at != std::string::npos && output.find('\n', at) != std::string::npos) {
      port = std::atoi(output.c_str() + at + std::strlen(kReadyPrefix));
      if (port <= 0) {
        reason = "cannot read the port in the server's READY line";
        failed = true;
        break;
      }
    }
  }
  // The server writes nothing more on stdout; the pipe stays open so that it never gets EPIPE.
  if (failed) {
    std::string log = ReadLog(log_path);
    reason += " (node " + package_dir + "/server.mjs; stdout: " + output +
              (log.empty() ? "" : "; stderr: " + log) + ")";
    return;
  }
  PgliteAccess::Set(*slot.process, pid, port, in[1], log_path);
  slot.ready = true;
}

}  // namespace

PgliteServer* PgliteServer::Get(int slot) {
  State& state = GlobalState();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (!state.checked) {
    state.checked = true;
    state.owner = ::getpid();
    state.missing = MissingPrerequisite();
    std::atexit(StopAll);
  }
  auto [entry, inserted] = state.slots.try_emplace(slot);
  Slot& current = entry->second;
  if (inserted) {
    if (!state.missing.empty()) {
      current.reason = state.missing;
      current.failure = InCi();
    } else {
      StartServer(current);
      // node and the packages are here, so this is a bug or a broken machine: never skip it.
      current.failure = !current.ready;
    }
  }
  if (current.ready) return current.process.get();
  if (current.failure) ADD_FAILURE() << "PGlite unavailable: " << current.reason;
  state.last_reason = current.reason;
  state.last_failure = current.failure;
  return nullptr;
}

std::string PgliteServer::UnavailableReason() {
  State& state = GlobalState();
  std::lock_guard<std::mutex> lock(state.mutex);
  return state.last_reason;
}

bool PgliteServer::UnavailableIsFailure() {
  State& state = GlobalState();
  std::lock_guard<std::mutex> lock(state.mutex);
  return state.last_failure;
}

std::string PgliteServer::Url() const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

std::string PgliteServer::ConnInfo() const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " user=postgres dbname=postgres";
}

std::vector<std::vector<std::string>> PgliteServer::Query(const std::string& sql) {
  auto connection = pg::Connection::Open(ConnInfo(), "retort-test");
  if (!connection.ok()) {
    ADD_FAILURE() << connection.status().message() << "\n" << ReadLog(log_path_);
    return {};
  }
  auto outcome = connection->Execute(sql);
  if (!outcome.ok()) {
    ADD_FAILURE() << "on PGlite: " << sql << "\n" << outcome.error.ToString();
    return {};
  }
  std::vector<std::vector<std::string>> rows;
  const pg::PgResult& result = *outcome.value;
  for (int row = 0; row < result.rows(); ++row) {
    std::vector<std::string> cells;
    for (int column = 0; column < result.columns(); ++column) {
      cells.push_back(result.IsNull(row, column) ? "<null>" : result.Get(row, column));
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

std::string PgliteServer::Scalar(const std::string& sql) {
  auto rows = Query(sql);
  if (rows.empty() || rows[0].empty()) return "";
  return rows[0][0];
}

void PgliteServer::Reset() {
  Query(R"sql(
DO $$
DECLARE
  dropped name;
BEGIN
  FOR dropped IN SELECT nspname FROM pg_namespace
                 WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', dropped);
  END LOOP;
END
$$;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;
COMMENT ON SCHEMA public IS 'standard public schema';
)sql");
}

}  // namespace retort::testing
