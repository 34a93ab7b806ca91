// One function per command, each a thin orchestration of the library (Alembic's command.py).
// Commands return values; src/cli decides how to print them (text or JSON).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "commands/project.h"
#include "config/config.h"
#include "history/version_store.h"

namespace retort::commands {

// A revision as the data commands report it.
struct RevisionInfo {
  std::string id;
  std::vector<std::string> parents;
  std::vector<std::string> children;
  std::string message;
  std::string created;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::string path;
  bool transactional = true;
  bool is_head = false;
  bool is_base = false;
  bool is_merge = false;
  bool is_branch_point = false;
  bool is_current = false;
  int upgrade_statements = 0;
  int downgrade_statements = 0;
};
RevisionInfo DescribeRevision(const Project& project, const std::string& id,
                              const std::vector<std::string>& current_rows = {});

// ---- init
Status Init(const std::string& directory, const Io& io);

// ---- revision / merge
struct RevisionOptions {
  std::string message;
  std::optional<std::string> rev_id;
  std::optional<std::string> head;  // what the new revision revises: a spec, "base" for a root
  bool splice = false;              // allow revising a revision that is not a head
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  bool transactional = true;
  std::string upgrade_sql;  // body of the sections (empty for a blank revision)
  std::string downgrade_sql;
};
// Writes the new file and returns its path.
Result<std::string> CreateRevision(const config::Config& config, const RevisionOptions& options,
                                   const Io& io);
struct MergeOptions {
  std::string message;
  std::vector<std::string> revisions;  // default {"heads"}
  std::optional<std::string> rev_id;
  std::vector<std::string> branch_labels;
};
Result<std::string> Merge(const config::Config& config, const MergeOptions& options, const Io& io);

// ---- upgrade / downgrade / stamp
struct MigrateOptions {
  std::string target;
  bool sql = false;           // print the script instead of running it
  long lock_wait_ms = 60000;  // how long to wait for another migrator
};
Status Upgrade(const config::Config& config, const MigrateOptions& options, const Io& io);
Status Downgrade(const config::Config& config, const MigrateOptions& options, const Io& io);
struct StampOptions {
  std::vector<std::string> revisions;
  bool purge = false;
  bool sql = false;
  long lock_wait_ms = 60000;
};
Status Stamp(const config::Config& config, const StampOptions& options, const Io& io);

// ---- data commands
struct CurrentReport {
  std::string database;  // where we looked, safe to print
  std::vector<std::string> rows;
  std::vector<RevisionInfo> revisions;        // one per known row
  std::vector<std::string> unknown_rows;      // rows with no migration file
  std::vector<history::HistoryEntry> recent;  // --verbose: last applied steps
};
Result<CurrentReport> Current(const config::Config& config, bool verbose);

struct HistoryReport {
  std::vector<RevisionInfo> revisions;  // newest first
};
Result<HistoryReport> History(const config::Config& config, const std::string& range,
                              bool indicate_current);

Result<std::vector<RevisionInfo>> Heads(const config::Config& config);
struct BranchReport {
  RevisionInfo branch_point;
  std::vector<RevisionInfo> children;
};
Result<std::vector<BranchReport>> Branches(const config::Config& config);
struct ShowReport {
  RevisionInfo revision;
  std::vector<std::string> upgrade;
  std::vector<std::string> downgrade;
};
Result<ShowReport> Show(const config::Config& config, const std::string& spec);

// ---- dev (the embedded cluster)
struct DevReport {
  bool initialised = false;
  bool running = false;
  int pid = 0;
  std::string data_dir;
  std::string conninfo;
  std::string log_file;
};
Result<DevReport> Dev(const config::Config& config, const std::string& action);

}  // namespace retort::commands
