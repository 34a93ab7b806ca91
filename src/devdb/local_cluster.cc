#include "devdb/local_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <thread>
#include <utility>

#include "base/files.h"
#include "base/strings.h"
#include "pg/connection.h"

extern char** environ;

namespace retort::devdb {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Our settings live in their own file, included from postgresql.conf, so that rewriting them
// never touches what initdb (or the user) put in postgresql.conf, and so that Inspect can read
// the port and socket directory back without a running server.
constexpr char kSettingsFile[] = "retort.conf";
constexpr char kIncludeLine[] = "include_if_exists = 'retort.conf'";
constexpr char kLogFile[] = "server.log";
constexpr char kServerAccount[] = "postgres";
constexpr char kStartTimeoutSeconds[] = "60";
constexpr auto kAttachTimeout = std::chrono::seconds(60);
// A postmaster killed with -9 leaves children that exit only when they notice; until then its
// shared memory is "still in use" and a new postmaster refuses to start.
constexpr auto kStaleMemoryTimeout = std::chrono::seconds(20);
constexpr int kPortAttempts = 5;
// sun_path holds 108 bytes with the NUL; keep a margin.
constexpr size_t kSocketPathBudget = 100;

bool IsRoot() { return ::geteuid() == 0; }

std::string ErrnoText() { return std::strerror(errno); }

// The OS account that owns the data directory and runs the server.
struct Account {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};

Result<Account> ServerAccount() {
  std::vector<char> buffer(16384);
  struct passwd entry {};
  struct passwd* found = nullptr;
  int error = IsRoot() ? ::getpwnam_r(kServerAccount, &entry, buffer.data(), buffer.size(), &found)
                       : ::getpwuid_r(::geteuid(), &entry, buffer.data(), buffer.size(), &found);
  if (error != 0 || found == nullptr) {
    if (IsRoot()) {
      return Status::Failed(
          "PostgreSQL refuses to run as root and there is no 'postgres' OS account to run it "
          "as; install postgresql-15 (it creates the account)");
    }
    return Status::Failed("cannot look up the current user (uid " + std::to_string(::geteuid()) +
                          ") in the password database; initdb needs a named user");
  }
  return Account{found->pw_name, found->pw_uid, found->pw_gid};
}

std::string NormalizeDir(const std::string& path) {
  std::string absolute = AbsolutePath(path);
  while (absolute.size() > 1 && absolute.back() == '/') absolute.pop_back();
  return absolute;
}

// kill(pid, 0) alone is not enough: a process nobody reaped (init in some containers never
// does) still answers it, and pids get reused after a crash.
bool ProcessAlive(int pid) {
  if (pid <= 0) return false;
  if (::kill(pid, 0) != 0 && errno == ESRCH) return false;
  auto stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (stat.ok()) {
    size_t paren = stat->rfind(')');
    if (paren != std::string::npos && paren + 2 < stat->size()) {
      char state = (*stat)[paren + 2];
      if (state == 'Z' || state == 'X') return false;
    }
  }
  return true;
}

bool PostmasterRunning(int pid) {
  if (!ProcessAlive(pid)) return false;
  auto comm = ReadFile("/proc/" + std::to_string(pid) + "/comm");
  if (!comm.ok()) return true;  // no /proc: trust kill()
  std::string name(Trim(*comm));
  return name == "postgres" || name == "postmaster";
}

// First line of a postmaster.pid or socket lock file, 0 when unreadable.
int PidInLockFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return 0;
  return std::atoi(text->c_str());
}

// ---- settings file

struct Settings {
  int port = 0;
  std::string socket_dir;
  bool listen_tcp = false;
};

// postgresql.conf string syntax: single quotes, '' and backslash escapes.
std::string ConfQuote(const std::string& value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') quoted.push_back(c == '\'' ? '\'' : '\\');
    quoted.push_back(c);
  }
  quoted.push_back('\'');
  return quoted;
}

std::string ConfUnquote(std::string_view value) {
  if (value.size() < 2 || value.front() != '\'' || value.back() != '\'') return std::string(value);
  std::string plain;
  for (size_t i = 1; i + 1 < value.size(); ++i) {
    char c = value[i];
    if ((c == '\\' || c == '\'') && i + 2 < value.size()) c = value[++i];
    plain.push_back(c);
  }
  return plain;
}

