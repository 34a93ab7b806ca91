#include "devdb/scratch.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <utility>

#include "base/files.h"
#include "base/strings.h"
#include "sqltext/classify.h"
#include "sqltext/split.h"

namespace retort::devdb {

namespace {

constexpr char kScratchPrefix[] = "retort_scratch_";
constexpr char kTemplatePrefix[] = "retort_tpl_";
constexpr char kSparePrefix[] = "retort_spare_";
// The spares this role may rename (owner), oldest first.
constexpr char kSparesQuery[] =
    "SELECT datname FROM pg_database WHERE datname LIKE 'retort\\_spare\\_%' AND datdba = "
    "(SELECT oid FROM pg_roles WHERE rolname = current_user) ORDER BY oid";
// The databases matching a LIKE pattern that this role owns, oldest first, and whether someone
// is connected to each (DROP DATABASE would wait for them, or fail).
constexpr char kOwnedDatabasesQuery[] =
    "SELECT datname, datname IN (SELECT datname FROM pg_stat_activity WHERE datname IS NOT NULL) "
    "FROM pg_database WHERE datname LIKE $1 AND datdba = (SELECT oid FROM pg_roles WHERE rolname "
    "= current_user) ORDER BY oid";
constexpr char kTemplatePattern[] = "retort\\_tpl\\_%";
constexpr char kSparePattern[] = "retort\\_spare\\_%";
// The template cache: enough for a few projects and branches, bounded so that a dev server
// shared by many checkouts does not fill its disk (each template is a whole database).
constexpr int kKeptTemplates = 8;
constexpr int kKeptSpares = 1;
constexpr char kDuplicateDatabase[] = "42P04";
// CREATE DATABASE copies from it; unlike template1 nobody can have put objects into it.
constexpr char kDefaultTemplate[] = "template0";
// Errors that mean "this must not run inside a transaction block", raised when a batched file
// holds a statement the classifier cannot see through (a DO block or procedure that COMMITs).
constexpr char kActiveTransaction[] = "25001";
constexpr char kInvalidTransactionTermination[] = "2D000";

std::atomic<int> g_next_scratch{0};
// The process that last looked for stale scratch databases: once per process, and a forked
// child (which inherits this value) counts as a new process.
std::mutex g_cleanup_mutex;
pid_t g_cleaned_by = 0;

bool DropWithForce(const pg::Connection& connection) {
  return connection.ServerVersion() >= 130000;
}

// Tells this host's scratch databases from those of other hosts sharing the dev server: a dead
// pid is only meaningful on the host that ran it.
const std::string& HostKey() {
  static const std::string key = [] {
    char host[256] = {};
    ::gethostname(host, sizeof(host) - 1);
    auto machine_id = ReadFile("/etc/machine-id");
    std::string material = std::string(host) + "\n" + (machine_id.ok() ? *machine_id : "");
    return Sha256Hex(material).substr(0, 8);
  }();
  return key;
}

// Lowercase letters and digits only, so the name never needs quoting; short enough that the
// whole name stays under PostgreSQL's 63-byte identifier limit.
std::string SanitisePurpose(const std::string& purpose) {
  std::string cleaned;
  for (char c : ToLower(purpose)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) cleaned += c;
    if (cleaned.size() == 10) break;
  }
  return cleaned.empty() ? "db" : cleaned;
}

// retort_scratch_<purpose>_<host>_<pid>_<n>: the creator's pid when the host is this one.
std::optional<long> CreatorPidOnThisHost(const std::string& name) {
  if (!StartsWith(name, kScratchPrefix)) return std::nullopt;
  std::vector<std::string> parts = Split(name.substr(sizeof(kScratchPrefix) - 1), '_');
  if (parts.size() != 4 || parts[1] != HostKey()) return std::nullopt;
  char* end = nullptr;
  long pid = std::strtol(parts[2].c_str(), &end, 10);
  if (end == parts[2].c_str() || *end != '\0' || pid <= 0) return std::nullopt;
  return pid;
}

bool ProcessIsGone(long pid) { return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

// Scratch databases left by crashed runs of this host. Databases someone is connected to are
// left alone (DROP would wait for them), as is everything of other hosts.
void DropStaleScratchDatabases(pg::Connection& admin) {
  auto found = admin.Query(
      "SELECT datname FROM pg_database WHERE datname LIKE 'retort\\_scratch\\_%' AND datname NOT "
      "IN (SELECT datname FROM pg_stat_activity WHERE datname IS NOT NULL)");
  if (!found.ok()) return;
  for (int row = 0; row < found->rows(); ++row) {
    std::string name = found->Get(row, 0);
    std::optional<long> pid = CreatorPidOnThisHost(name);
    if (!pid || *pid == ::getpid() || !ProcessIsGone(*pid)) continue;
    (void)admin.Execute("DROP DATABASE IF EXISTS " + pg::QuoteIdent(name));
  }
}

// Drops the oldest of this role's databases matching `pattern` until at most `limit` are left,
// never `keep` nor one in use; returns the names dropped.
std::vector<std::string> DropOldestBeyond(pg::Connection& admin, const std::string& pattern,
                                          int limit, const std::string& keep = "") {
  std::vector<std::string> dropped;
  auto owned = admin.QueryParams(kOwnedDatabasesQuery, {pattern});
  if (!owned.ok()) return dropped;
  int count = owned->rows();
  for (int row = 0; row < owned->rows() && count > limit; ++row) {
    std::string name = owned->Get(row, 0);
    if (name == keep || owned->Get(row, 1) == "t") continue;
    if (admin.Execute("DROP DATABASE IF EXISTS " + pg::QuoteIdent(name)).ok()) {
      dropped.push_back(name);
      --count;
    }
  }
  return dropped;
}

// Renames a spare (an untouched copy of template0 that PrepareSpare made) to `name`. False when
// there is none, or when other processes took each one first.
bool ClaimSpare(pg::Connection& admin, const std::string& name) {
  auto spares = admin.Query(kSparesQuery);
  if (!spares.ok()) return false;
  for (int row = 0; row < spares->rows(); ++row) {
    auto renamed = admin.Execute("ALTER DATABASE " + pg::QuoteIdent(spares->Get(row, 0)) +
                                 " RENAME TO " + pg::QuoteIdent(name));
    if (renamed.ok()) return true;
  }
  return false;
}

// What runs in a scratch database can be rebuilt, so its commits need not wait for the WAL to
// reach the disk: on a durable dev server (the embedded cluster keeps fsync on, since it may
// hold a user's own database) that saves a flush per migration and per schema file. A crash
// loses at most the last commits of throwaway work, never consistency. Set on the database, so
// every session in it (and DISCARD ALL) keeps it; a failure only costs that speed.
void MakeCommitsAsynchronous(pg::Connection& admin, const std::string& database) {
  (void)admin.Execute("SET synchronous_commit = off; ALTER DATABASE " + pg::QuoteIdent(database) +
                      " SET synchronous_commit = off");
}

std::string UniqueName(const std::string& prefix, const std::string& purpose) {
  return prefix + (purpose.empty() ? "" : purpose + "_") + HostKey() + "_" +
         std::to_string(::getpid()) + "_" + std::to_string(g_next_scratch++);
}

// PgError::position counts characters (1-based) of the text sent; the byte offset it names.
size_t ByteOffsetOfPosition(std::string_view text, int position) {
  size_t offset = 0;
  for (int skipped = 1; skipped < position && offset < text.size(); ++skipped) {
    ++offset;
    while (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) {
      ++offset;
    }
  }
  return std::min(offset, text.size());
}

Status StatementFailed(const std::string& file, int line, const pg::PgError& error) {
  return Status::InvalidInput(file + ":" + std::to_string(line) +
                              ": statement failed: " + error.ToString());
}

struct ParsedFile {
  std::string name;
  std::string text;
  std::vector<sqltext::Statement> statements;
  bool batchable = true;  // every statement may share one transaction with the others
};

Status RunStatementByStatement(pg::Connection& connection, const ParsedFile& file) {
  for (const sqltext::Statement& statement : file.statements) {
    auto outcome = connection.Execute(statement.text);
    if (outcome.ok()) continue;
    int line = statement.line;
    if (outcome.error.position > 0) {
      line += LineOfOffset(statement.text,
                           ByteOffsetOfPosition(statement.text, outcome.error.position)) -
              1;
    }
    return StatementFailed(file.name, line, outcome.error);
  }
  return Status::Ok();
}

Status RunFile(pg::Connection& connection, const ParsedFile& file) {
  if (!file.batchable) return RunStatementByStatement(connection, file);
  // One round trip: a multi-statement simple query runs as one implicit transaction, so a
  // failure leaves nothing of the file behind and the statement-by-statement rerun starts from
  // the same state.
  auto outcome = connection.Execute(file.text);
  if (outcome.ok()) return Status::Ok();
  const pg::PgError& error = outcome.error;
  if (error.position > 0 && error.sqlstate != kActiveTransaction &&
      error.sqlstate != kInvalidTransactionTermination) {
    int line = LineOfOffset(file.text, ByteOffsetOfPosition(file.text, error.position));
    return StatementFailed(file.name, line, error);
  }
  // No position (an error inside a DO block, a failed foreign key...), or a statement that
  // refused the implicit transaction: find the statement by running them one at a time.
  if (connection.InTransaction()) (void)connection.Execute("ROLLBACK");
  return RunStatementByStatement(connection, file);
}

}  // namespace

Result<ScratchDatabase> ScratchDatabase::Create(const std::string& server_conninfo,
                                                const std::string& purpose,
                                                const std::string& template_name) {
  RETORT_ASSIGN_OR_RETURN(pg::Connection admin,
                          pg::Connection::Open(server_conninfo, "retort scratch"));
  {
    std::lock_guard<std::mutex> lock(g_cleanup_mutex);
    if (g_cleaned_by != ::getpid()) {
      g_cleaned_by = ::getpid();
      DropStaleScratchDatabases(admin);
    }
  }
  std::string name = UniqueName(kScratchPrefix, SanitisePurpose(purpose));
  if (template_name.empty() && ClaimSpare(admin, name)) {
    ScratchDatabase scratch(server_conninfo, std::move(name));
    scratch.admin_.emplace(std::move(admin));
    return scratch;
  }
  std::string source = template_name.empty() ? kDefaultTemplate : template_name;
  auto created = admin.Execute("CREATE DATABASE " + pg::QuoteIdent(name) + " TEMPLATE " +
                               pg::QuoteIdent(source));
  if (!created.ok()) {
    return created.error.ToStatus("cannot create a scratch database on the dev server (" +
                                  admin.Describe() + "; the dev_url user needs CREATEDB): ");
  }
  MakeCommitsAsynchronous(admin, name);
  ScratchDatabase scratch(server_conninfo, std::move(name));
  scratch.admin_.emplace(std::move(admin));
  return scratch;
}

ScratchDatabase::ScratchDatabase(ScratchDatabase&& other) noexcept
    : server_conninfo_(std::move(other.server_conninfo_)),
      name_(std::exchange(other.name_, std::string())),
      admin_(std::move(other.admin_)) {
  other.admin_.reset();
}

ScratchDatabase& ScratchDatabase::operator=(ScratchDatabase&& other) noexcept {
  if (this != &other) {
    Drop();
    server_conninfo_ = std::move(other.server_conninfo_);
    name_ = std::exchange(other.name_, std::string());
    admin_ = std::move(other.admin_);
    other.admin_.reset();
  }
  return *this;
}

ScratchDatabase::~ScratchDatabase() { Drop(); }

Status ScratchDatabase::EnsureAdmin() {
  if (admin_) return Status::Ok();
  RETORT_ASSIGN_OR_RETURN(pg::Connection reconnected,
                          pg::Connection::Open(server_conninfo_, "retort scratch"));
  admin_.emplace(std::move(reconnected));
  return Status::Ok();
}

void ScratchDatabase::Drop() {
  if (name_.empty()) return;
  if (!EnsureAdmin().ok()) return;
  std::string sql = "DROP DATABASE IF EXISTS " + pg::QuoteIdent(name_);
  if (DropWithForce(*admin_)) sql += " WITH (FORCE)";
  (void)admin_->Execute(sql);
  name_.clear();
}

Result<pg::Connection> ScratchDatabase::Connect() const {
  RETORT_ASSIGN_OR_RETURN(pg::Connection connection,
                          pg::Connection::OpenDatabase(server_conninfo_, name_, "retort scratch"));
  // Single-database servers (PGlite behind pglite-socket) accept CREATE DATABASE but connect
  // every client to their one database whatever it asks for: schema files applied "in the
  // scratch database" would land in the user's own.
  auto current = connection.Execute("SELECT current_database()");
  if (!current.ok()) {
    return current.error.ToStatus("cannot read the scratch database's name on the dev server (" +
                                  connection.Describe() + "): ");
  }
  std::string actual = current.value->rows() == 1 ? current.value->Get(0, 0) : "";
  if (actual != name_) {
    return Status::Failed("the dev server (" + connection.Describe() + ") connected to database " +
                          actual + " when asked for scratch database " + name_ +
                          ": it does not keep databases apart (PGlite serves one database), so "
                          "it cannot be the dev server; set dev_url to a PostgreSQL server");
  }
  return connection;
}

Status ScratchDatabase::Keep(const std::string& new_name) {
  RETORT_RETURN_IF_ERROR(EnsureAdmin());
  auto renamed = admin_->Execute("ALTER DATABASE " + pg::QuoteIdent(name_) + " RENAME TO " +
                                 pg::QuoteIdent(new_name));
  if (!renamed.ok()) {
    if (renamed.error.sqlstate == kDuplicateDatabase) {
      return Status::InvalidInput("database " + new_name + " already exists");
    }
    return renamed.error.ToStatus("cannot rename scratch database " + name_ + ": ");
  }
  name_.clear();
  return Status::Ok();
}

Status PrepareSpare(const std::string& server_conninfo) {
  RETORT_ASSIGN_OR_RETURN(pg::Connection admin,
                          pg::Connection::Open(server_conninfo, "retort scratch"));
  RETORT_ASSIGN_OR_RETURN(auto spares, admin.Query(kSparesQuery));
  if (spares.rows() > 0) {
    // Racing runs may each have made one; one serves.
    if (spares.rows() > kKeptSpares) (void)DropOldestBeyond(admin, kSparePattern, kKeptSpares);
    return Status::Ok();
  }
  std::string name = UniqueName(kSparePrefix, "");
  auto created =
      admin.Execute("CREATE DATABASE " + pg::QuoteIdent(name) + " TEMPLATE " + kDefaultTemplate);
  if (!created.ok()) return created.error.ToStatus("cannot create a spare database: ");
  // Renaming the spare into a scratch database keeps the setting.
  MakeCommitsAsynchronous(admin, name);
  return Status::Ok();
}

std::string TemplateName(const std::string& project_key, const std::string& content_key) {
  return std::string(kTemplatePrefix) + project_key.substr(0, 12) + "_" + content_key.substr(0, 16);
}

Result<std::string> ServerFingerprint(pg::Connection& admin) {
  RETORT_ASSIGN_OR_RETURN(
      auto found,
      admin.Query("SELECT current_setting('server_version_num') || ' ' || "
                  "coalesce(string_agg(name || ' ' || coalesce(default_version, ''), ',' "
                  "ORDER BY name), '') FROM pg_available_extensions"));
  return found.Get(0, 0);
}

Result<bool> DatabaseExists(pg::Connection& admin, const std::string& name) {
  RETORT_ASSIGN_OR_RETURN(
      auto found, admin.QueryParams("SELECT 1 FROM pg_database WHERE datname = $1", {name}));
  return found.rows() > 0;
}

Status KeepAsTemplate(ScratchDatabase scratch, const std::string& project_key,
                      const std::string& content_key) {
  std::string name = TemplateName(project_key, content_key);
  Status kept = scratch.Keep(name);
  // Another process made the same template first: theirs serves; ours is dropped.
  if (!kept.ok() && kept.code() != Code::kInvalidInput) return kept;
  pg::Connection& admin = *scratch.admin_;
  // The project's older templates, unless someone is reading one right now (it goes next time).
  std::string prefix = TemplateName(project_key, "");
  RETORT_ASSIGN_OR_RETURN(
      auto stale,
      admin.QueryParams("SELECT datname FROM pg_database WHERE left(datname, length($1)) = $1 "
                        "AND datname <> $2 AND datname NOT IN (SELECT datname FROM "
                        "pg_stat_activity WHERE datname IS NOT NULL)",
                        {prefix, name}));
  for (int row = 0; row < stale.rows(); ++row) {
    (void)admin.Execute("DROP DATABASE IF EXISTS " + pg::QuoteIdent(stale.Get(row, 0)));
  }
  // Other projects' templates (or this project's from before it moved) would pile up on a
  // shared dev server: the cache keeps the newest.
  (void)DropOldestBeyond(admin, kTemplatePattern, kKeptTemplates, name);
  return Status::Ok();
}

Result<std::vector<std::string>> PruneCaches(const std::string& server_conninfo) {
  RETORT_ASSIGN_OR_RETURN(pg::Connection admin,
                          pg::Connection::Open(server_conninfo, "retort scratch"));
  DropStaleScratchDatabases(admin);
  std::vector<std::string> dropped = DropOldestBeyond(admin, kTemplatePattern, 0);
  for (std::string& name : DropOldestBeyond(admin, kSparePattern, 0)) {
    dropped.push_back(std::move(name));
  }
  return dropped;
}

Status ApplySqlFiles(pg::Connection& connection, const std::vector<SqlFile>& files) {
  // Parse everything first: a syntax error in the last file costs no server work.
  std::vector<ParsedFile> parsed;
  parsed.reserve(files.size());
  for (const SqlFile& file : files) {
    ParsedFile entry;
    entry.name = file.display_name.empty() ? file.path : file.display_name;
    if (file.text) {
      entry.text = *file.text;
    } else {
      auto text = ReadFile(file.path);
      if (!text.ok()) return Status::InvalidInput(text.status().message());
      entry.text = std::move(*text);
    }
    RETORT_RETURN_IF_ERROR(CheckTextFile(entry.text, entry.name));
    RETORT_ASSIGN_OR_RETURN(entry.statements, sqltext::SplitStatements(entry.text, entry.name, 1));
    for (const sqltext::Statement& statement : entry.statements) {
      // Without rows after it (or with rows that happen to parse): the server would wait for
      // data no one sends.
      if (sqltext::CopiesFromStdin(statement.text)) {
        return sqltext::CopyFromStdinUnsupported(entry.name, statement.line);
      }
      if (sqltext::ClassifyTransactionUse(statement.text) != sqltext::TransactionUse::kAny) {
        entry.batchable = false;
        break;
      }
    }
    parsed.push_back(std::move(entry));
  }
  for (const ParsedFile& file : parsed) {
    if (file.statements.empty()) continue;
    RETORT_RETURN_IF_ERROR(RunFile(connection, file));
    if (connection.InTransaction()) {
      (void)connection.Execute("ROLLBACK");
      return Status::InvalidInput(file.name + ":" + std::to_string(file.statements.back().line) +
                                  ": the file ends inside a transaction (BEGIN without COMMIT)");
    }
    // psql -f starts each file in a new session: SET search_path, SET ROLE and temporary tables
    // of one file must change neither the next file nor how the catalog reads the result.
    auto reset = connection.Execute("DISCARD ALL");
    if (!reset.ok()) return reset.error.ToStatus("after " + file.name + ": ");
  }
  return Status::Ok();
}

Status ApplySqlFiles(pg::Connection& connection, const std::vector<std::string>& paths) {
  std::vector<SqlFile> files;
  files.reserve(paths.size());
  for (const std::string& path : paths) files.push_back(SqlFile{path, ""});
  return ApplySqlFiles(connection, files);
}

}  // namespace retort::devdb
