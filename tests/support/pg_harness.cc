#include "support/pg_harness.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "base/files.h"
#include "base/strings.h"
#include "pg/connection.h"

extern char** environ;

namespace retort::testing {

namespace fs = std::filesystem;

struct HarnessAccess {
  static PgHarness* Create(const devdb::LocalCluster& cluster, const std::string& data_dir) {
    auto* harness = new PgHarness;
    harness->cluster_ = cluster;
    harness->data_dir_ = data_dir;
    harness->socket_dir_ = cluster.info().socket_dir;
    harness->bin_dir_ = cluster.bin_dir();
    harness->superuser_ = cluster.superuser();
    harness->port_ = cluster.info().port;
    return harness;
  }
};

namespace {

struct HarnessState {
  PgHarness* harness = nullptr;  // lives until exit
  std::string reason;
  bool failure = false;
  std::string temp_root;
  std::string data_dir;
  pid_t owner = 0;  // a forked child that exits normally must not stop our server
};

HarnessState* g_state = nullptr;

void StopCluster() {
  if (g_state == nullptr || g_state->temp_root.empty() || g_state->owner != ::getpid()) return;
  Status stopped = devdb::LocalCluster::Stop(g_state->data_dir);
  if (!stopped.ok()) std::fprintf(stderr, "pg_harness: %s\n", stopped.message().c_str());
  std::error_code error;
  fs::remove_all(g_state->temp_root, error);
}

HarnessState* StartCluster() {
  g_state = new HarnessState;
  auto bin_dir = devdb::LocalCluster::FindBinDir();
  if (!bin_dir.ok()) {
    g_state->reason = bin_dir.status().message();
    g_state->failure = InCi();
    return g_state;
  }
  char pattern[] = "/tmp/retort-test-XXXXXX";
  if (::mkdtemp(pattern) == nullptr || ::chmod(pattern, 0755) != 0) {
    g_state->reason =
        std::string("cannot create a temp dir for the cluster: ") + std::strerror(errno);
    g_state->failure = true;
    return g_state;
  }
  g_state->temp_root = pattern;
  g_state->owner = ::getpid();
  g_state->data_dir = g_state->temp_root + "/data";
  // Registered before starting so that a half-started server is stopped too.
  std::atexit(StopCluster);
  devdb::ClusterOptions options;
  options.data_dir = g_state->data_dir;
  options.listen_tcp = true;
  options.throwaway = true;
  options.bin_dir = *bin_dir;
  auto cluster = devdb::LocalCluster::Ensure(options);
  if (!cluster.ok()) {
    // The binaries are here, so this is a bug or a broken machine: never skip it.
    g_state->reason = cluster.status().message();
    g_state->failure = true;
    return g_state;
  }
  g_state->harness = HarnessAccess::Create(*cluster, g_state->data_dir);
  // TCP asks for the superuser's password. URLs built by hand (and pg_basebackup) find it
  // here, in this process and in every program it runs.
  ::setenv("PGPASSFILE", cluster->PassFile().c_str(), 1);
  return g_state;
}

HarnessState& State() {
  static HarnessState* state = StartCluster();
  return *state;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

void CloseFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Reads what is there; closes `fd` at end of file or on error.
void Drain(int& fd, std::string& into) {
  char buffer[8192];
  ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n > 0) {
    into.append(buffer, static_cast<size_t>(n));
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    CloseFd(fd);
  }
}

}  // namespace

bool InCi() {
  const char* ci = std::getenv("CI");
  if (ci == nullptr) return false;
  std::string value = ToLower(ci);
  return value == "true" || value == "1";
}

PgHarness* PgHarness::Get() {
  HarnessState& state = State();
  if (state.harness == nullptr && state.failure) {
    ADD_FAILURE() << "PostgreSQL unavailable: " << state.reason;
  }
  return state.harness;
}

std::string PgHarness::UnavailableReason() { return State().reason; }

bool PgHarness::UnavailableIsFailure() { return State().failure; }

std::string PgHarness::CreateDatabase(const std::string& prefix) {
  // The pid keeps names apart should two binaries ever share a cluster.
  std::string name =
      prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(next_database_++);
  auto admin = pg::Connection::Open(ConnInfo("postgres"), "retort-test");
  if (!admin.ok()) {
    ADD_FAILURE() << admin.status().message();
    return name;
  }
  auto created = admin->Execute("CREATE DATABASE " + QuoteIdentifier(name));
  if (!created.ok())
    ADD_FAILURE() << "CREATE DATABASE " << name << ": " << created.error.ToString();
  return name;
}

std::string PgHarness::ConnInfo(const std::string& dbname) const {
  return cluster_.ConnInfo(dbname);
}

std::string PgHarness::Url(const std::string& dbname) const { return cluster_.TcpUrl(dbname); }

std::vector<std::vector<std::string>> PgHarness::Query(const std::string& dbname,
                                                       const std::string& sql) {
  auto connection = pg::Connection::Open(ConnInfo(dbname), "retort-test");
  if (!connection.ok()) {
    ADD_FAILURE() << connection.status().message();
    return {};
  }
  auto outcome = connection->Execute(sql);
  if (!outcome.ok()) {
    ADD_FAILURE() << "on database " << dbname << ": " << sql << "\n" << outcome.error.ToString();
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

std::string PgHarness::Scalar(const std::string& dbname, const std::string& sql) {
  auto rows = Query(dbname, sql);
  if (rows.empty() || rows[0].empty()) return "";
  return rows[0][0];
}

CommandOutput RunProgram(const std::vector<std::string>& argv, const std::string& cwd,
                         const std::map<std::string, std::string>& env,
                         const std::string& stdin_text, int timeout_ms) {
  CommandOutput output;
  if (argv.empty()) {
    output.err = "RunProgram: no program given";
    return output;
  }
  std::vector<std::string> args = argv;
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string variable = *entry;
    if (env.count(variable.substr(0, variable.find('='))) == 0) environment.push_back(variable);
  }
  for (const auto& [name, value] : env) environment.push_back(name + "=" + value);
  std::vector<char*> c_args = CStrings(args);
  std::vector<char*> c_environment = CStrings(environment);

  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    output.err = std::string("RunProgram: pipe: ") + std::strerror(errno);
    for (int* fds : {in, out, err}) {
      CloseFd(fds[0]);
      CloseFd(fds[1]);
    }
    return output;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &pipe_signal);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  pid_t pid = 0;
  int spawn_error =
      ::posix_spawnp(&pid, c_args[0], &actions, &attributes, c_args.data(), c_environment.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  CloseFd(in[0]);
  CloseFd(out[1]);
  CloseFd(err[1]);
  if (spawn_error != 0) {
    CloseFd(in[1]);
    CloseFd(out[0]);
    CloseFd(err[0]);
    output.exit_code = 127;
    output.err = "RunProgram: cannot run " + argv[0] + (cwd.empty() ? "" : " in " + cwd) + ": " +
                 std::strerror(spawn_error);
    return output;
  }

  // A child that exits without reading its stdin must give us EPIPE, not kill the test
  // binary: block SIGPIPE in this thread while we feed it.
  sigset_t old_mask;
  ::pthread_sigmask(SIG_BLOCK, &pipe_signal, &old_mask);
  // Non-blocking stdin: a full pipe must not stop us draining stdout/stderr (the child may be
  // blocked writing those while we would block writing its input).
  ::fcntl(in[1], F_SETFL, O_NONBLOCK);
  size_t written = 0;
  if (stdin_text.empty()) CloseFd(in[1]);
  struct timespec started {};
  ::clock_gettime(CLOCK_MONOTONIC, &started);
  while (in[1] >= 0 || out[0] >= 0 || err[0] >= 0) {
    int wait_ms = -1;
    if (timeout_ms >= 0 && !output.timed_out) {
      struct timespec now {};
      ::clock_gettime(CLOCK_MONOTONIC, &now);
      long elapsed_ms =
          (now.tv_sec - started.tv_sec) * 1000 + (now.tv_nsec - started.tv_nsec) / 1000000;
      if (elapsed_ms >= timeout_ms) {
        ::kill(pid, SIGKILL);
        output.timed_out = true;
        CloseFd(in[1]);
      } else {
        wait_ms = static_cast<int>(timeout_ms - elapsed_ms);
      }
    }
    pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
    int ready = ::poll(fds, 3, wait_ms);
    if (ready == 0) continue;
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents != 0) Drain(out[0], output.out);
    if (fds[1].revents != 0) Drain(err[0], output.err);
    if (fds[2].revents != 0) {
      ssize_t n = ::write(in[1], stdin_text.data() + written, stdin_text.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if ((n < 0 && errno != EINTR && errno != EAGAIN) || written == stdin_text.size()) {
        CloseFd(in[1]);
      }
    }
  }
  for (int* fd : {&in[1], &out[0], &err[0]}) CloseFd(*fd);
  sigset_t pending;
  sigpending(&pending);
  if (sigismember(&pending, SIGPIPE) && !sigismember(&old_mask, SIGPIPE)) {
    timespec no_wait{};
    ::sigtimedwait(&pipe_signal, nullptr, &no_wait);
  }
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return output;
  }
  if (WIFEXITED(status)) {
    output.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    output.exit_code = 128 + WTERMSIG(status);
  }
  return output;
}

std::string Describe(const CommandOutput& output) {
  return "exit " + std::to_string(output.exit_code) + "\n--- stdout:\n" + output.out +
         "\n--- stderr:\n" + output.err;
}

std::string RetortBinary() {
  const char* override_binary = std::getenv("RETORT_TEST_BINARY");
  return override_binary != nullptr && *override_binary != '\0' ? override_binary : RETORT_BINARY;
}

CommandOutput RunRetort(const std::vector<std::string>& args, const std::string& cwd,
                        const std::map<std::string, std::string>& env, int timeout_ms) {
  std::vector<std::string> argv = {RetortBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(argv, cwd, env, "", timeout_ms);
}

TempDir::TempDir() {
  char pattern[] = "/tmp/retort-t-XXXXXX";
  // 0755: the postgres OS user must be able to pass through it to clusters made inside.
  if (::mkdtemp(pattern) == nullptr || ::chmod(pattern, 0755) != 0) {
    ADD_FAILURE() << "cannot create a temp dir: " << std::strerror(errno);
    return;
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code error;
  fs::remove_all(path_, error);
}

std::string TempDir::Write(const std::string& relative, const std::string& contents) const {
  std::string full = JoinPath(path_, relative);
  Status made = MakeDirectories(DirName(full));
  if (made.ok()) made = WriteFile(full, contents);
  if (!made.ok()) ADD_FAILURE() << made.message();
  return full;
}

}  // namespace retort::testing
