// `retort fleet`: upgrade, downgrade, status, drift and check over the targets of a [[targets]]
// group. Each target is moved exactly as `retort upgrade` moves one database (MoveDatabase, under
// that target's own migration lock); this file adds the order (canaries, then `width` at a time),
// the failure budget and the fleet log. docs/fleet.md.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "base/files.h"
#include "base/parallel.h"
#include "base/strings.h"
#include "commands/commands.h"
#include "commands/migrate.h"
#include "commands/schema_sources.h"
#include "config/database_url.h"
#include "render/render.h"

namespace retort::commands {

namespace {

using json = nlohmann::json;
using Outcome = FleetTargetRun::Outcome;

Result<const config::TargetGroup*> FindGroup(const config::Config& config,
                                             const std::string& name) {
  std::vector<std::string> names;
  for (const config::TargetGroup& group : config.target_groups) {
    if (group.name == name) return &group;
    names.push_back(group.name);
  }
  std::string where = config.config_path.empty() ? "retort.toml" : config.config_path;
  if (names.empty()) {
    return Status::InvalidInput("no target group '" + name + "': " + where +
                                " has no [[targets]] section (docs/fleet.md)");
  }
  std::optional<std::string> closest = ClosestMatch(name, names);
  return Status::InvalidInput("no target group '" + name + "' in " + where +
                              " (groups: " + Join(names, ", ") + ")" +
                              (closest ? " (did you mean '" + *closest + "'?)" : ""));
}

// A group's targets as they are listed, each checked as it is added.
class TargetList {
 public:
  // Checks a listed target's URL and schema; the error names where it is listed, and for a
  // target listed twice both places.
  Status Add(std::string url, std::string schema, std::string where) {
    url = std::string(Trim(url));
    if (config::IsEmbeddedUrl(url)) {
      return Status::InvalidInput(where +
                                  ": 'embedded' cannot be a fleet target (it is this project's "
                                  "private development server)");
    }
    Result<std::string> conninfo = config::ToLibpqConninfo(url);
    if (!conninfo.ok()) return conninfo.status().WithContext(where + ": ");
    if (!schema.empty() && (schema.size() > 63 || schema.find('\0') != std::string::npos)) {
      return Status::InvalidInput(where + ": schema '" + schema +
                                  "' is not a PostgreSQL identifier of 1 to 63 bytes");
    }
    FleetTarget target{.label = config::RedactPassword(url),
                       .schema = std::move(schema),
                       .url = std::move(url),
                       .where = std::move(where)};
    auto [listed, added] =
        positions_.emplace(std::pair{target.url, target.schema}, targets_.size());
    if (!added) {
      return Status::InvalidInput(target.where + ": " + target.Name() + " is listed twice (also " +
                                  targets_[listed->second].where + ")");
    }
    targets_.push_back(std::move(target));
    return Status::Ok();
  }

  size_t size() const { return targets_.size(); }
  std::vector<FleetTarget> Take() { return std::move(targets_); }

