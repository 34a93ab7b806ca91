// `retort lint`: the static rules of src/lint over migration files, graded by live table size
// when the database can be reached; and `retort lint --probe`, which replays the migrations
// before a revision into a scratch database on the dev server, runs the revision's statements
// one by one and reports the locks each took and the tables it rewrote.
#include <algorithm>
#include <map>
#include <set>

#include "base/files.h"
#include "base/strings.h"
#include "commands/commands.h"
#include "config/database_url.h"
#include "devdb/local_cluster.h"
#include "devdb/scratch.h"
#include "executor/executor.h"
#include "lint/lint.h"
#include "lint/probe.h"
#include "sqltext/classify.h"
#include "sqltext/split.h"

namespace retort::commands {

namespace {

// ---- what to lint

struct LintTarget {
  lint::Source source;
  std::string revision;                  // "" for a plain SQL file
  std::vector<std::string> replay_upto;  // what must be applied before it (probe)
};

// Lines before the first section marker: the header. 0 when there is no marker.
int HeaderEndLine(std::string_view text) {
  int line = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++line;
    if (sqltext::SectionMarker(text.substr(start, end - start))) return line - 1;
    start = end + 1;
  }
  return 0;
}

std::string DisplayPath(const config::Config& config, const std::string& path) {
  std::string prefix = config.project_dir + "/";
  return StartsWith(path, prefix) ? path.substr(prefix.size()) : path;
}

Result<long> LockTimeoutMs(const config::Config& config) {
  return config::ParseDurationMs(config.lock_timeout);
}

LintTarget FromMigration(const config::Config& config, const migrations::Migration& migration,
                         std::string shown_path) {
  LintTarget target;
  target.source.path = shown_path.empty() ? DisplayPath(config, migration.path) : shown_path;
  target.source.text = migration.source;
  target.source.statements = migration.upgrade;
  target.source.is_migration = true;
  target.source.transactional = migration.transactional;
  target.source.header_end_line = HeaderEndLine(migration.source);
  target.revision = migration.id;
  target.replay_upto = migration.parents;
  target.replay_upto.insert(target.replay_upto.end(), migration.depends_on.begin(),
                            migration.depends_on.end());
  return target;
}

// A migration file (it has a `-- retort:upgrade` section) or a plain SQL script.
// `shown` is the path findings name.
Result<LintTarget> LoadFile(const config::Config& config, const std::string& path,
                            const std::string& shown) {
  RETORT_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  RETORT_RETURN_IF_ERROR(CheckTextFile(text, path));
  if (HeaderEndLine(text) > 0 || StartsWith(Trim(text), "-- retort:upgrade")) {
    RETORT_ASSIGN_OR_RETURN(migrations::Migration migration,
                            migrations::ParseMigration(text, path));
    return FromMigration(config, migration, shown);
  }
  RETORT_ASSIGN_OR_RETURN(std::vector<sqltext::Statement> statements,
                          sqltext::SplitStatements(text, path, 1));
  LintTarget target;
  target.source.path = shown;
  target.source.text = std::move(text);
  target.source.statements = std::move(statements);
  target.source.is_migration = false;
  target.source.transactional = false;
  target.replay_upto = {"heads"};
  return target;
}

bool LooksLikeFile(const std::string& target) {
  return PathExists(target) && !IsDirectory(target) &&
         (EndsWith(target, ".sql") || target.find('/') != std::string::npos);
}

// ---- the database, when there is one

// The configured database, when it can be reached without starting anything (an embedded
// cluster that is not running is not started just to measure tables).
std::optional<pg::Connection> MaybeConnect(const config::Config& config, const Io& io,
                                           std::string* where) {
  if (config.database_url.empty()) return std::nullopt;
  if (config::IsEmbeddedUrl(config.database_url) &&
      !devdb::LocalCluster::Inspect(EmbeddedDataDirectory(config)).running) {
    return std::nullopt;
  }
  auto conninfo = ResolveConninfo(config, config.database_url, "database url");
  if (!conninfo.ok()) {
    io.log << "warning: " << conninfo.status().message()
           << "; findings are not graded by table size\n";
    return std::nullopt;
  }
  auto connection = pg::Connection::Open(*conninfo);
  if (!connection.ok()) {
    io.log << "warning: cannot reach the database (" << connection.status().message()
           << "); findings are not graded by table size\n";
    return std::nullopt;
  }
  *where = connection->Describe();
  return std::move(connection).value();
}

// Rows (reltuples; -1 when unknown in any partition) and bytes of the table a name denotes: an
// index counts as its table, a partitioned table as the sum of its leaf partitions.
constexpr char kTableSizeSql[] = R"sql(
WITH target AS (
  SELECT t.oid, t.relkind
  FROM pg_class c
  LEFT JOIN pg_index i ON i.indexrelid = c.oid
  JOIN pg_class t ON t.oid = coalesce(i.indrelid, c.oid)
  WHERE c.oid = to_regclass($1)
), members AS (
  SELECT oid FROM target WHERE relkind <> 'p'
  UNION ALL
  SELECT tree.relid FROM target, pg_partition_tree(target.oid) tree
  WHERE target.relkind = 'p' AND tree.isleaf
)
SELECT (SELECT count(*) FROM target),
       CASE WHEN bool_and(p.reltuples >= 0) THEN coalesce(sum(p.reltuples), 0) ELSE -1 END,
       coalesce(sum(pg_total_relation_size(p.oid)), 0)
FROM members m JOIN pg_class p ON p.oid = m.oid
)sql";

