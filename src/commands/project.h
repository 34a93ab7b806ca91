// What most commands start from: the config, the parsed migration files and their graph, and
// (when asked) a connection to the configured database.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/config.h"
#include "executor/executor.h"
#include "history/version_store.h"
#include "migrations/migration.h"
#include "pg/advisory_lock.h"
#include "pg/connection.h"
#include "revision/graph.h"

namespace retort::commands {

// What the log can show while a command runs. src/cli describes its stderr (a terminal or not,
// its width, RETORT_PROGRESS); the commands never look at a terminal themselves. The default is
// a plain log: whole lines only.
struct LogDisplay {
  bool is_terminal = false;         // a progress line can be redrawn in place
  bool statement_progress = false;  // a long statement shows its progress (StatementProgress)
  size_t width = 0;                 // bytes a redrawn line may take; 0: unknown (the default)
};

// A migration that upgrade or downgrade ran, as it finishes (Io::migrated).
struct MigrationRun {
  bool upgrade = true;  // false: downgraded
  std::string revision;
  std::string message;
  size_t statements = 0;  // in the direction it ran
  double elapsed_ms = 0;
};

// Where a command writes while it runs: data that must stream (upgrade --sql's script) to `out`,
// progress, notes and warnings for the person running it to `log`. What a command finds is its
// return value, which src/cli prints.
// `confirm` asks the person at the terminal a yes/no question (the text ends in "[y/N]") and
// says whether they answered yes; empty when nobody can be asked (stdin is not a terminal), and
// commands then take the safe default and say so. src/cli sets it; tests answer in code.
struct Io {
  std::ostream& out;
  std::ostream& log;
  std::function<bool(const std::string& question)> confirm = nullptr;
  LogDisplay display = {};
  // Called as each migration of an upgrade or downgrade finishes; src/cli prints a line on the
  // log. Empty: nothing is said.
  std::function<void(const MigrationRun&)> migrated = nullptr;
  // The line a long statement's progress or a backfill's bar is redrawn on (src/cli draws it on
  // the log). Null: none is shown.
  executor::LiveLine* live_line = nullptr;
};

// The migration files' headers and their graph: what planning, the history and the reports
// need. A headers-only load (LoadProjectHeaders) is one of these and no more; a Project (below)
// is one too, with every file parsed.
struct ProjectHeaders {
  // Indexes `headers`. Neither copied nor moved: the indexes point into the files' storage.
  ProjectHeaders(config::Config config_in, revision::RevisionGraph graph_in,
                 std::vector<migrations::MigrationHeader> headers_in = {});
  ProjectHeaders(const ProjectHeaders&) = delete;
  ProjectHeaders& operator=(const ProjectHeaders&) = delete;
  virtual ~ProjectHeaders() = default;

  config::Config config;
  revision::RevisionGraph graph;
  // id -> header, pointing into `headers` (a headers-only load) or Project::migrations.
  std::map<std::string, const migrations::MigrationHeader*, std::less<>> header_index;
  std::vector<migrations::MigrationHeader> headers;  // a headers-only load's files

  const migrations::MigrationHeader& Header(const std::string& id) const {
    return *header_index.at(id);
  }
  // The file parsed where it was (a Project); null after a headers-only load, whose statements
  // are only to be had by parsing the file (WithStatements).
  const migrations::Migration* Parsed(const std::string& id) const;
  history::VersionStore Store() const;  // StoreIn(config, config.version_table_schema)

 protected:
  executor::MigrationIndex index;  // id -> parsed migration: a Project's, else empty
};

// Where retort keeps its version and history tables for `config`'s project, in `schema` (the
// configured version_table_schema, or a fleet's tenant schema).
history::VersionStore StoreIn(const config::Config& config, const std::string& schema);

// Every migration file parsed, and their graph.
struct Project : ProjectHeaders {
  Project(config::Config config_in, revision::RevisionGraph graph_in,
          std::vector<migrations::Migration> migrations_in);

  std::vector<migrations::Migration> migrations;
  using ProjectHeaders::index;  // id -> migration, pointing into `migrations`