 private:
  std::vector<FleetTarget> targets_;
  std::map<std::pair<std::string, std::string>, size_t> positions_;  // (url, schema) -> index
};

// "URL" or "URL SCHEMA" a line; blank lines and # comments skipped. A keyword/value conninfo
// has blanks of its own, so only a URI can be followed by a schema.
Status TargetsFromFile(const config::Config& config, const config::TargetGroup& group,
                       TargetList& targets) {
  std::string path = AbsolutePath(JoinPath(config.project_dir, group.file));
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) {
    return text.status().WithContext("[[targets]] '" + group.name + "' file: ");
  }
  RETORT_RETURN_IF_ERROR(CheckTextFile(*text, path));
  int line_number = 0;
  for (const std::string& raw : Split(*text, '\n')) {
    ++line_number;
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') continue;
    std::string url(line);
    std::string schema;
    size_t blank = line.find_first_of(" \t");
    if (blank != std::string_view::npos && line.find("://") != std::string_view::npos &&
        line.find("://") < blank) {
      url = std::string(line.substr(0, blank));
      schema = std::string(Trim(line.substr(blank)));
      if (schema.find_first_of(" \t") != std::string::npos) {
        return Status::InvalidInput(path + ":" + std::to_string(line_number) +
                                    ": expected URL or URL SCHEMA, got more words");
      }
    }
    RETORT_RETURN_IF_ERROR(targets.Add(url, schema, path + ":" + std::to_string(line_number)));
  }
  return Status::Ok();
}

// The registry query's rows: a `url` column, a `schema` column or both. A row without a url is
// a schema in the registry database itself.
Status TargetsFromQuery(const config::Config& config, const config::TargetGroup& group,
                        TargetList& targets) {
  std::string registry_url = group.registry_url.empty() ? config.database_url : group.registry_url;
  std::string what = "[[targets]] '" + group.name + "' registry";
  RETORT_ASSIGN_OR_RETURN(std::string conninfo, ResolveConninfo(config, registry_url, what));
  RETORT_ASSIGN_OR_RETURN(pg::Connection registry, pg::Connection::Open(conninfo));
  pg::PgOutcome<pg::PgResult> rows = registry.Execute(group.query);
  if (!rows.ok()) {
    return rows.error.ToStatus("the query of [[targets]] '" + group.name + "' failed on " +
                               registry.Describe() + ": ");
  }
  int url_column = -1;
  int schema_column = -1;
  for (int column = 0; column < rows.value->columns(); ++column) {
    std::string name = rows.value->ColumnName(column);
    if (name == "url") url_column = column;
    if (name == "schema") schema_column = column;
  }
  if (url_column < 0 && schema_column < 0) {
    return Status::InvalidInput("the query of [[targets]] '" + group.name +
                                "' must return a column named url, schema, or both");
  }
  for (int row = 0; row < rows.value->rows(); ++row) {
    std::string where = "registry row " + std::to_string(row + 1);
    std::string url = url_column < 0 ? "" : rows.value->Get(row, url_column);
    if (url.empty()) url = registry_url;
    std::string schema = schema_column < 0 ? "" : rows.value->Get(row, schema_column);
    if (schema_column >= 0 && schema.empty()) {
      return Status::InvalidInput("the query of [[targets]] '" + group.name + "' returned no " +
                                  "schema in " + where);
    }
    RETORT_RETURN_IF_ERROR(targets.Add(url, schema, where));
  }
  return Status::Ok();
}

// The libpq conninfo a target's sessions use: a schema target's start with its search_path.
Result<std::string> TargetConninfo(const config::TargetGroup& group, const FleetTarget& target) {
  RETORT_ASSIGN_OR_RETURN(std::string conninfo, config::ToLibpqConninfo(target.url));
  if (target.schema.empty()) return conninfo;
  std::string search_path = group.search_path;
  std::string quoted = QuoteIdentifier(target.schema);
  for (size_t at = search_path.find("{schema}"); at != std::string::npos;
       at = search_path.find("{schema}", at + quoted.size())) {
    search_path.replace(at, std::string("{schema}").size(), quoted);
  }
  return config::WithServerOptions(conninfo, config::ServerOption("search_path", search_path));
}

// A schema target's version table lives in its schema.
history::VersionStore TargetStore(const config::Config& config, const FleetTarget& target) {
  return StoreIn(config, target.schema.empty() ? config.version_table_schema : target.schema);
}

// Connects to a target; a schema target's schema must exist, since with it missing the
// search_path would send the migrations' objects into the next schema on the path.
Result<pg::Connection> ConnectTarget(const std::string& conninfo, const FleetTarget& target) {
  RETORT_ASSIGN_OR_RETURN(pg::Connection connection, pg::Connection::Open(conninfo));
  if (target.schema.empty()) return connection;
  auto found =
      connection.ExecuteParams("SELECT 1 FROM pg_namespace WHERE nspname = $1", {target.schema});
  if (!found.ok()) return found.error.ToStatus("cannot look up schema " + target.schema + ": ");
  if (found.value->rows() == 0) {
    return Status::Failed("schema " + QuoteIdentifier(target.schema) + " does not exist in " +
                          connection.Describe() +
                          " (retort does not create tenant schemas: create it, then run again)");
  }
  return connection;
}

// A target's message with its URL's password masked wherever it appears.
std::string Redacted(const FleetTarget& target, const std::string& conninfo,
                     const std::string& message) {
  config::Redactor redactor;
  redactor.Add(target.url);
  redactor.Add(conninfo);
  return redactor.Redact(message);
}

struct RolloutSettings {
  long long canary;
  long long width;
  long long max_failures;
};

RolloutSettings SettingsFor(const config::TargetGroup& group, const FleetOptions& options) {
  return {options.canary.value_or(group.canary), std::max(1LL, options.width.value_or(group.width)),
          std::max(1LL, options.max_failures.value_or(group.max_failures))};
}

std::string NowUtc() { return FormatUtc(std::time(nullptr), "%Y-%m-%dT%H:%M:%SZ"); }

// .retort/fleet/GROUP.json: per target (by its printable name, which holds no password) the
// last rollout's outcome and error and the last drift check. Each record is merged in under an
// flock and renamed into place, so a kill -9 leaves the previous version whole and concurrent
// fleet runs do not lose each other's records.
class FleetLog {
 public:
  FleetLog(const config::Config& config, const std::string& group)
      : directory_(JoinPath(config.EmbeddedDirectory(), "fleet")),
        path_(JoinPath(directory_, group + ".json")) {}