std::map<std::string, lint::TableSize> ReadTableSizes(pg::Connection& connection,
                                                      const std::vector<lint::Finding>& findings) {
  std::set<std::string> names;
  for (const lint::Finding& finding : findings) {
    if (!finding.table_sql.empty()) names.insert(finding.table_sql);
  }
  std::map<std::string, lint::TableSize> sizes;
  for (const std::string& name : names) {
    auto result = connection.QueryParams(kTableSizeSql, {name});
    // A name the server cannot even parse is simply not measured.
    if (!result.ok() || result->rows() != 1 || result->Get(0, 0) == "0") continue;
    lint::TableSize size;
    size.rows = std::stod(result->Get(0, 1));
    size.bytes = std::stoll(result->Get(0, 2));
    sizes[name] = size;
  }
  return sizes;
}

// The validated CHECK (column IS NOT NULL) constraints the database already has: the first half
// of the NOT NULL recipe, applied by a migration that is not linted now.
constexpr char kValidatedNotNullChecksSql[] =
    "SELECT n.nspname, c.relname, con.conname, a.attname FROM pg_constraint con "
    "JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = con.conkey[1] "
    "WHERE con.contype = 'c' AND con.convalidated AND cardinality(con.conkey) = 1 "
    "AND pg_get_constraintdef(con.oid) = format('CHECK ((%s IS NOT NULL))', "
    "quote_ident(a.attname))";

lint::RunState ExistingNotNullChecks(pg::Connection& connection) {
  lint::RunState run;
  auto checks = connection.Query(kValidatedNotNullChecksSql);
  if (!checks.ok()) return run;  // only costs a finding the recipe would have spared
  for (int row = 0; row < checks->rows(); ++row) {
    run.not_null_checks.push_back(lint::RunState::NotNullCheck{
        checks->Get(row, 0), checks->Get(row, 1), checks->Get(row, 2), checks->Get(row, 3), true});
  }
  return run;
}

Result<lint::Thresholds> ThresholdsFor(const config::Config& config) {
  lint::Thresholds thresholds;
  thresholds.warning_rows = config.lint_warning_rows;
  thresholds.error_rows = config.lint_error_rows;
  RETORT_ASSIGN_OR_RETURN(thresholds.warning_bytes,
                          config::ParseSizeBytes(config.lint_warning_size));
  RETORT_ASSIGN_OR_RETURN(thresholds.error_bytes, config::ParseSizeBytes(config.lint_error_size));
  return thresholds;
}