std::optional<Settings> ReadSettings(const std::string& data_dir) {
  auto text = ReadFile(JoinPath(data_dir, kSettingsFile));
  if (!text.ok()) return std::nullopt;
  Settings settings;
  for (const std::string& raw_line : Split(*text, '\n')) {
    std::string_view line = Trim(raw_line);
    if (line.empty() || line[0] == '#') continue;
    size_t equals = line.find('=');
    if (equals == std::string_view::npos) continue;
    std::string_view key = Trim(line.substr(0, equals));
    std::string value = ConfUnquote(Trim(line.substr(equals + 1)));
    if (key == "port") settings.port = std::atoi(value.c_str());
    if (key == "unix_socket_directories") settings.socket_dir = value;
    if (key == "listen_addresses") settings.listen_tcp = !value.empty();
  }
  return settings;
}

std::string RenderSettings(const Settings& settings, bool throwaway) {
  std::string text =
      "# Managed by retort: rewritten whenever retort starts this server.\n"
      "port = " +
      std::to_string(settings.port) +
      "\n"
      "unix_socket_directories = " +
      ConfQuote(settings.socket_dir) +
      "\n"
      "listen_addresses = " +
      ConfQuote(settings.listen_tcp ? "127.0.0.1" : "") +
      "\n"
      "logging_collector = off\n";
  if (throwaway) {
    // Data that can be rebuilt: trade durability for speed, and room for many concurrent
    // sessions and wide DDL transactions (tests run 16+ deployers at once).
    text +=
        "fsync = off\n"
        "synchronous_commit = off\n"
        "full_page_writes = off\n"
        "max_locks_per_transaction = 1024\n"
        "max_connections = 200\n"
        "shared_buffers = 128MB\n";
  }
  return text;
}

// ---- processes and files owned by the server account

Status GiveToServer(const std::string& path, const Account& account) {
  if (!IsRoot()) return Status::Ok();
  if (::lchown(path.c_str(), account.uid, account.gid) != 0) {
    return Status::Failed(path + ": cannot hand over to the '" + account.name +
                          "' account: " + ErrnoText());
  }
  return Status::Ok();
}

// Like MakeDirectories, but folders root creates are 0755 whatever the umask, so that the
// postgres account can pass through them.
Status MakeTraversableDirectories(const std::string& dir) {
  if (IsDirectory(dir)) return Status::Ok();
  if (!IsRoot()) return MakeDirectories(dir);
  std::string parent = DirName(dir);
  if (parent != dir) RETORT_RETURN_IF_ERROR(MakeTraversableDirectories(parent));
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return Status::Failed(dir + ": cannot create directory: " + ErrnoText());
  }
  if (::chmod(dir.c_str(), 0755) != 0) {
    return Status::Failed(dir + ": cannot make it traversable: " + ErrnoText());
  }
  return Status::Ok();
}

// Nearest existing folder at or above `path`.
std::string ExistingAncestor(std::string path) {
  while (!PathExists(path) && path != "/") path = DirName(path);
  return path;
}

bool ServerCanEnter(const std::string& dir) {
  return RunCommand({"test", "-x", dir}, /*as_cluster_user=*/true).exit_code == 0;
}

// The top-most folder on the way to `dir` that the postgres account cannot enter.
std::string FirstBlockedFolder(const std::string& dir) {
  std::vector<std::string> chain;
  for (std::string at = dir; !at.empty(); at = DirName(at)) {
    chain.push_back(at);
    if (at == "/" || at == ".") break;
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (!ServerCanEnter(*it)) return *it;
  }
  return dir;
}

// Holds an exclusive flock for its lifetime. O_CLOEXEC matters: a postmaster that inherited
// the descriptor would keep the cluster locked for as long as it runs.
class FileLock {
 public:
  static Result<FileLock> Acquire(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return Status::Failed(path + ": cannot open lock file: " + ErrnoText());
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      std::string message = path + ": cannot lock: " + ErrnoText();
      ::close(fd);
      return Status::Failed(message);
    }
    return FileLock(fd);
  }
  FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileLock& operator=(FileLock&&) = delete;
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

std::string LockPath(const std::string& data_dir) { return data_dir + ".lock"; }

bool HasServerBinaries(const std::string& dir) {
  for (const char* program : {"initdb", "pg_ctl", "postgres"}) {
    if (::access(JoinPath(dir, program).c_str(), X_OK) != 0) return false;
  }
  return true;
}