  json Read() const {
    Result<std::string> text = ReadFile(path_);
    if (!text.ok()) return json::object();
    json log = json::parse(*text, nullptr, /*allow_exceptions=*/false);
    return log.is_object() ? log : json::object();
  }

  // Sets `fields` of each target's record. A log that cannot be written is a warning on `log`:
  // the targets moved all the same.
  void Record(const std::vector<std::pair<std::string, json>>& records, std::ostream& log) {
    std::lock_guard<std::mutex> guard(mutex_);
    Status written = Write(records);
    if (!written.ok()) log << "warning: fleet log not updated: " << written.message() << "\n";
  }

 private:
  Status Write(const std::vector<std::pair<std::string, json>>& records) {
    RETORT_RETURN_IF_ERROR(MakeDirectories(directory_));
    std::string lock_path = path_ + ".lock";
    int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return Status::Failed(lock_path + ": " + std::strerror(errno));
    ::flock(fd, LOCK_EX);
    json log = Read();
    for (const auto& [name, fields] : records) {
      json& entry = log[name];
      for (const auto& [key, value] : fields.items()) entry[key] = value;
    }
    Status status = WriteFile(path_, log.dump(2) + "\n");
    ::close(fd);  // releases the flock
    return status;
  }

  std::string directory_;
  std::string path_;
  std::mutex mutex_;
};

// The migration files, parsed and checksummed once for the whole fleet when the first target has
// work; every target's thread then reads the same Project.
class SharedProject {
 public:
  explicit SharedProject(const config::Config& config) : config_(config) {}

  Result<const Project*> Get() {
    std::lock_guard<std::mutex> guard(mutex_);
    if (!loaded_) {
      loaded_ = true;
      auto project = LoadProject(config_, migrations::ParseDepth::kStatements);
      if (!project.ok()) {
        status_ = project.status();
      } else {
        std::set<std::string> every;
        for (const migrations::Migration& migration : (*project)->migrations) {
          every.insert(migration.id);
        }
        status_ = FillChecksums(**project, every);
        project_ = std::move(project).value();
      }
    }
    if (!status_.ok()) return status_;
    return static_cast<const Project*>(project_.get());
  }