Result<lint::Options> OptionsFor(const config::Config& config) {
  lint::Options options;
  auto timeout = LockTimeoutMs(config);
  options.lock_timeout_configured = timeout.ok() && *timeout > 0;
  for (const std::string& name : config.lint_disable) {
    Result<lint::RuleId> rule = lint::ParseRuleId(name);
    if (!rule.ok()) {
      return rule.status().WithContext(
          (config.config_path.empty() ? std::string("retort.toml") : config.config_path) +
          ": [lint] disable names ");
    }
    options.disabled.push_back(*rule);
  }
  RETORT_ASSIGN_OR_RETURN(options.naming, config::NamingConvention::Make(config.naming_convention));
  return options;
}

// ---- choosing the migrations

std::vector<std::string> KnownRows(const Project& project, const std::vector<std::string>& rows) {
  std::vector<std::string> known;
  for (const std::string& row : rows) {
    if (project.graph.Find(row) != nullptr) known.push_back(row);
  }
  return known;
}

class Targets {
 public:
  Targets(const config::Config& config, pg::Connection* connection, const Io& io)
      : config_(config), connection_(connection), io_(io) {}

  Result<const Project*> GetProject() {
    if (!project_) {
      RETORT_ASSIGN_OR_RETURN(project_, LoadProject(config_));
    }
    return project_.get();
  }

  // The database's version rows (only known revisions); empty without a database.
  Result<std::vector<std::string>> Rows() {
    if (rows_) return *rows_;
    rows_.emplace();
    if (connection_ == nullptr) return *rows_;
    RETORT_ASSIGN_OR_RETURN(const Project* project, GetProject());
    auto rows = project->Store().ReadRows(*connection_);
    if (!rows.ok()) {
      io_.log << "warning: cannot read the version table: " << rows.status().message() << "\n";
      return *rows_;
    }
    *rows_ = KnownRows(*project, *rows);
    return *rows_;
  }

  Result<std::vector<LintTarget>> Resolve(const std::vector<std::string>& specs, bool all) {
    std::vector<LintTarget> targets;
    if (specs.empty()) {
      RETORT_ASSIGN_OR_RETURN(const Project* project, GetProject());
      std::vector<std::string> ids = project->graph.TopologicalOrder();
      if (connection_ != nullptr && !all) {
        RETORT_ASSIGN_OR_RETURN(std::vector<std::string> rows, Rows());
        std::set<std::string> applied = project->graph.Ancestors(rows);
        std::erase_if(ids, [&](const std::string& id) { return applied.contains(id); });
        io_.log << "linting " << ids.size() << " migration" << (ids.size() == 1 ? "" : "s")
                << " not yet applied to " << connection_->Describe()
                << " (--all for every migration)\n";
      } else {
        io_.log << "linting all " << ids.size() << " migration" << (ids.size() == 1 ? "" : "s")
                << "\n";
      }
      for (const std::string& id : ids) targets.push_back(Revision(*project, id));
      return targets;
    }
    std::set<std::string> seen;
    for (const std::string& spec : specs) {
      if (LooksLikeFile(spec)) {
        RETORT_ASSIGN_OR_RETURN(LintTarget target, LoadFile(config_, spec, spec));
        targets.push_back(std::move(target));
        continue;
      }
      RETORT_ASSIGN_OR_RETURN(const Project* project, GetProject());
      RETORT_ASSIGN_OR_RETURN(std::vector<std::string> rows, Rows());
      std::vector<std::string> ids;
      if (spec.find(':') != std::string::npos) {
        auto range = project->graph.Range(spec, rows);
        if (!range.ok()) return range.status();
        ids.assign(range->rbegin(), range->rend());  // oldest first
      } else if (spec == "heads") {
        ids = project->graph.Heads();
      } else {
        auto id = project->graph.ResolveRevision(spec, rows);
        if (!id.ok()) {
          return id.status().WithContext("'" + spec +
                                         "' is neither a migration file nor a revision: ");
        }
        ids.push_back(*id);
      }
      for (const std::string& id : ids) {
        if (seen.insert(id).second) targets.push_back(Revision(*project, id));
      }
    }
    return targets;
  }

