// retort dev: the project's embedded PostgreSQL (start, stop, status, url, destroy), and the
// caches retort keeps on the dev server (prune).
#include "commands/commands.h"
#include "config/database_url.h"
#include "devdb/local_cluster.h"
#include "devdb/scratch.h"

namespace retort::commands {

Result<DevReport> Dev(const config::Config& config, const std::string& action) {
  std::string data_dir = EmbeddedDataDirectory(config);
  if (action == "prune") {
    DevReport report;
    report.pruning = true;
    // A stopped embedded server holds caches nobody pays for until it runs: not started for this.
    if (config::IsEmbeddedUrl(config.dev_url) && !devdb::LocalCluster::Inspect(data_dir).running) {
      return report;
    }
    RETORT_ASSIGN_OR_RETURN(std::string conninfo,
                            ResolveConninfo(config, config.dev_url, "dev_url"));
    RETORT_ASSIGN_OR_RETURN(report.pruned, devdb::PruneCaches(conninfo));
    return report;
  }
  if (action == "start" || action == "url") {
    RETORT_RETURN_IF_ERROR(ResolveConninfo(config, "embedded", "dev").status());
  } else if (action == "stop") {
    RETORT_RETURN_IF_ERROR(devdb::LocalCluster::Stop(data_dir));
  } else if (action == "destroy") {
    RETORT_RETURN_IF_ERROR(devdb::LocalCluster::Destroy(data_dir));
  } else if (action != "status") {
    return Status::InvalidInput("unknown dev action '" + action +
                                "' (expected start, stop, status, url, destroy or prune)");
  }
  devdb::ClusterInfo info = devdb::LocalCluster::Inspect(data_dir);
  DevReport report;
  report.initialised = info.initialised;
  report.running = info.running;
  report.pid = info.pid;
  report.data_dir = data_dir;
  report.log_file = info.log_file;
  // Attaching to a running cluster starts nothing; it yields the conninfo with the right user.
  if (info.running) {
    RETORT_ASSIGN_OR_RETURN(report.conninfo, ResolveConninfo(config, "embedded", "dev"));
  }
  return report;
}

}  // namespace retort::commands