// Binaries matching an existing cluster's major version (PG_VERSION) come first: a newer
// server cannot open an older cluster.
Result<std::string> BinDirFor(const std::string& data_dir, const std::string& requested) {
  if (requested.empty()) {
    auto version = ReadFile(JoinPath(data_dir, "PG_VERSION"));
    if (version.ok()) {
      std::string matching = "/usr/lib/postgresql/" + std::string(Trim(*version)) + "/bin";
      if (HasServerBinaries(matching)) return matching;
    }
  }
  return LocalCluster::FindBinDir(requested);
}

std::string DerivedSocketDir(const std::string& data_dir) {
  std::string beside = JoinPath(DirName(data_dir), "run");
  // unix_socket_directories is a comma-separated list with its own quoting: keep to paths
  // that need none.
  bool plain = beside.find_first_of(",\"'\\") == std::string::npos;
  if (plain && (beside + "/.s.PGSQL.65535").size() <= kSocketPathBudget) return beside;
  return "/tmp/retort-" + Sha256Hex(data_dir).substr(0, 12);
}

// Creates the socket directory private to the server account. Works on a descriptor opened
// with O_NOFOLLOW so that a symlink planted in /tmp cannot redirect the chown/chmod.
Status PrepareSocketDir(const std::string& dir, const Account& account) {
  RETORT_RETURN_IF_ERROR(MakeTraversableDirectories(DirName(dir)));
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::Failed(dir + ": cannot create socket directory: " + ErrnoText());
  }
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    return Status::InvalidInput(dir +
                                ": socket directory is not a plain directory: " + ErrnoText());
  }
  struct stat info {};
  Status status;
  if (::fstat(fd, &info) != 0) {
    status = Status::Failed(dir + ": " + ErrnoText());
  } else if (info.st_uid != account.uid && !(IsRoot() && info.st_uid == 0)) {
    status = Status::InvalidInput(dir + ": socket directory belongs to another user (uid " +
                                  std::to_string(info.st_uid) + "); remove it or set another one");
  } else if (IsRoot() && ::fchown(fd, account.uid, account.gid) != 0) {
    status = Status::Failed(dir + ": cannot hand over to '" + account.name + "': " + ErrnoText());
  } else if (::fchmod(fd, 0700) != 0) {
    status = Status::Failed(dir + ": cannot make private: " + ErrnoText());
  }
  ::close(fd);
  return status;
}

Result<int> FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Failed(std::string("cannot create a socket: ") + ErrnoText());
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  std::string error = ok ? "" : ErrnoText();
  ::close(fd);
  if (!ok) return Status::Failed("cannot find a free TCP port: " + error);
  return static_cast<int>(ntohs(address.sin_port));
}

off_t FileSize(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 ? info.st_size : 0;
}

// What the server wrote to `log_file` after byte `from`, last `max_lines` lines.
std::string LogTail(const std::string& log_file, off_t from, size_t max_lines = 30) {
  std::ifstream in(log_file, std::ios::binary);
  if (!in) return "";
  in.seekg(from);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> lines = Split(std::string(Trim(text)), '\n');
  if (lines.size() > max_lines) lines.erase(lines.begin(), lines.end() - max_lines);
  return Join(lines, "\n");
}

// A lock file whose owner is gone (kill -9) makes a new postmaster refuse to start when the
// old pid still answers kill(): a zombie, or a reused pid. We hold the cluster lock, so no
// start is in progress; a dead owner means the file is garbage.
void RemoveStaleLockFile(const std::string& path) {
  int pid = PidInLockFile(path);
  if (pid > 0 && !PostmasterRunning(pid)) ::unlink(path.c_str());
}

bool Mentions(const std::string& text, std::initializer_list<const char*> needles) {
  return std::any_of(needles.begin(), needles.end(),
                     [&](const char* needle) { return text.find(needle) != std::string::npos; });
}

// initdb's pg_hba.conf trusts every TCP connection from the machine: any local user would be
// superuser. Over the unix socket, trust is safe because its directory is private to the
// server account (PrepareSocketDir); over TCP a password is required (EnsureTcpPassword).
std::string RenderHba(bool listen_tcp) {
  std::string text =
      "# Managed by retort: rewritten whenever retort starts this server.\n"
      "# The socket directory is private to the server's OS account, hence trust there.\n"
      "local all all trust\n"
      "local replication all trust\n";
  if (listen_tcp) {
    text +=
        "host all all 127.0.0.1/32 scram-sha-256\n"
        "host replication all 127.0.0.1/32 scram-sha-256\n";
  }
  return text;
}