 private:
  const config::Config& config_;
  std::mutex mutex_;
  bool loaded_ = false;
  Status status_ = Status::Ok();
  std::unique_ptr<Project> project_;
};

// An error as one line of the log or a verdict (Excerpt joins its lines and cuts it short).
std::string OneLine(const std::string& text) { return Excerpt(text, 200); }

// One target moved (or, dry, planned): its connection, the move, and the outcome.
FleetTargetRun MoveTarget(const ProjectHeaders& headers, SharedProject& shared,
                          const config::TargetGroup& group, const FleetTarget& target,
                          const FleetOptions& options, Direction direction) {
  auto start = std::chrono::steady_clock::now();
  FleetTargetRun run{.target = target};
  std::string conninfo;
  auto fail = [&](const Status& status) {
    run.outcome = Outcome::kFailed;
    run.error = Redacted(target, conninfo, status.message());
    run.elapsed_ms = MillisecondsSince(start);
    return run;
  };
  Result<std::string> resolved = TargetConninfo(group, target);
  if (!resolved.ok()) return fail(resolved.status());
  conninfo = *resolved;
  Result<pg::Connection> connection = ConnectTarget(conninfo, target);
  if (!connection.ok()) return fail(connection.status());
  if (options.dry_run) {
    auto rows = TargetStore(headers.config, target).ReadRows(*connection);
    if (!rows.ok()) return fail(rows.status());
    auto plan = PlanMove(headers, direction, *rows, options.migrate.target);
    if (!plan.ok()) return fail(plan.status());
    run.rows_before = *rows;
    run.rows_after = plan->steps.empty() ? *rows : plan->final_rows;
    for (const revision::Move& step : plan->steps) run.moved.push_back(step.revision);
    run.outcome = plan->steps.empty() ? Outcome::kAlreadyThere : Outcome::kWouldMove;
    run.elapsed_ms = MillisecondsSince(start);
    return run;
  }
  std::ostringstream quiet_out;
  std::ostringstream target_log;
  Io io{quiet_out, target_log};
  MigrationTarget moving{*connection, conninfo, TargetStore(headers.config, target)};
  ParsedProject parsed = [&shared](const revision::Path&) { return shared.Get(); };
  Result<MoveOutcome> moved = MoveDatabase(headers, parsed, moving, direction, options.migrate, io);
  if (!moved.ok()) return fail(moved.status());
  run.rows_before = moved->rows_before;
  run.rows_after = moved->rows_after;
  run.moved = moved->moved;
  run.outcome = moved->moved.empty() ? Outcome::kAlreadyThere : Outcome::kMoved;
  run.elapsed_ms = MillisecondsSince(start);
  return run;
}

const char* OutcomeWord(Outcome outcome, bool upgrade) {
  switch (outcome) {
    case Outcome::kMoved:
      return upgrade ? "upgraded" : "downgraded";
    case Outcome::kAlreadyThere:
      return "already there";
    case Outcome::kWouldMove:
      return "would run";
    case Outcome::kFailed:
      return "FAILED";
    case Outcome::kNotStarted:
      return "not started";
  }
  return "";
}

// The line io.log gets as a target finishes.
std::string FinishedLine(const FleetTargetRun& run, size_t done, size_t total, bool upgrade) {
  std::string line = "[" + std::to_string(done) + "/" + std::to_string(total) + "] " +
                     (run.canary ? "canary " : "") + run.target.Name() + ": " +
                     OutcomeWord(run.outcome, upgrade);
  if (run.outcome == Outcome::kFailed) return line + ": " + OneLine(run.error);
  if (!run.moved.empty()) {
    line +=
        " " + std::to_string(run.moved.size()) + " migration" + (run.moved.size() == 1 ? "" : "s");
  }
  return line + ", at " + DescribeRows(run.rows_after) + " (" + FormatMs(run.elapsed_ms) + ")";
}

json LogRecord(const FleetTargetRun& run, bool upgrade) {
  return json{{"last_run", upgrade ? "upgrade" : "downgrade"},
              {"last_outcome", OutcomeWord(run.outcome, upgrade)},
              {"last_error", run.error},
              {"recorded_at", NowUtc()}};
}

// The group's targets in the order they are listed (ResolveFleetTargets).
Result<std::vector<FleetTarget>> TargetsOf(const config::Config& config,
                                           const config::TargetGroup& group) {
  TargetList targets;
  std::string toml = config.config_path.empty() ? "retort.toml" : config.config_path;
  for (const config::TargetEntry& entry : group.urls) {
    RETORT_RETURN_IF_ERROR(targets.Add(entry.url, entry.schema,
                                       toml + ":" + std::to_string(group.line) + " (" + group.name +
                                           " #" + std::to_string(targets.size() + 1) + ")"));
  }
  if (!group.file.empty()) RETORT_RETURN_IF_ERROR(TargetsFromFile(config, group, targets));
  if (!group.query.empty()) RETORT_RETURN_IF_ERROR(TargetsFromQuery(config, group, targets));
  return targets.Take();
}

}  // namespace