  const migrations::Migration& Get(const std::string& id) const { return *index.at(id); }
};

// Loads the migrations directory and builds the graph. Every problem is InvalidInput naming
// file and line, and no database is touched. Heap-allocated because the indexes point into the
// files' storage.
Result<std::unique_ptr<Project>> LoadProject(
    const config::Config& config, migrations::ParseDepth depth = migrations::ParseDepth::kFull);
// Whether retort may keep caches (the header cache, template keys) in the project's .retort/,
// which must not turn up as untracked files in the user's repository: where that directory
// exists already, or where the project's .gitignore lists it (as `retort init` writes it).
bool ProjectCacheWanted(const config::Config& config);
// The headers alone (enough for the graph; from the header cache where the files have not
// changed); a broken directory is parsed fully, so that every mistake is reported at once.
Result<std::unique_ptr<ProjectHeaders>> LoadProjectHeaders(const config::Config& config);
// LoadProject(config, *depth), or LoadProjectHeaders where `depth` is empty.
Result<std::unique_ptr<ProjectHeaders>> LoadProjectAt(const config::Config& config,
                                                      std::optional<migrations::ParseDepth> depth);

// The libpq conninfo for `url` ("embedded" starts the project's private cluster on demand).
// `what` names the setting in errors ("database url", "dev_url").
Result<std::string> ResolveConninfo(const config::Config& config, const std::string& url,
                                    const std::string& what);

// The embedded server outlives the command that starts it. `notice` is called (once per process,
// by the first ResolveConninfo that starts it, never when it was already running) with a
// sentence saying so and how to stop it; src/cli prints it on stderr. None by default.
void SetEmbeddedServerStartedNotice(std::function<void(const std::string&)> notice);

// Connects to the configured database (config.database_url).
Result<pg::Connection> ConnectToDatabase(const config::Config& config, std::string* conninfo);

// A project and a connection to its database. The connection is opened while the files are
// read: together they are most of a deploy's no-op `upgrade`. The files' errors come first, so
// bad input is reported as such even when the database is unreachable too. With the embedded
// server nothing overlaps: bad files must not start it. `depth` as for LoadProjectAt.
struct ConnectedProject {
  std::unique_ptr<ProjectHeaders> project;
  pg::Connection connection;
  std::string conninfo;
};
Result<ConnectedProject> LoadProjectAndConnect(const config::Config& config,
                                               std::optional<migrations::ParseDepth> depth);

// Data directory of the project's embedded cluster, and the database retort uses in it.
std::string EmbeddedDataDirectory(const config::Config& config);
inline constexpr char kEmbeddedDatabase[] = "retort";

// "3f2a9c1b7d4e (head), add chunk partitions" style one-liners and the rows as text.
using history::DescribeRows;

// The migration lock for `store`'s version table, on a connection of its own named
// kMigrationLockApplicationName (which is what other sessions see in pg_stat_activity).
inline constexpr char kMigrationLockApplicationName[] = "retort migration lock";
Result<pg::AdvisoryLock> AcquireMigrationLock(const std::string& conninfo,
                                              const history::VersionStore& store, long wait_ms);

}  // namespace retort::commands

namespace retort::commands {

// An applied revision whose file changed since it ran (checksums differ).
struct ChangedMigration {
  std::string revision;
  std::string path;
  std::vector<std::string> changes;  // statement-level, when the old text was recorded
};

// Compares every applied revision's recorded checksum with its file's.
Result<std::vector<ChangedMigration>> FindChangedMigrations(const ProjectHeaders& project,
                                                            pg::Connection& connection,
                                                            const std::vector<std::string>& rows);
// The same with the checksums read already (VersionStore::ReadState); `connection` reads the
// recorded text of a changed file only.
Result<std::vector<ChangedMigration>> FindChangedMigrations(
    const ProjectHeaders& project, pg::Connection& connection, const std::vector<std::string>& rows,
    const std::map<std::string, history::VersionStore::RecordedChecksum>& recorded);
std::string DescribeChangedMigrations(const std::vector<ChangedMigration>& changed);
// InvalidInput naming the applied migrations whose files changed: the database and git then
// disagree about what ran, and running on (or comparing against the files) would hide it.
Status RefuseChangedMigrations(const ProjectHeaders& project, pg::Connection& connection,
                               const std::vector<std::string>& rows);
Status RefuseChangedMigrations(
    const ProjectHeaders& project, pg::Connection& connection, const std::vector<std::string>& rows,
    const std::map<std::string, history::VersionStore::RecordedChecksum>& recorded);

// The digest of the applied migrations' files (docs/formats.md, "The applied digest"): SHA-256
// over the version rows and, sorted, every revision they stand for with its file's SHA-256. Equal
// to the digest stored for the history as it is (history::StoredDigest), it says that comparing
// every applied file with its recorded checksum would find nothing. `recorded_hashes` replace the
// files' hashes of those revisions (the migrations a run applies, as their history rows record
// them).
std::string AppliedDigest(const ProjectHeaders& project, const std::vector<std::string>& rows,
                          const std::map<std::string, std::string>& recorded_hashes = {});

// Problems with migrations/retort.sum; empty when it matches or does not exist.
std::vector<std::string> SumFileProblems(const Project& project);
// Rewrites migrations/retort.sum for `migrations`.
Status WriteSumFile(const config::Config& config,
                    const std::vector<migrations::Migration>& migrations);
// After `revisions` ran (or had their edits accepted): their files' current checksums go into
// migrations/retort.sum where they differ, with a note on io.log naming them, so the usual
// revision -> edit -> upgrade flow leaves a sum that validates. Other entries are left as they
// are; a sum file that does not add up, or none at all, is left alone. Never fails the command.
void TakeEditsIntoSumFile(const ProjectHeaders& project, const std::vector<std::string>& revisions,
                          const Io& io);

}  // namespace retort::commands