Status WriteServerFile(const std::string& path, const std::string& contents,
                       const Account& account) {
  RETORT_RETURN_IF_ERROR(WriteFile(path, contents));
  // Written by root with root's umask; the server must be able to read it.
  if (::chmod(path.c_str(), 0600) != 0) return Status::Failed(path + ": " + ErrnoText());
  return GiveToServer(path, account);
}

Status WriteSettings(const std::string& data_dir, const Settings& settings, bool throwaway,
                     const Account& account) {
  RETORT_RETURN_IF_ERROR(WriteServerFile(JoinPath(data_dir, kSettingsFile),
                                         RenderSettings(settings, throwaway), account));
  return WriteServerFile(JoinPath(data_dir, "pg_hba.conf"), RenderHba(settings.listen_tcp),
                         account);
}

std::string PassFilePath(const std::string& data_dir) { return data_dir + ".pgpass"; }

// The superuser's password for TCP, kept in a libpq password file beside the data directory
// and set on the server each time, so that a lost or stale file heals itself. Mode 0600 (libpq
// ignores a file others may read), owned by the server account: tools that run as that account
// (pg_basebackup, a standby's walreceiver) read it too, and root reads it anyway.
Status EnsureTcpPassword(const std::string& data_dir, const std::string& conninfo,
                         const Account& account) {
  const std::string& superuser = account.name;
  std::string path = PassFilePath(data_dir);
  std::string password;
  if (auto existing = ReadFile(path); existing.ok()) {
    std::vector<std::string> fields = Split(Trim(*existing), ':');
    if (fields.size() == 5 && fields[3] == superuser) password = fields[4];
  }
  if (password.empty()) {
    std::random_device random;
    std::string seed;
    for (int i = 0; i < 8; ++i) seed += std::to_string(random());
    password = Sha256Hex(seed).substr(0, 32);
  }
  // Rewritten (atomically) even when it existed, to repair its mode and owner.
  RETORT_RETURN_IF_ERROR(
      WriteServerFile(path, "127.0.0.1:*:*:" + superuser + ":" + password + "\n", account));
  RETORT_ASSIGN_OR_RETURN(pg::Connection admin, pg::Connection::Open(conninfo, "retort-devdb"));
  auto altered = admin.Execute("ALTER ROLE " + QuoteIdentifier(superuser) + " PASSWORD " +
                               QuoteLiteral(password));
  if (!altered.ok()) {
    return Status::Failed("cannot set the TCP password of " + superuser + ": " +
                          altered.error.message);
  }
  return Status::Ok();
}