Result<std::vector<FleetTarget>> ResolveFleetTargets(const config::Config& config,
                                                     const std::string& group_name) {
  RETORT_ASSIGN_OR_RETURN(const config::TargetGroup* group, FindGroup(config, group_name));
  return TargetsOf(config, *group);
}

Result<FleetRunReport> FleetMigrate(const config::Config& config, const FleetOptions& options,
                                    bool upgrade, const Io& io) {
  if (options.migrate.sql) {
    return Status::InvalidInput("fleet takes no --sql: use --dry-run to see what each target runs");
  }
  if (options.migrate.target.find(':') != std::string::npos) {
    return Status::InvalidInput("a range (" + options.migrate.target +
                                ") is only valid with --sql");
  }
  RETORT_ASSIGN_OR_RETURN(const config::TargetGroup* group, FindGroup(config, options.group));
  RETORT_ASSIGN_OR_RETURN(std::vector<FleetTarget> targets, TargetsOf(config, *group));
  RETORT_ASSIGN_OR_RETURN(std::unique_ptr<ProjectHeaders> headers, LoadProjectHeaders(config));
  Direction direction = upgrade ? Direction::kUpgrade : Direction::kDowngrade;
  // A destination the graph does not know is bad input for every target alike: said once,
  // before any target is touched.
  const std::string& destination = options.migrate.target;
  bool relative = StartsWith(destination, "+") || StartsWith(destination, "-") ||
                  destination.find("@+") != std::string::npos ||
                  destination.find("@-") != std::string::npos;
  if (relative) {
    return Status::InvalidInput(
        "fleet " + std::string(upgrade ? "upgrade" : "downgrade") +
        " needs a destination that names a revision (REV, head, heads, base, label@head), not '" +
        destination +
        "': the rollout is resumed by running the same command again, which would move the "
        "targets that finished once more");
  }
  if (upgrade) {
    RETORT_RETURN_IF_ERROR(headers->graph.PlanUpgrade({}, destination).status());
  } else {
    // From the heads every revision is applied: any destination that names one plans.
    RETORT_RETURN_IF_ERROR(
        headers->graph.PlanDowngrade(headers->graph.Heads(), destination).status());
  }
  RolloutSettings settings = SettingsFor(*group, options);
  FleetRunReport report{.group = options.group,
                        .upgrade = upgrade,
                        .destination = options.migrate.target,
                        .dry_run = options.dry_run};
  for (const FleetTarget& target : targets) report.targets.push_back({.target = target});
  if (targets.empty()) {
    io.log << "fleet " << options.group << ": the group has no targets; nothing to do\n";
    return report;
  }

  SharedProject shared(config);
  FleetLog fleet_log(config, options.group);
  std::mutex finished_mutex;
  size_t finished = 0;
  std::atomic<long long> failures{0};
  auto move = [&](size_t i, bool canary) {
    FleetTargetRun run = MoveTarget(*headers, shared, *group, targets[i], options, direction);
    run.canary = canary;
    bool failed = run.outcome == Outcome::kFailed;
    if (failed) ++failures;
    {
      // One writer of the log at a time: the fleet log's warning and the progress line.
      std::lock_guard<std::mutex> guard(finished_mutex);
      if (!options.dry_run) {
        fleet_log.Record({{run.target.Name(), LogRecord(run, upgrade)}}, io.log);
      }
      io.log << "fleet " << options.group << ": "
             << FinishedLine(run, ++finished, targets.size(), upgrade) << "\n";
    }
    report.targets[i] = std::move(run);
    return !failed;
  };

  size_t canaries = std::min<size_t>(targets.size(), static_cast<size_t>(settings.canary));
  for (size_t i = 0; i < canaries; ++i) {
    if (move(i, /*canary=*/true)) continue;
    report.verdict =
        Status::Failed("canary " + targets[i].Name() +
                       " failed: " + OneLine(report.targets[i].error) + "\nno other target of '" +
                       options.group + "' was started; fix it and run the same command again");
    return report;
  }
  ParallelForWhile(targets.size() - canaries, static_cast<size_t>(settings.width), [&](size_t k) {
    // The budget is checked before a target starts: those already started finish.
    if (failures.load() >= settings.max_failures) return false;
    move(canaries + k, /*canary=*/false);
    return failures.load() < settings.max_failures;
  });

  std::vector<std::string> failed;
  size_t not_started = 0;
  for (const FleetTargetRun& run : report.targets) {
    if (run.outcome == Outcome::kFailed) failed.push_back(run.target.Name());
    if (run.outcome == Outcome::kNotStarted) ++not_started;
  }
  if (!failed.empty()) {
    std::string stopped =
        not_started == 0
            ? ""
            : "; the failure budget (max_failures = " + std::to_string(settings.max_failures) +
                  ") stopped the rollout: " + std::to_string(not_started) + " target" +
                  (not_started == 1 ? " was" : "s were") + " not started";
    report.verdict =
        Status::Failed(std::to_string(failed.size()) + " of " + std::to_string(targets.size()) +
                       " targets failed (" + Join(failed, ", ") + ")" + stopped +
                       "; fix them and run the same command again: targets already "
                       "there are skipped");
  }
  return report;
}

