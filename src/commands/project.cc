#include "commands/project.h"

#include <unistd.h>

#include <future>
#include <mutex>
#include <utility>

#include "base/files.h"
#include "base/strings.h"
#include "config/database_url.h"
#include "devdb/local_cluster.h"
#include "migrations/header_cache.h"

namespace retort::commands {

namespace {

constexpr char kDuplicateDatabase[] = "42P04";

std::mutex g_notice_mutex;
std::function<void(const std::string&)> g_embedded_started_notice;

void NoticeEmbeddedServerStarted(const devdb::LocalCluster& cluster) {
  std::function<void(const std::string&)> notice;
  {
    std::lock_guard<std::mutex> lock(g_notice_mutex);
    notice = std::exchange(g_embedded_started_notice, nullptr);  // once per process
  }
  if (!notice) return;
  notice("started the embedded PostgreSQL (" + cluster.info().data_dir + ", pid " +
         std::to_string(cluster.info().pid) +
         "); it keeps running for the next commands: `retort dev stop` stops it");
}

}  // namespace

void SetEmbeddedServerStartedNotice(std::function<void(const std::string&)> notice) {
  std::lock_guard<std::mutex> lock(g_notice_mutex);
  g_embedded_started_notice = std::move(notice);
}

history::VersionStore StoreIn(const config::Config& config, const std::string& schema) {
  return history::VersionStore(history::TableNames{schema, config.version_table, "retort_history"});
}

history::VersionStore ProjectHeaders::Store() const {
  return StoreIn(config, config.version_table_schema);
}

bool ProjectCacheWanted(const config::Config& config) {
  std::string directory = config.EmbeddedDirectory();
  if (IsDirectory(directory)) return true;
  auto gitignore = ReadFile(JoinPath(DirName(directory), ".gitignore"));
  if (!gitignore.ok()) return false;
  for (const std::string& line : Split(*gitignore, '\n')) {
    std::string_view entry = Trim(line);
    if (entry == ".retort/" || entry == ".retort" || entry == "/.retort/" || entry == "/.retort") {
      return true;
    }
  }
  return false;
}

namespace {

// The versions directory, after the checks every load makes.
Result<std::string> VersionsDirectory(const config::Config& config) {
  // Only inspect and diff run without a retort.toml; their migration sides need one.
  if (config.config_path.empty()) {
    return config::MissingConfigError().WithContext("the migrations need a project: ");
  }
  std::string versions = config.VersionsDirectory();
  if (!IsDirectory(versions)) {
    return Status::InvalidInput(versions +
                                ": migrations directory not found (run `retort init`, or set "
                                "script_location in " +
                                (config.config_path.empty() ? "retort.toml" : config.config_path) +
                                ")");
  }
  return versions;
}

template <class M>
Result<revision::RevisionGraph> GraphOf(const std::vector<M>& files) {
  std::vector<revision::Node> nodes;
  nodes.reserve(files.size());
  for (const M& file : files) {
    nodes.push_back(revision::Node{file.id, file.parents, file.branch_labels, file.depends_on,
                                   file.path + ":" + std::to_string(file.revision_line)});
  }
  return revision::RevisionGraph::Build(std::move(nodes));
}

}  // namespace

ProjectHeaders::ProjectHeaders(config::Config config_in, revision::RevisionGraph graph_in,
                               std::vector<migrations::MigrationHeader> headers_in)
    : config(std::move(config_in)), graph(std::move(graph_in)), headers(std::move(headers_in)) {
  for (const migrations::MigrationHeader& header : headers) header_index[header.id] = &header;
}

Project::Project(config::Config config_in, revision::RevisionGraph graph_in,
                 std::vector<migrations::Migration> migrations_in)
    : ProjectHeaders(std::move(config_in), std::move(graph_in)),
      migrations(std::move(migrations_in)) {
  for (const migrations::Migration& migration : migrations) {
    header_index[migration.id] = &migration;
    index[migration.id] = &migration;
  }
}

const migrations::Migration* ProjectHeaders::Parsed(const std::string& id) const {
  auto found = index.find(id);
  return found == index.end() ? nullptr : found->second;
}

Result<std::unique_ptr<Project>> LoadProject(const config::Config& config,
                                             migrations::ParseDepth depth) {
  RETORT_ASSIGN_OR_RETURN(std::string versions, VersionsDirectory(config));
  RETORT_ASSIGN_OR_RETURN(auto loaded, migrations::LoadDirectory(versions, depth));
  RETORT_ASSIGN_OR_RETURN(auto graph, GraphOf(loaded));
  return std::make_unique<Project>(config, std::move(graph), std::move(loaded));
}

Result<std::unique_ptr<ProjectHeaders>> LoadProjectHeaders(const config::Config& config) {
  RETORT_ASSIGN_OR_RETURN(std::string versions, VersionsDirectory(config));
  // Headers come from the cache in .retort/ where the files have not changed since it was
  // written: a deploy's no-op `upgrade` then reads no migration file at all.
  auto headers =
      ProjectCacheWanted(config)
          ? migrations::LoadHeadersCached(
                versions, JoinPath(config.EmbeddedDirectory(), migrations::kHeaderCacheFileName))
          : migrations::LoadHeaders(versions);
  if (!headers.ok()) {
    // A broken directory: parse it fully so every mistake (SQL syntax too) is reported at once.
    RETORT_RETURN_IF_ERROR(migrations::LoadDirectory(versions).status());
    return headers.status();
  }
  RETORT_ASSIGN_OR_RETURN(auto graph, GraphOf(*headers));
  return std::make_unique<ProjectHeaders>(config, std::move(graph), std::move(headers).value());
}

Result<std::unique_ptr<ProjectHeaders>> LoadProjectAt(const config::Config& config,
                                                      std::optional<migrations::ParseDepth> depth) {
  if (!depth) return LoadProjectHeaders(config);
  RETORT_ASSIGN_OR_RETURN(std::unique_ptr<Project> project, LoadProject(config, *depth));
  return std::unique_ptr<ProjectHeaders>(std::move(project));
}

std::string EmbeddedDataDirectory(const config::Config& config) {
  std::string preferred = JoinPath(config.EmbeddedDirectory(), "pgdata");
  // As root the server runs as `postgres`, which cannot enter e.g. /root: then the cluster lives
  // in a fixed place under /var/tmp derived from the project path, so every command finds it.
  return devdb::LocalCluster::ServerUserCanReach(preferred)
             ? preferred
             : devdb::LocalCluster::FallbackDataDir(preferred);
}

Result<std::string> ResolveConninfo(const config::Config& config, const std::string& url,
                                    const std::string& what) {
  if (url.empty()) {
    return Status::InvalidInput(
        "no " + what + ": set it in retort.toml, RETORT_DATABASE_URL, DATABASE_URL or pass --url" +
        (what == "database url"
             ? " (or name the database with libpq's PGHOST, PGDATABASE or PGSERVICE, as for psql)"
             : ""));
  }
  if (!config::IsEmbeddedUrl(url)) {
    auto conninfo = config::ToLibpqConninfo(url);
    if (!conninfo.ok()) return conninfo.status().WithContext(what + ": ");
    return conninfo;
  }
  // The embedded server lives in the project: with no project there is nowhere to put it.
  if (config.config_path.empty()) {
    return config::MissingConfigError().WithContext("the embedded server needs a project: ");
  }
  devdb::ClusterOptions options;
  options.data_dir = EmbeddedDataDirectory(config);
  options.throwaway = false;
  RETORT_ASSIGN_OR_RETURN(auto cluster, devdb::LocalCluster::Ensure(options));
  if (cluster.started()) NoticeEmbeddedServerStarted(cluster);
  std::string conninfo = cluster.ConnInfo(kEmbeddedDatabase);
  if (pg::Connection::Open(conninfo).ok()) return conninfo;
  // First use: create the database. Racing processes may both try; the loser sees 42P04.
  RETORT_ASSIGN_OR_RETURN(auto admin, pg::Connection::Open(cluster.ConnInfo("postgres")));
  auto created = admin.Execute(std::string("CREATE DATABASE ") + kEmbeddedDatabase);
  if (!created.ok() && created.error.sqlstate != kDuplicateDatabase) {
    return created.error.ToStatus("cannot create the embedded database: ");
  }
  return conninfo;
}

Result<pg::Connection> ConnectToDatabase(const config::Config& config, std::string* conninfo) {
  RETORT_ASSIGN_OR_RETURN(*conninfo, ResolveConninfo(config, config.database_url, "database url"));
  return pg::Connection::Open(*conninfo);
}

Result<ConnectedProject> LoadProjectAndConnect(const config::Config& config,
                                               std::optional<migrations::ParseDepth> depth) {
  if (config.database_url.empty() || config::IsEmbeddedUrl(config.database_url)) {
    RETORT_ASSIGN_OR_RETURN(auto project, LoadProjectAt(config, depth));
    std::string conninfo;
    RETORT_ASSIGN_OR_RETURN(pg::Connection connection, ConnectToDatabase(config, &conninfo));
    return ConnectedProject{std::move(project), std::move(connection), std::move(conninfo)};
  }
  auto conninfo = ResolveConninfo(config, config.database_url, "database url");
  std::future<Result<pg::Connection>> connecting;
  if (conninfo.ok()) {
    connecting =
        std::async(std::launch::async, [&conninfo] { return pg::Connection::Open(*conninfo); });
  }
  auto project = LoadProjectAt(config, depth);
  // Waits for the connection attempt either way: it must not outlive this frame.
  auto connection =
      connecting.valid() ? connecting.get() : Result<pg::Connection>(conninfo.status());
  RETORT_RETURN_IF_ERROR(project.status());
  RETORT_RETURN_IF_ERROR(connection.status());
  return ConnectedProject{std::move(project).value(), std::move(connection).value(),
                          std::move(conninfo).value()};
}

Result<pg::AdvisoryLock> AcquireMigrationLock(const std::string& conninfo,
                                              const history::VersionStore& store, long wait_ms) {
  return pg::AdvisoryLock::Acquire(conninfo, store.QualifiedVersionTable(), wait_ms,
                                   kMigrationLockApplicationName);
}

}  // namespace retort::commands