Status StartServer(const std::string& data_dir, const std::string& bin_dir, Settings settings,
                   bool port_is_ours, bool throwaway, const Account& account) {
  std::string log_file = JoinPath(data_dir, kLogFile);
  RemoveStaleLockFile(JoinPath(data_dir, "postmaster.pid"));
  auto stale_memory_deadline = Clock::now() + kStaleMemoryTimeout;
  int port_attempts = 0;
  while (true) {
    RETORT_RETURN_IF_ERROR(WriteSettings(data_dir, settings, throwaway, account));
    RemoveStaleLockFile(JoinPath(settings.socket_dir, ".s.PGSQL." + std::to_string(settings.port)) +
                        ".lock");
    off_t log_start = FileSize(log_file);
    CommandResult started = RunCommand({JoinPath(bin_dir, "pg_ctl"), "-D", data_dir, "-l", log_file,
                                        "-w", "-t", kStartTimeoutSeconds, "start"},
                                       /*as_cluster_user=*/true);
    if (started.exit_code == 0) return Status::Ok();
    std::string log = LogTail(log_file, log_start);
    // Another program took the port (or, for a socket-only cluster, another cluster in the same
    // socket directory uses its number) between our choosing and the server binding it.
    bool port_taken = Mentions(
        log, {"could not bind", "could not create any TCP/IP sockets", "using socket file"});
    if (port_is_ours && port_taken && ++port_attempts < kPortAttempts) {
      RETORT_ASSIGN_OR_RETURN(settings.port, FreePort());
      continue;
    }
    if (Mentions(log, {"pre-existing shared memory block"}) &&
        Clock::now() < stale_memory_deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    return Status::Failed("cannot start PostgreSQL in " + data_dir + " (pg_ctl exit " +
                          std::to_string(started.exit_code) + "):\n" +
                          std::string(Trim(started.output)) + "\n--- " + log_file + " ---\n" + log);
  }
}

// A server that is up may still be starting (crash recovery) or shutting down.
Status WaitUntilAccepting(const std::string& conninfo, int pid, const std::string& log_file) {
  auto deadline = Clock::now() + kAttachTimeout;
  std::string last_error;
  while (true) {
    auto connection = pg::Connection::Open(conninfo + " connect_timeout=5", "retort-devdb");
    if (connection.ok()) return Status::Ok();
    last_error = connection.status().message();
    if (!PostmasterRunning(pid) || Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Status::Failed("the PostgreSQL server (pid " + std::to_string(pid) +
                        ") does not accept connections: " + last_error + "\n--- " + log_file +
                        " ---\n" + LogTail(log_file, 0));
}

Status InitDb(const std::string& data_dir, const std::string& bin_dir, const Account& account) {
  if (PathExists(data_dir) && !IsDirectory(data_dir)) {
    return Status::InvalidInput(data_dir + ": exists and is not a directory");
  }
  std::error_code error;
  if (IsDirectory(data_dir) && !fs::is_empty(data_dir, error)) {
    return Status::InvalidInput(data_dir +
                                ": exists, is not empty and is not a PostgreSQL data directory "
                                "(no PG_VERSION); empty it or choose another location");
  }
  // initdb into a staging folder renamed into place at the end, so that PG_VERSION (which
  // initdb writes early) only ever appears in a complete cluster.
  std::string staging = data_dir + ".initdb";
  fs::remove_all(staging, error);  // left by an interrupted run; we hold the lock
  if (::mkdir(staging.c_str(), 0700) != 0) {
    return Status::Failed(staging + ": cannot create directory: " + ErrnoText());
  }
  RETORT_RETURN_IF_ERROR(GiveToServer(staging, account));
  // initdb refuses password authentication without a password; pg_hba.conf is replaced before
  // the first start anyway (WriteSettings).
  CommandResult result = RunCommand({JoinPath(bin_dir, "initdb"), "-D", staging, "-U", account.name,
                                     "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"},
                                    /*as_cluster_user=*/true);
  if (result.exit_code != 0) {
    fs::remove_all(staging, error);
    return Status::Failed("initdb failed for " + data_dir + " (exit " +
                          std::to_string(result.exit_code) + "):\n" +
                          std::string(Trim(result.output)));
  }
  {
    std::ofstream conf(JoinPath(staging, "postgresql.conf"), std::ios::app);
    conf << "\n# retort: port, socket and tuning for this cluster\n" << kIncludeLine << "\n";
    if (!conf.flush()) return Status::Failed(staging + "/postgresql.conf: cannot append");
  }
  if (IsDirectory(data_dir)) fs::remove(data_dir, error);  // empty, checked above
  if (::rename(staging.c_str(), data_dir.c_str()) != 0) {
    return Status::Failed(data_dir + ": cannot move the new cluster into place: " + ErrnoText());
  }
  return Status::Ok();
}

Status StopLocked(const std::string& data_dir) {
  ClusterInfo info = LocalCluster::Inspect(data_dir);
  if (!info.running) return Status::Ok();
  RETORT_ASSIGN_OR_RETURN(std::string bin_dir, BinDirFor(data_dir, ""));
  CommandResult stopped = RunCommand({JoinPath(bin_dir, "pg_ctl"), "-D", data_dir, "-m", "fast",
                                      "-w", "-t", kStartTimeoutSeconds, "stop"},
                                     /*as_cluster_user=*/true);
  if (stopped.exit_code != 0 && LocalCluster::Inspect(data_dir).running) {
    return Status::Failed("cannot stop PostgreSQL in " + data_dir + ":\n" +
                          std::string(Trim(stopped.output)));
  }
  return Status::Ok();
}

// libpq conninfo value: quoted when it has spaces, quotes or backslashes.
std::string ConnValue(const std::string& value) {
  if (!value.empty() && value.find_first_of(" \t\n'\\=") == std::string::npos) return value;
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  quoted.push_back('\'');
  return quoted;
}

std::string PercentEncode(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded.push_back(c);
    } else {
      encoded += {'%', kHex[u >> 4], kHex[u & 0xf]};
    }
  }
  return encoded;
}

// The environment initdb, pg_ctl and the postmaster get: only what locates programs and sets
// locale and time zone. Ours may hold DATABASE_URL, RETORT_DATABASE_URL, PGPASSWORD and other
// secrets, which a long-lived server would otherwise keep readable in /proc/<pid>/environ;
// and PGPORT, PGDATA or PGHOST would change what pg_ctl talks to.
std::vector<std::string> ServerEnvironment() {
  std::vector<std::string> kept;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view variable = *entry;
    std::string_view name = variable.substr(0, variable.find('='));
    if (name == "PATH" || name == "LANG" || name == "TZ" || name == "TMPDIR" ||
        StartsWith(name, "LC_")) {
      kept.emplace_back(variable);
    }
  }
  if (std::none_of(kept.begin(), kept.end(),
                   [](const std::string& variable) { return StartsWith(variable, "PATH="); })) {
    kept.emplace_back("PATH=/usr/local/bin:/usr/bin:/bin");
  }
  return kept;
}