Result<FleetStatusReport> FleetStatus(const config::Config& config, const FleetOptions& options) {
  RETORT_ASSIGN_OR_RETURN(const config::TargetGroup* group, FindGroup(config, options.group));
  RETORT_ASSIGN_OR_RETURN(std::vector<FleetTarget> targets, TargetsOf(config, *group));
  RETORT_ASSIGN_OR_RETURN(std::unique_ptr<ProjectHeaders> headers, LoadProjectHeaders(config));
  FleetStatusReport report{.group = options.group, .heads = headers->graph.Heads()};
  json log = FleetLog(config, options.group).Read();
  report.targets.resize(targets.size());
  ParallelForWhile(
      targets.size(), static_cast<size_t>(SettingsFor(*group, options).width), [&](size_t i) {
        FleetTargetStatus& status = report.targets[i];
        status.target = targets[i];
        if (log.contains(targets[i].Name())) {
          const json& entry = log[targets[i].Name()];
          status.last_error = entry.value("last_error", "");
          status.drift = entry.value("drift", "");
          status.recorded_at = entry.value("recorded_at", "");
        }
        std::string conninfo;
        auto read = [&]() -> Status {
          RETORT_ASSIGN_OR_RETURN(conninfo, TargetConninfo(*group, targets[i]));
          RETORT_ASSIGN_OR_RETURN(pg::Connection connection, ConnectTarget(conninfo, targets[i]));
          RETORT_ASSIGN_OR_RETURN(
              auto state, TargetStore(config, targets[i])
                              .ReadState(connection, history::VersionStore::StateParts{
                                                         .checksums = false, .progress = true}));
          status.reachable = true;
          status.rows = state.rows;
          for (const std::string& row : state.rows) {
            if (headers->graph.Find(row) == nullptr) status.unknown.push_back(row);
          }
          status.partial = PartialMigrations(*headers, state.progress);
          if (status.unknown.empty()) {
            RETORT_ASSIGN_OR_RETURN(revision::Path plan,
                                    headers->graph.PlanUpgrade(state.rows, "heads"));
            status.pending = static_cast<int>(plan.steps.size());
          }
          return Status::Ok();
        };
        Status read_status = read();
        if (!read_status.ok()) status.error = Redacted(targets[i], conninfo, read_status.message());
        return true;
      });
  std::vector<std::string> unreadable;
  for (const FleetTargetStatus& status : report.targets) {
    if (!status.error.empty()) unreadable.push_back(status.target.Name());
  }
  if (!unreadable.empty()) {
    report.verdict = Status::Failed("could not read " + std::to_string(unreadable.size()) + " of " +
                                    std::to_string(report.targets.size()) +
                                    " targets: " + Join(unreadable, ", "));
  }
  return report;
}

