// retort dev: the project's embedded PostgreSQL (start, stop, status, url, destroy).
#include "commands/commands.h"
#include "devdb/local_cluster.h"

namespace retort::commands {

Result<DevReport> Dev(const config::Config& config, const std::string& action) {
  std::string data_dir = EmbeddedDataDirectory(config);
  if (action == "start" || action == "url") {
    RETORT_RETURN_IF_ERROR(ResolveConninfo(config, "embedded", "dev").status());
  } else if (action == "stop") {
    RETORT_RETURN_IF_ERROR(devdb::LocalCluster::Stop(data_dir));
  } else if (action == "destroy") {
    RETORT_RETURN_IF_ERROR(devdb::LocalCluster::Destroy(data_dir));
  } else if (action != "status") {
    return Status::InvalidInput("unknown dev action '" + action +
                                "' (expected start, stop, status, url or destroy)");
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