std::optional<std::string> FindExecutable(std::initializer_list<const char*> candidates) {
  for (const char* candidate : candidates) {
    if (::access(candidate, X_OK) == 0) return std::string(candidate);
  }
  return std::nullopt;
}

}  // namespace

// ---- LocalCluster

Result<std::string> LocalCluster::FindBinDir(const std::string& requested) {
  if (!requested.empty()) {
    if (HasServerBinaries(requested)) return requested;
    return Status::InvalidInput(requested +
                                ": no PostgreSQL server binaries (initdb, pg_ctl, postgres) here");
  }
  // Debian's pg_config may belong to the client package and point at /usr/bin, which has no
  // initdb: only trust it when the server binaries are really there.
  CommandResult pg_config = RunCommand({"pg_config", "--bindir"}, /*as_cluster_user=*/false);
  if (pg_config.exit_code == 0) {
    std::string dir(Trim(pg_config.output));
    if (HasServerBinaries(dir)) return dir;
  }
  std::error_code error;
  int newest = -1;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", error)) {
    std::string name = entry.path().filename().string();
    bool numeric = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
    if (!numeric) continue;
    int version = std::atoi(name.c_str());
    if (version > newest && HasServerBinaries(JoinPath(entry.path().string(), "bin"))) {
      newest = version;
    }
  }
  if (newest >= 0) return "/usr/lib/postgresql/" + std::to_string(newest) + "/bin";
  return Status::Failed(
      "PostgreSQL server binaries not found (no initdb in `pg_config --bindir` or "
      "/usr/lib/postgresql/*/bin); install postgresql-15");
}

bool LocalCluster::ServerUserCanReach(const std::string& data_dir) {
  if (!IsRoot()) return true;
  return ServerCanEnter(ExistingAncestor(DirName(NormalizeDir(data_dir))));
}

std::string LocalCluster::FallbackDataDir(const std::string& data_dir) {
  std::string absolute = NormalizeDir(data_dir);
  return "/var/tmp/retort-" + Sha256Hex(absolute).substr(0, 12) + "/" + BaseName(absolute);
}