Result<FleetDriftReport> FleetDrift(const config::Config& config, const FleetOptions& options,
                                    bool require_heads, const Io& io) {
  RETORT_ASSIGN_OR_RETURN(const config::TargetGroup* group, FindGroup(config, options.group));
  RETORT_ASSIGN_OR_RETURN(std::vector<FleetTarget> targets, TargetsOf(config, *group));
  std::vector<std::string> schema_targets;
  for (const FleetTarget& target : targets) {
    if (!target.schema.empty()) schema_targets.push_back(target.Name());
  }
  if (!schema_targets.empty()) {
    return Status::InvalidInput(
        "fleet drift and fleet check compare whole databases; '" + options.group +
        "' has schema targets (" + Join(schema_targets, ", ") +
        "), whose expected schema cannot be replayed yet (docs/fleet.md); use fleet status");
  }
  RETORT_ASSIGN_OR_RETURN(std::unique_ptr<Project> project, LoadProject(config));
  RETORT_ASSIGN_OR_RETURN(std::string dev_conninfo, DevServer(config));
  size_t width = static_cast<size_t>(SettingsFor(*group, options).width);
  FleetDriftReport report{.group = options.group, .heads = project->graph.Heads()};
  report.targets.resize(targets.size());
  std::vector<std::string> conninfos(targets.size());

  // Every target's rows first, then one replay per distinct set of rows (serially: replays of
  // the same migrations share a template on the dev server), then each live schema against its
  // expected one.
  ParallelForWhile(targets.size(), width, [&](size_t i) {
    FleetTargetDrift& drift = report.targets[i];
    drift.target = targets[i];
    auto read = [&]() -> Status {
      RETORT_ASSIGN_OR_RETURN(conninfos[i], TargetConninfo(*group, targets[i]));
      RETORT_ASSIGN_OR_RETURN(pg::Connection connection, ConnectTarget(conninfos[i], targets[i]));
      RETORT_ASSIGN_OR_RETURN(drift.rows, TargetStore(config, targets[i]).ReadRows(connection));
      return CheckReplayableRows(*project, drift.rows, connection.Describe());
    };
    Status status = read();
    if (!status.ok()) drift.error = Redacted(targets[i], conninfos[i], status.message());
    return true;
  });
  std::map<std::vector<std::string>, Result<schema::Database>> expected;
  for (const FleetTargetDrift& drift : report.targets) {
    if (!drift.error.empty() || expected.count(drift.rows) != 0) continue;
    std::ostringstream replay_out;
    auto replay = [&]() -> Result<schema::Database> {
      RETORT_ASSIGN_OR_RETURN(revision::Path plan, PlanToRows(*project, drift.rows));
      Io replay_io{replay_out, io.log};
      return ReplayedState(*project, plan, dev_conninfo, replay_io);
    };
    expected.emplace(drift.rows, replay());
  }
  ParallelForWhile(targets.size(), width, [&](size_t i) {
    FleetTargetDrift& drift = report.targets[i];
    if (!drift.error.empty()) return true;
    const Result<schema::Database>& replayed = expected.at(drift.rows);
    auto compare = [&]() -> Status {
      if (!replayed.ok()) return replayed.status();
      RETORT_ASSIGN_OR_RETURN(pg::Connection connection, ConnectTarget(conninfos[i], targets[i]));
      RETORT_ASSIGN_OR_RETURN(schema::Database live, InspectConnection(config, connection));
      drift.sql = render::RenderMigration(*replayed, live);
      return Status::Ok();
    };
    Status status = compare();
    if (!status.ok()) drift.error = Redacted(targets[i], conninfos[i], status.message());
    return true;
  });

  FleetLog fleet_log(config, options.group);
  std::vector<std::pair<std::string, json>> records;
  std::vector<std::string> drifted;
  std::vector<std::string> behind;
  std::vector<std::string> unreadable;
  for (const FleetTargetDrift& drift : report.targets) {
    std::string name = drift.target.Name();
    if (!drift.error.empty()) {
      unreadable.push_back(name);
      continue;
    }
    records.push_back({name, json{{"drift", drift.sql.empty() ? "none" : "drifted"},
                                  {"drift_checked_at", NowUtc()}}});
    if (!drift.sql.empty()) drifted.push_back(name);
    std::vector<std::string> rows = drift.rows;
    std::sort(rows.begin(), rows.end());
    if (rows != report.heads) behind.push_back(name);
  }
  fleet_log.Record(records, io.log);
  std::vector<std::string> problems;
  if (!drifted.empty()) problems.push_back("drifted: " + Join(drifted, ", "));
  if (require_heads && !behind.empty()) {
    problems.push_back("not at " + DescribeRows(report.heads) + ": " + Join(behind, ", "));
  }
  if (!unreadable.empty()) {
    report.verdict = Status::Failed("could not compare " + Join(unreadable, ", ") +
                                    (problems.empty() ? "" : "; " + Join(problems, "; ")));
  } else if (!problems.empty()) {
    report.verdict = Status::Differences(Join(problems, "; "));
  }
  return report;
}