 private:
  LintTarget Revision(const Project& project, const std::string& id) {
    return FromMigration(config_, project.Get(id), "");
  }

  const config::Config& config_;
  pg::Connection* connection_;
  const Io& io_;
  std::unique_ptr<Project> project_;
  std::optional<std::vector<std::string>> rows_;
};

std::string Plural(int count, const std::string& word) {
  return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

// ---- the probe

// Every relation outside the system schemas: oid -> (name, kind, relfilenode).
struct RelationState {
  std::string name;
  char kind = 'r';
  std::string filenode;
};
using RelationMap = std::map<std::string, RelationState>;

constexpr char kRelationsSql[] = R"sql(
SELECT c.oid, n.nspname || '.' || c.relname, c.relkind, c.relfilenode
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
)sql";

// This backend's granted relation locks in this database. Virtualxid and transactionid locks
// are other lock types and never show here.
constexpr char kLocksSql[] = R"sql(
SELECT relation, mode FROM pg_locks
WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
)sql";

std::string KindName(char kind) {
  switch (kind) {
    case 'r':
      return "table";
    case 'p':
      return "partitioned table";
    case 'i':
      return "index";
    case 'I':
      return "partitioned index";
    case 'S':
      return "sequence";
    case 'v':
      return "view";
    case 'm':
      return "materialized view";
    case 'f':
      return "foreign table";
    default:
      return "relation";
  }
}

struct Snapshot {
  RelationMap relations;
  std::set<std::pair<std::string, std::string>> locks;  // (oid, mode)
};

Result<Snapshot> TakeSnapshot(pg::Connection& connection) {
  Snapshot snapshot;
  RETORT_ASSIGN_OR_RETURN(pg::PgResult relations, connection.Query(kRelationsSql));
  for (int row = 0; row < relations.rows(); ++row) {
    std::string kind = relations.Get(row, 2);
    snapshot.relations[relations.Get(row, 0)] =
        RelationState{relations.Get(row, 1), kind.empty() ? 'r' : kind[0], relations.Get(row, 3)};
  }
  RETORT_ASSIGN_OR_RETURN(pg::PgResult locks, connection.Query(kLocksSql));
  for (int row = 0; row < locks.rows(); ++row) {
    snapshot.locks.emplace(locks.Get(row, 0), locks.Get(row, 1));
  }
  return snapshot;
}

void Compare(const Snapshot& before, const Snapshot& after, lint::ProbedStatement& probed) {
  for (const auto& [oid, mode] : after.locks) {
    if (before.locks.contains({oid, mode})) continue;
    auto relation = before.relations.find(oid);
    // Relations the statement itself created are invisible to everyone else until commit.
    if (relation == before.relations.end()) continue;
    probed.locks.push_back(
        lint::RelationLock{relation->second.name, KindName(relation->second.kind), mode});
  }
  std::sort(probed.locks.begin(), probed.locks.end(),
            [](const lint::RelationLock& a, const lint::RelationLock& b) {
              int strength_a = lint::LockModeStrength(a.mode);
              int strength_b = lint::LockModeStrength(b.mode);
              if (strength_a != strength_b) return strength_a > strength_b;
              return a.relation < b.relation;
            });
  std::set<std::string> names_after;
  for (const auto& [oid, state] : after.relations) names_after.insert(state.name);
  for (const auto& [oid, state] : before.relations) {
    auto now = after.relations.find(oid);
    if (now == after.relations.end()) {
      // ALTER COLUMN TYPE drops the indexes on the column and creates them again.
      if (state.kind == 'i' && names_after.contains(state.name)) {
        probed.rebuilt_indexes.push_back(state.name);
      }
      continue;
    }
    if (now->second.filenode == state.filenode) continue;
    if (state.kind == 'r' || state.kind == 'm') probed.rewritten_tables.push_back(state.name);
    if (state.kind == 'i') probed.rebuilt_indexes.push_back(state.name);
  }
  std::sort(probed.rewritten_tables.begin(), probed.rewritten_tables.end());
  std::sort(probed.rebuilt_indexes.begin(), probed.rebuilt_indexes.end());
}