// Over the unix socket authentication is `trust`: its directory is private (0700, the server
// account's), so only that account and root get in. With listen_tcp the server also listens on
// 127.0.0.1 only, where pg_hba.conf (RenderHba) asks for the superuser's password.
Result<LocalCluster> LocalCluster::Ensure(const ClusterOptions& options) {
  if (options.data_dir.empty()) {
    return Status::InvalidInput("no data directory given for the local PostgreSQL cluster");
  }
  const std::string data_dir = NormalizeDir(options.data_dir);
  RETORT_ASSIGN_OR_RETURN(Account account, ServerAccount());
  // Checked on the nearest existing folder before creating anything, so that a refusal leaves
  // no empty folders behind.
  if (!ServerUserCanReach(data_dir)) {
    return Status::InvalidInput(
        data_dir + ": the PostgreSQL server runs as the '" + account.name +
        "' OS user (it refuses to run as root), and that user cannot enter " +
        FirstBlockedFolder(ExistingAncestor(DirName(data_dir))) +
        "; put the data directory where that user can reach it (for example under /var/tmp)");
  }
  RETORT_RETURN_IF_ERROR(MakeTraversableDirectories(DirName(data_dir)));
  RETORT_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(LockPath(data_dir)));

  RETORT_ASSIGN_OR_RETURN(std::string bin_dir, BinDirFor(data_dir, options.bin_dir));
  if (!PathExists(JoinPath(data_dir, "PG_VERSION"))) {
    RETORT_RETURN_IF_ERROR(InitDb(data_dir, bin_dir, account));
  } else {
    struct stat info {};
    if (::stat(data_dir.c_str(), &info) == 0 && info.st_uid != account.uid) {
      return Status::InvalidInput(data_dir + ": belongs to uid " + std::to_string(info.st_uid) +
                                  ", but the server would run as '" + account.name + "'");
    }
  }

  ClusterInfo current = Inspect(data_dir);
  std::optional<Settings> saved = ReadSettings(data_dir);
  bool started = false;
  if (current.running) {
    if (options.port != 0 && options.port != current.port) {
      return Status::InvalidInput(data_dir + ": the server already runs on port " +
                                  std::to_string(current.port) + ", not " +
                                  std::to_string(options.port) + "; stop it first");
    }
    if (!options.socket_dir.empty() && NormalizeDir(options.socket_dir) != current.socket_dir) {
      return Status::InvalidInput(data_dir + ": the server already uses socket directory " +
                                  current.socket_dir + "; stop it first");
    }
    if (options.listen_tcp && !(saved && saved->listen_tcp)) {
      return Status::InvalidInput(data_dir +
                                  ": the server already runs without TCP; stop it first");
    }
  } else {
    Settings settings;
    settings.listen_tcp = options.listen_tcp;
    if (!options.socket_dir.empty()) {
      settings.socket_dir = NormalizeDir(options.socket_dir);
      if (settings.socket_dir.find_first_of(",\"") != std::string::npos) {
        return Status::InvalidInput(settings.socket_dir +
                                    ": socket directory must not contain ',' or '\"'");
      }
    } else if (saved && !saved->socket_dir.empty()) {
      settings.socket_dir = saved->socket_dir;
    } else {
      settings.socket_dir = DerivedSocketDir(data_dir);
    }
    bool port_is_ours = options.port == 0;
    if (!port_is_ours) {
      settings.port = options.port;
    } else if (saved && saved->port > 0) {
      settings.port = saved->port;
    } else {
      RETORT_ASSIGN_OR_RETURN(settings.port, FreePort());
    }
    RETORT_RETURN_IF_ERROR(PrepareSocketDir(settings.socket_dir, account));
    RETORT_RETURN_IF_ERROR(
        StartServer(data_dir, bin_dir, settings, port_is_ours, options.throwaway, account));
    started = true;
  }

  LocalCluster cluster;
  cluster.started_ = started;
  cluster.info_ = Inspect(data_dir);
  cluster.superuser_ = account.name;
  cluster.bin_dir_ = bin_dir;
  if (!cluster.info_.running) {
    return Status::Failed("PostgreSQL in " + data_dir + " stopped right after starting:\n" +
                          LogTail(cluster.info_.log_file, 0));
  }
  RETORT_RETURN_IF_ERROR(
      WaitUntilAccepting(cluster.ConnInfo(), cluster.info_.pid, cluster.info_.log_file));
  if (options.listen_tcp) {
    RETORT_RETURN_IF_ERROR(EnsureTcpPassword(data_dir, cluster.ConnInfo(), account));
  }
  return cluster;
}

ClusterInfo LocalCluster::Inspect(const std::string& data_dir) {
  ClusterInfo info;
  info.data_dir = NormalizeDir(data_dir);
  info.log_file = JoinPath(info.data_dir, kLogFile);
  info.initialised = PathExists(JoinPath(info.data_dir, "PG_VERSION"));
  if (auto settings = ReadSettings(info.data_dir)) {
    info.port = settings->port;
    info.socket_dir = settings->socket_dir;
  }
  // postmaster.pid: pid, data dir, start time, port, socket dir, listen address, shmem, status.
  auto pid_file = ReadFile(JoinPath(info.data_dir, "postmaster.pid"));
  if (!pid_file.ok()) return info;
  std::vector<std::string> lines = Split(*pid_file, '\n');
  int pid = lines.empty() ? 0 : std::atoi(lines[0].c_str());
  if (!PostmasterRunning(pid)) return info;
  info.running = true;
  info.pid = pid;
  if (lines.size() >= 5) {
    // What the running server really uses wins over the file it was started with.
    if (int port = std::atoi(lines[3].c_str()); port > 0) info.port = port;
    if (!Trim(lines[4]).empty()) info.socket_dir = std::string(Trim(lines[4]));
  }
  return info;
}