namespace {

TestCheck FleetCheck(const FleetTarget& target, bool passed, const std::string& message,
                     const std::string& details, double elapsed_ms) {
  return TestCheck{.check = "fleet",
                   .name = target.Name(),
                   .revisions = {},
                   .outcome = passed ? TestCheck::Outcome::kPassed : TestCheck::Outcome::kFailed,
                   .message = message,
                   .details = details,
                   .elapsed_ms = elapsed_ms};
}

}  // namespace

std::string FleetJunit(const FleetRunReport& report) {
  TestReport junit;
  for (const FleetTargetRun& run : report.targets) {
    bool passed = run.outcome != Outcome::kFailed && run.outcome != Outcome::kNotStarted;
    std::string message =
        std::string(OutcomeWord(run.outcome, report.upgrade)) +
        (run.error.empty() ? ", at " + DescribeRows(run.rows_after) : ": " + OneLine(run.error));
    junit.checks.push_back(FleetCheck(run.target, passed, message, run.error, run.elapsed_ms));
    junit.elapsed_ms += run.elapsed_ms;
  }
  return TestReportJunit(
      junit,
      "retort fleet " + std::string(report.upgrade ? "upgrade " : "downgrade ") + report.group);
}

std::string FleetJunit(const FleetStatusReport& report) {
  TestReport junit;
  for (const FleetTargetStatus& status : report.targets) {
    std::string message =
        !status.error.empty()     ? OneLine(status.error)
        : !status.unknown.empty() ? "at unknown revision " + Join(status.unknown, ", ")
        : !status.partial.empty() ? "a migration is partially applied"
        : status.pending > 0      ? std::to_string(status.pending) + " migrations behind the heads"
                                  : "at the heads";
    junit.checks.push_back(FleetCheck(status.target, status.AtHeads(), message, status.error, 0));
  }
  return TestReportJunit(junit, "retort fleet status " + report.group);
}

std::string FleetJunit(const FleetDriftReport& report) {
  TestReport junit;
  for (const FleetTargetDrift& drift : report.targets) {
    bool passed = drift.error.empty() && drift.sql.empty();
    std::string message = !drift.error.empty() ? OneLine(drift.error)
                          : drift.sql.empty()  ? "no drift at " + DescribeRows(drift.rows)
                                               : "drifted from " + DescribeRows(drift.rows);
    junit.checks.push_back(FleetCheck(drift.target, passed, message,
                                      drift.error.empty() ? drift.sql.upgrade : drift.error, 0));
  }
  return TestReportJunit(junit, "retort fleet drift " + report.group);
}

}  // namespace retort::commands