std::string ErrorText(const pg::PgError& error) {
  std::string text = "ERROR: " + error.message;
  if (!error.detail.empty()) text += " (" + error.detail + ")";
  return text;
}

Status Run(pg::Connection& connection, const std::string& sql) {
  auto outcome = connection.Execute(sql);
  if (!outcome.ok()) return outcome.error.ToStatus();
  return Status::Ok();
}

// Runs each statement in a transaction of its own on the scratch copy and commits it, so that
// every statement's lock set is complete: inside one transaction a lock taken by an earlier
// statement would hide the same lock taken again by a later one. (What a transactional
// migration holds until it commits is the union, which the report adds up.) Statements that
// cannot run in a transaction block still run, unmeasured, so that later ones find what they
// made.
Result<std::vector<lint::ProbedStatement>> ProbeStatements(pg::Connection& connection,
                                                           const lint::Source& source) {
  std::vector<lint::ProbedStatement> probed;
  for (const sqltext::Statement& statement : source.statements) {
    lint::ProbedStatement result;
    result.line = statement.line;
    result.statement = Excerpt(statement.text, 100);
    sqltext::TransactionUse use = sqltext::ClassifyTransactionUse(statement.text);
    if (use == sqltext::TransactionUse::kControlsTransaction) {
      result.outcome = lint::ProbeOutcome::kNotProbed;
      result.note = "transaction control; the probe runs each statement in its own transaction";
      probed.push_back(std::move(result));
      continue;
    }
    if (use == sqltext::TransactionUse::kOutsideTransactionBlock) {
      result.outcome = lint::ProbeOutcome::kNotProbed;
      result.note = "runs outside a transaction";
      auto outcome = connection.Execute(statement.text);
      if (!outcome.ok()) {
        result.outcome = lint::ProbeOutcome::kFailed;
        result.note = ErrorText(outcome.error);
        probed.push_back(std::move(result));
        return probed;
      }
      probed.push_back(std::move(result));
      continue;
    }
    RETORT_RETURN_IF_ERROR(Run(connection, "BEGIN"));
    RETORT_ASSIGN_OR_RETURN(Snapshot before, TakeSnapshot(connection));
    auto outcome = connection.Execute(statement.text);
    if (!outcome.ok()) {
      result.outcome = lint::ProbeOutcome::kFailed;
      result.note = ErrorText(outcome.error);
      probed.push_back(std::move(result));
      (void)connection.Execute("ROLLBACK");
      return probed;
    }
    RETORT_ASSIGN_OR_RETURN(Snapshot after, TakeSnapshot(connection));
    Compare(before, after, result);
    probed.push_back(std::move(result));
    RETORT_RETURN_IF_ERROR(Run(connection, "COMMIT"));
  }
  return probed;
}

// The plan that applies `targets` (revision specs, "heads") from an empty database.
Result<revision::Path> PlanUpTo(const revision::RevisionGraph& graph,
                                const std::vector<std::string>& targets) {
  revision::Path plan;
  std::vector<std::string> rows;
  for (const std::string& target : targets) {
    RETORT_ASSIGN_OR_RETURN(revision::Path part, graph.PlanUpgrade(rows, target));
    if (part.steps.empty()) continue;
    rows = part.final_rows;
    plan.steps.insert(plan.steps.end(), part.steps.begin(), part.steps.end());
  }
  plan.final_rows = rows;
  return plan;
}