Status LocalCluster::Stop(const std::string& data_dir) {
  std::string dir = NormalizeDir(data_dir);
  if (!IsDirectory(dir)) return Status::Ok();
  RETORT_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(LockPath(dir)));
  return StopLocked(dir);
}

Status LocalCluster::Destroy(const std::string& data_dir) {
  std::string dir = NormalizeDir(data_dir);
  if (!PathExists(dir)) return Status::Ok();
  std::error_code error;
  if (!PathExists(JoinPath(dir, "PG_VERSION")) && !fs::is_empty(dir, error)) {
    return Status::InvalidInput(dir +
                                ": not a PostgreSQL data directory (no PG_VERSION); refusing to "
                                "remove it");
  }
  RETORT_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(LockPath(dir)));
  std::optional<Settings> settings = ReadSettings(dir);
  RETORT_RETURN_IF_ERROR(StopLocked(dir));
  fs::remove_all(dir, error);
  if (error) return Status::Failed(dir + ": cannot remove: " + error.message());
  // Only a socket directory we derived is ours to tidy, and only once no cluster uses it.
  if (settings && settings->socket_dir == DerivedSocketDir(dir)) {
    ::rmdir(settings->socket_dir.c_str());
  }
  return Status::Ok();
}

std::string LocalCluster::ConnInfo(const std::string& dbname) const {
  return "host=" + ConnValue(info_.socket_dir) + " port=" + std::to_string(info_.port) +
         " user=" + ConnValue(superuser_) + " dbname=" + ConnValue(dbname);
}

std::string LocalCluster::TcpUrl(const std::string& dbname) const {
  return "postgresql://" + PercentEncode(superuser_) + "@127.0.0.1:" + std::to_string(info_.port) +
         "/" + PercentEncode(dbname) + "?passfile=" + PercentEncode(PassFile());
}

std::string LocalCluster::PassFile() const { return PassFilePath(info_.data_dir); }

// ---- RunCommand

CommandResult RunCommand(const std::vector<std::string>& argv, bool as_cluster_user) {
  CommandResult result;
  if (argv.empty()) {
    result.output = "no command given";
    return result;
  }
  std::vector<std::string> command;
  if (as_cluster_user && IsRoot()) {
    if (auto runuser = FindExecutable(
            {"/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"})) {
      command = {*runuser, "-u", kServerAccount, "--"};
    } else if (auto setpriv = FindExecutable({"/usr/bin/setpriv", "/bin/setpriv"})) {
      command = {*setpriv, "--reuid=postgres", "--regid=postgres", "--init-groups"};
    } else {
      result.exit_code = 127;
      result.output = "neither runuser nor setpriv is installed: cannot run " + argv[0] +
                      " as the 'postgres' account";
      return result;
    }
  }
  command.insert(command.end(), argv.begin(), argv.end());
  std::vector<char*> args;
  for (std::string& arg : command) args.push_back(arg.data());
  args.push_back(nullptr);

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    result.output = std::string("cannot create a pipe: ") + ErrnoText();
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  // Whatever else is open here (other threads' sockets, lock files) must not leak into a
  // postmaster that outlives us.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  // The server account may not be allowed into our working directory (/root); all our paths
  // are absolute.
  if (as_cluster_user) posix_spawn_file_actions_addchdir_np(&actions, "/");
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<std::string> server_environment;
  std::vector<char*> environment;
  if (as_cluster_user) {
    server_environment = ServerEnvironment();
    for (std::string& variable : server_environment) environment.push_back(variable.data());
    environment.push_back(nullptr);
  }
  pid_t pid = 0;
  int spawn_error = ::posix_spawnp(&pid, args[0], &actions, &attributes, args.data(),
                                   as_cluster_user ? environment.data() : environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(pipe_fds[1]);
  if (spawn_error != 0) {
    ::close(pipe_fds[0]);
    result.exit_code = 127;
    result.output = "cannot run " + command[0] + ": " + std::strerror(spawn_error);
    return result;
  }
  char buffer[4096];
  while (true) {
    ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n > 0) {
      result.output.append(buffer, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return result;
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

}  // namespace retort::devdb