Result<LintReport> Probe(const config::Config& config, const LintOptions& options, const Io& io) {
  if (options.targets.size() > 1) {
    return Status::InvalidInput("lint --probe takes one revision or file (got " +
                                std::to_string(options.targets.size()) + ")");
  }
  Targets targets(config, nullptr, io);
  RETORT_ASSIGN_OR_RETURN(const Project* project, targets.GetProject());
  std::vector<std::string> specs = options.targets;
  if (specs.empty()) {
    if (project->graph.Heads().size() > 1) {
      return Status::InvalidInput("several heads (" + Join(project->graph.Heads(), ", ") +
                                  "): name the revision or file to probe");
    }
    if (project->graph.nodes().empty()) {
      return Status::InvalidInput("no migrations to probe: name a revision or a SQL file");
    }
    specs = {"head"};
  }
  RETORT_ASSIGN_OR_RETURN(std::vector<LintTarget> resolved, targets.Resolve(specs, true));
  if (resolved.size() != 1) {
    return Status::InvalidInput("lint --probe takes one revision or file ('" + specs.front() +
                                "' names " + std::to_string(resolved.size()) + ")");
  }
  LintTarget& target = resolved.front();
  for (const std::string& needed : target.replay_upto) {
    if (needed != "heads" && !project->graph.ResolveRevision(needed, {}).ok()) {
      return Status::InvalidInput(target.source.path + ": it revises or depends on '" + needed +
                                  "', which is not among the project's migrations");
    }
  }
  RETORT_ASSIGN_OR_RETURN(revision::Path plan, PlanUpTo(project->graph, target.replay_upto));
  RETORT_RETURN_IF_ERROR(executor::Executor::Preflight(plan, project->index));

  RETORT_ASSIGN_OR_RETURN(std::string dev_conninfo,
                          ResolveConninfo(config, config.dev_url, "dev_url"));
  RETORT_ASSIGN_OR_RETURN(devdb::ScratchDatabase scratch,
                          devdb::ScratchDatabase::Create(dev_conninfo, "probe"));
  lint::ProbeReport report;
  report.file = target.source.path;
  report.revision = target.revision;
  report.replayed = plan.final_rows.empty() ? "base" : Join(plan.final_rows, ", ");
  report.transactional = target.source.transactional;
  {
    RETORT_ASSIGN_OR_RETURN(pg::Connection connection, scratch.Connect());
    executor::LiveSink sink(connection);
    executor::Options replay;
    replay.transaction_per_migration = config.transaction_per_migration;
    replay.lock_timeout = "0";  // nobody else uses the scratch database
    replay.statement_timeout = "0";
    replay.tool_version = "retort lint --probe";
    history::VersionStore store = project->Store();
    executor::Executor executor(sink, store, replay);
    Status replayed = executor.EnsureTables();
    if (replayed.ok()) replayed = executor.Run(plan, project->index);
    if (!replayed.ok()) {
      return replayed.WithContext("replaying the migrations before " + report.file +
                                  " into a scratch database: ");
    }
    io.log << "replayed " << Plural(static_cast<int>(plan.steps.size()), "migration")
           << " into scratch database " << scratch.name() << "\n";
    RETORT_ASSIGN_OR_RETURN(report.statements, ProbeStatements(connection, target.source));
  }
  Status verdict;
  if (report.failed()) {
    for (const lint::ProbedStatement& statement : report.statements) {
      if (statement.outcome != lint::ProbeOutcome::kFailed) continue;
      verdict = Status::Failed(report.file + ":" + std::to_string(statement.line) +
                               ": the statement failed on the scratch copy: " + statement.note);
      break;
    }
  }
  return LintReport{.result = std::move(report), .verdict = std::move(verdict)};
}

}  // namespace

Result<LintReport> Lint(const config::Config& config, const LintOptions& options, const Io& io) {
  if (options.list_rules) return LintReport{.result = lint::Rules()};
  RETORT_ASSIGN_OR_RETURN(lint::Options lint_options, OptionsFor(config));
  if (options.probe) return Probe(config, options, io);
  RETORT_ASSIGN_OR_RETURN(lint::Thresholds thresholds, ThresholdsFor(config));

  std::string database;
  std::optional<pg::Connection> connection;
  if (!options.offline) connection = MaybeConnect(config, io, &database);
  Targets targets(config, connection ? &*connection : nullptr, io);
  RETORT_ASSIGN_OR_RETURN(std::vector<LintTarget> resolved,
                          targets.Resolve(options.targets, options.all));

  std::vector<lint::Finding> findings;
  std::vector<std::string> files;
  // The targets come in the order they run: what one establishes holds for the next.
  lint::RunState run = connection ? ExistingNotNullChecks(*connection) : lint::RunState{};
  for (const LintTarget& target : resolved) {
    lint::Options for_source = lint_options;
    // retort's lock_timeout applies to the migrations it runs, not to other scripts.
    if (!target.source.is_migration) for_source.lock_timeout_configured = false;
    std::vector<lint::Finding> found = lint::Lint(target.source, for_source, &run);
    findings.insert(findings.end(), found.begin(), found.end());
    files.push_back(target.source.path);
  }
  if (connection) {
    lint::GradeBySize(findings, ReadTableSizes(*connection, findings), thresholds);
  }
  lint::Summary summary = lint::Summarize(findings);
  Status verdict;
  if (summary.errors > 0) {
    verdict = Status::Differences(
        "lint found " + Plural(summary.errors, "error") +
        ": fix them, or suppress one with `-- retort:lint-ignore RULE` on the line above "
        "its statement");
  }
  return LintReport{
      .result = LintFindings{.findings = std::move(findings),
                             .files = std::move(files),
                             .database = connection ? std::optional(database) : std::nullopt,
                             .summary = summary},
      .verdict = std::move(verdict)};
}

std::vector<lint::Finding> WrittenRevisionFindings(
    const config::Config& config, const migrations::Migration& written,
    const std::vector<render::MigrationSql::StatementHazard>& hazards) {
  auto options = OptionsFor(config);
  if (!options.ok()) return {};  // `retort lint` reports a bad [lint] section
  options->hygiene_only = true;
  LintTarget target = FromMigration(config, written, "");
  std::vector<lint::Finding> findings = lint::Lint(target.source, *options);
  // Each hazard on the line of its step's first statement: the statements come in the order
  // rendered, so the search goes on from the last one found.
  const std::vector<sqltext::Statement>& statements = written.upgrade;
  size_t next = 0;
  std::set<lint::RuleId> ignored = lint::FileIgnores(target.source);
  ignored.insert(options->disabled.begin(), options->disabled.end());
  // What happens and what to do instead are lint's words for the rule, which it writes for the
  // statement it reads: the statement alone gives them (no file to lint again for hazards).
  lint::Options explain = *options;
  explain.hygiene_only = false;
  for (const render::MigrationSql::StatementHazard& entry : hazards) {
    if (ignored.contains(entry.hazard.rule)) continue;
    size_t found = next;
    while (found < statements.size() && statements[found].text != Trim(entry.statement)) ++found;
    if (found < statements.size()) next = found;
    int line = next < statements.size() ? statements[next].line : 0;
    lint::Finding finding =
        lint::HazardFinding(entry.hazard, target.source.path, line, entry.statement);
    auto explained =
        lint::LintSql(entry.statement, target.source.path, line, written.transactional, explain);
    if (explained.ok()) {
      for (const lint::Finding& lint_finding : *explained) {
        if (lint_finding.id != finding.id) continue;
        finding.effect = lint_finding.effect;
        finding.fix = lint_finding.fix;
        break;
      }
    }
    findings.push_back(std::move(finding));
  }
  std::stable_sort(findings.begin(), findings.end(),
                   [](const lint::Finding& a, const lint::Finding& b) { return a.line < b.line; });
  return findings;
}

void ReportWrittenRevision(const config::Config& config, const migrations::Migration& written,
                           const std::vector<render::MigrationSql::StatementHazard>& hazards,
                           const Io& io) {
  std::vector<lint::Finding> findings = WrittenRevisionFindings(config, written, hazards);
  if (findings.empty()) return;
  lint::Summary summary = lint::Summarize(findings);
  io.log << "lint: " << Plural(summary.errors, "error") << ", "
         << Plural(summary.warnings, "warning") << ", " << Plural(summary.notes, "note") << " in "
         << DisplayPath(config, written.path)
         << " (the file is written; review it, `retort lint --probe` measures the locks):\n";
  for (const lint::Finding& finding : findings) io.log << lint::FormatText(finding);
}

}  // namespace retort::commands
