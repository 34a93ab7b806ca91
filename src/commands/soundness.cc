// `retort test`: proves the migrations sound before they reach a real database, on scratch
// databases of the dev server (what pytest-alembic does for Alembic, built in):
//  - the graph: one head, no files that are not migrations, no history cut off from the rest;
//  - upgrade base -> head with the real `upgrade` command;
//  - the head against schema/;
//  - the stairway: every revision upgraded, downgraded and upgraded again, the schema read after
//    each downgrade compared with the schema before the upgrade.
// migrations/fixtures/REV.sql is applied right after REV is upgraded, so that downgrades which
// carry data run on data.
#include <algorithm>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "base/files.h"
#include "base/strings.h"
#include "commands/commands.h"
#include "commands/render_threads.h"
#include "commands/schema_sources.h"
#include "devdb/scratch.h"
#include "executor/executor.h"
#include "render/render.h"

namespace retort::commands {

namespace {

using Clock = std::chrono::steady_clock;
using Outcome = TestCheck::Outcome;

// At most this many databases walk the stairway at once.
constexpr size_t kStairwayParts = 4;

TestCheck Passed(std::string check, std::string name, std::string message) {
  TestCheck result;
  result.check = std::move(check);
  result.name = std::move(name);
  result.outcome = Outcome::kPassed;
  result.message = std::move(message);
  return result;
}

TestCheck Failed(std::string check, std::string name, std::vector<std::string> revisions,
                 std::string message, std::string details = "") {
  TestCheck result;
  result.check = std::move(check);
  result.name = std::move(name);
  result.revisions = std::move(revisions);
  result.outcome = Outcome::kFailed;
  result.message = std::move(message);
  result.details = std::move(details);
  return result;
}

TestCheck Skipped(std::string check, std::string name, std::string message) {
  TestCheck result;
  result.check = std::move(check);
  result.name = std::move(name);
  result.outcome = Outcome::kSkipped;
  result.message = std::move(message);
  return result;
}

std::string Plural(size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

// What differs but cannot be planned, as SQL comments before the SQL of what can.
std::string Unplannable(const render::MigrationSql& sql) {
  std::string text;
  for (const std::string& problem : sql.upgrade_unsupported) text += "-- " + problem + "\n";
  return text;
}

// The first line of `text`, for one-line messages; with the next one when the first only
// introduces it ("file:8: statement 1 of 1 in revision c3 failed:" + the server's error).
std::string FirstLine(const std::string& text) {
  std::vector<std::string> lines = Split(Trim(text), '\n');
  if (lines.empty()) return "";
  std::string line(Trim(lines[0]));
  if (EndsWith(line, ":") && lines.size() > 1) line += " " + std::string(Trim(lines[1]));
  return line;
}

// The conninfo of database `dbname` on the server `server_conninfo` reaches, as a URL setting
// (`upgrade` takes a URL, not a connection).
std::string ConninfoForDatabase(const std::string& server_conninfo, const std::string& dbname) {
  if (StartsWith(server_conninfo, "postgresql://") || StartsWith(server_conninfo, "postgres://")) {
    // A later dbname parameter overrides the URI's path.
    return server_conninfo + (server_conninfo.find('?') == std::string::npos ? "?" : "&") +
           "dbname=" + dbname;
  }
  return server_conninfo + " dbname='" + dbname + "'";
}

// ---- fixtures

std::string FixturesDirectory(const config::Config& config) {
  return JoinPath(config.ScriptDirectory(), "fixtures");
}

// Revision id -> fixture file, for every migrations/fixtures/*.sql.
Result<std::map<std::string, devdb::SqlFile>> FindFixtures(const config::Config& config) {
  std::map<std::string, devdb::SqlFile> fixtures;
  std::string directory = FixturesDirectory(config);
  if (!IsDirectory(directory)) return fixtures;
  RETORT_ASSIGN_OR_RETURN(std::vector<std::string> files, ListFiles(directory, ".sql"));
  for (const std::string& file : files) {
    std::string name = BaseName(file);
    if (StartsWith(name, ".")) continue;
    std::string revision = name.substr(0, name.size() - 4);
    fixtures[revision] =
        devdb::SqlFile{file, JoinPath(JoinPath(config.script_location, "fixtures"), name)};
  }
  return fixtures;
}

// ---- graph and files

// An Alembic revision file a revision was imported from (`retort import alembic`): Alembic
// names them `<rev>_<slug>.py` (or with a date before the id), and they may stay beside the
// .sql files, which Alembic does not read, while both tools are in use.
bool IsAlembicRevisionFile(const std::string& name,
                           const std::vector<migrations::Migration>& migrations) {
  if (!EndsWith(name, ".py") && !EndsWith(name, ".pyc")) return false;
  for (const migrations::Migration& migration : migrations) {
    const std::string& id = migration.id;
    for (size_t at = name.find(id); at != std::string::npos; at = name.find(id, at + 1)) {
      bool starts = at == 0 || name[at - 1] == '_' || name[at - 1] == '-';
      char after = at + id.size() < name.size() ? name[at + id.size()] : '\0';
      if (starts && (after == '_' || after == '.')) return true;
    }
  }
  return false;
}

std::vector<TestCheck> GraphChecks(const Project& project,
                                   const std::map<std::string, devdb::SqlFile>& fixtures) {
  std::vector<TestCheck> checks;
  const revision::RevisionGraph& graph = project.graph;

  std::vector<std::string> heads = graph.Heads();
  if (heads.size() > 1) {
    checks.push_back(Failed("heads", "single head", heads,
                            Plural(heads.size(), "head") + ": " + Join(heads, ", ") +
                                " (`retort merge heads` joins them)"));
  } else {
    checks.push_back(
        Passed("heads", "single head", heads.empty() ? "no migrations" : "head " + heads[0]));
  }

  // Files retort would not read: what is in versions/ but is no migration file, and fixtures
  // of revisions that do not exist. (A .sql file that is not a migration, or one whose
  // `revises` is unknown, already stopped LoadProject.)
  std::vector<std::string> orphans;
  auto listed = ListFiles(project.config.VersionsDirectory(), "");
  if (listed.ok()) {
    for (const std::string& file : *listed) {
      if (IsAlembicRevisionFile(BaseName(file), project.migrations)) continue;
      if (!StartsWith(BaseName(file), ".") && !EndsWith(file, ".sql") && !IsDirectory(file)) {
        orphans.push_back(file + ": not a migration (migration files end in .sql)");
      }
    }
  }
  for (const auto& [revision, file] : fixtures) {
    if (graph.Find(revision) == nullptr) {
      orphans.push_back(file.display_name + ": fixture of unknown revision " + revision);
    }
  }
  if (orphans.empty()) {
    checks.push_back(Passed("files", "migration files",
                            Plural(project.migrations.size(), "migration") + ", " +
                                Plural(fixtures.size(), "fixture")));
  } else {
    checks.push_back(Failed("files", "migration files", {}, Plural(orphans.size(), "orphan file"),
                            Join(orphans, "\n")));
  }

  // Several bases are a history cut in two (a `revises` lost in a rebase) unless each is the
  // root of a labelled branch.
  std::vector<std::string> bases = graph.Bases();
  std::vector<std::string> unlabelled;
  for (const std::string& base : bases) {
    if (graph.Find(base)->branch_labels.empty()) unlabelled.push_back(base);
  }
  if (bases.size() > 1 && !unlabelled.empty()) {
    checks.push_back(Failed(
        "reachability", "reachable revisions", bases,
        Plural(bases.size(), "base") + " (" + Join(bases, ", ") +
            "): the history is cut in separate parts; a revision whose `revises` was lost starts "
            "a new one (give each base a branch label if that is intended)"));
  } else {
    checks.push_back(Passed("reachability", "reachable revisions",
                            bases.size() > 1 ? "labelled bases " + Join(bases, ", ")
                                             : "every revision reachable from base"));
  }
  return checks;
}

// ---- upgrade base -> head, with the real command

struct UpgradeResult {
  TestCheck check;
  std::optional<schema::Database> head;  // the schema at head when the upgrade passed
};

UpgradeResult UpgradeBaseToHead(const Project& project, const std::string& dev_conninfo,
                                const std::map<std::string, devdb::SqlFile>& fixtures) {
  const char kCheck[] = "upgrade";
  const char kName[] = "upgrade base -> head";
  auto started = Clock::now();
  UpgradeResult result;
  auto fail = [&](std::vector<std::string> revisions, std::string message, std::string details) {
    result.check =
        Failed(kCheck, kName, std::move(revisions), std::move(message), std::move(details));
    result.check.elapsed_ms = MillisecondsSince(started);
    return std::move(result);
  };
  auto scratch = devdb::ScratchDatabase::Create(dev_conninfo, "test");
  if (!scratch.ok()) return fail({}, scratch.status().message(), "");
  config::Config config = project.config;
  config.database_url = ConninfoForDatabase(dev_conninfo, scratch->name());

  // Stops at every revision with a fixture to apply it; otherwise one run, as `upgrade head`.
  std::vector<std::string> targets;
  for (const std::string& id : project.graph.TopologicalOrder()) {
    if (fixtures.count(id) > 0) targets.push_back(id);
  }
  targets.push_back("heads");
  std::ostringstream log;
  std::ostringstream out;
  Io quiet{out, log};
  auto connection = scratch->Connect();
  if (!connection.ok()) return fail({}, connection.status().message(), "");
  history::VersionStore store = project.Store();
  for (const std::string& target : targets) {
    MigrateOptions options;
    options.target = target;
    Status upgraded = Upgrade(config, options, quiet);
    if (!upgraded.ok()) {
      // The revision at fault: the next one the upgrade would run from where it stopped.
      std::vector<std::string> at_fault;
      auto rows = store.ReadRows(*connection);
      if (rows.ok()) {
        auto rest = project.graph.PlanUpgrade(*rows, target);
        if (rest.ok() && !rest->steps.empty()) at_fault.push_back(rest->steps.front().revision);
      }
      return fail(at_fault,
                  (at_fault.empty() ? std::string() : at_fault.front() + ": ") +
                      FirstLine(upgraded.message()),
                  upgraded.message());
    }
    if (target == "heads") break;
    const devdb::SqlFile& fixture = fixtures.at(target);
    Status loaded = devdb::ApplySqlFiles(*connection, {fixture});
    if (!loaded.ok()) {
      return fail({target}, target + ": fixture " + fixture.display_name + " failed",
                  loaded.message());
    }
  }
  auto head = InspectConnection(project.config, *connection);
  if (!head.ok()) return fail({}, head.status().message(), "");
  result.head = std::move(*head);
  std::vector<std::string> heads = project.graph.Heads();
  result.check = Passed(kCheck, kName,
                        heads.empty() ? "no migrations"
                                      : Plural(project.migrations.size(), "migration") +
                                            " applied, at " + Join(heads, ", "));
  result.check.elapsed_ms = MillisecondsSince(started);
  return result;
}

// ---- stairway

// One scratch database walked up and down the graph one revision at a time, with the executor
// that `upgrade` and `downgrade` use.
class Stairway {
 public:
  Stairway(const Project& project, std::string dev_conninfo,
           const std::map<std::string, devdb::SqlFile>& fixtures)
      : project_(project),
        dev_conninfo_(std::move(dev_conninfo)),
        fixtures_(fixtures),
        store_(project.Store()) {
    options_ = ReplayOptions(project.config);
    options_.backup = project.config.backup_mode != "off";
    options_.backup_schema = project.config.backup_schema;
  }

  // The stairway of order[begin, end): the database starts with order[0, begin) applied (a
  // prefix of a topological order is closed under ancestors).
  std::vector<TestCheck> Run(const std::vector<std::string>& order, size_t begin, size_t end) {
    std::vector<TestCheck> checks;
    Status ready = Reset(std::set<std::string>(order.begin(), order.begin() + begin));
    for (size_t i = begin; i < end; ++i) {
      const std::string& id = order[i];
      if (!ready.ok()) {
        checks.push_back(
            Skipped("stairway", "stairway " + id, "not run: " + FirstLine(ready.message())));
        continue;
      }
      auto started = Clock::now();
      TestCheck check = Step(id, ready);
      check.elapsed_ms = MillisecondsSince(started);
      checks.push_back(std::move(check));
    }
    return checks;
  }

 private:
  // Up, fixture, down, compare, up again. `ready` turns into an error when the walk cannot go
  // on (the revision cannot be applied, so nothing after it can).
  TestCheck Step(const std::string& id, Status& ready) {
    const char kCheck[] = "stairway";
    std::string name = "stairway " + id;
    const migrations::Migration& migration = project_.Get(id);
    schema::Database before = state_;

    Status up = Apply(id, revision::Direction::kUp);
    if (!up.ok()) {
      ready = Status::Failed("the upgrade of " + id + " failed");
      return Failed(kCheck, name, {id}, "upgrade failed: " + FirstLine(up.message()), up.message());
    }
    std::optional<TestCheck> fixture_failure;
    if (auto fixture = fixtures_.find(id); fixture != fixtures_.end()) {
      Status loaded = devdb::ApplySqlFiles(*connection_, {fixture->second});
      if (!loaded.ok()) {
        fixture_failure = Failed(
            kCheck, name, {id},
            "fixture " + fixture->second.display_name + " failed: " + FirstLine(loaded.message()),
            loaded.message());
      }
    }
    if (fixture_failure || !migration.has_downgrade) {
      ready = ReadState();
      if (fixture_failure) return *fixture_failure;
      return Failed(
          kCheck, name, {id},
          "no downgrade section (" + migration.path + "): the migration cannot be reverted");
    }

    Status down = Apply(id, revision::Direction::kDown);
    if (!down.ok()) {
      // A transactional downgrade was rolled back: the database is still at `id`.
      ready = migration.transactional ? ReadState() : Reset(applied_);
      return Failed(kCheck, name, {id}, "downgrade failed: " + FirstLine(down.message()),
                    down.message());
    }
    auto after_down = InspectConnection(project_.config, *connection_);
    if (!after_down.ok()) {
      ready = after_down.status();
      return Failed(kCheck, name, {id}, after_down.status().message());
    }
    render::MigrationSql trace = RenderOnThreads(before, *after_down);
    if (!trace.empty()) {
      std::set<std::string> with_id = applied_;
      with_id.insert(id);
      ready = Reset(with_id);
      return Failed(
          kCheck, name, {id},
          "the downgrade does not restore the schema before the upgrade: " +
              trace.FirstDifference(),
          "-- what the downgrade of " + id +
              " leaves different: this SQL turns the schema before its upgrade into the schema "
              "after its downgrade\n" +
              Unplannable(trace) + trace.upgrade);
    }

    Status again = Apply(id, revision::Direction::kUp);
    if (!again.ok()) {
      std::set<std::string> with_id = applied_;
      with_id.insert(id);
      ready = Reset(with_id);
      return Failed(kCheck, name, {id},
                    "upgrade after the downgrade failed: " + FirstLine(again.message()),
                    again.message());
    }
    // Again, so that the downgrades of the revisions after this one run on its data too.
    if (auto fixture = fixtures_.find(id); fixture != fixtures_.end()) {
      Status loaded = devdb::ApplySqlFiles(*connection_, {fixture->second});
      if (!loaded.ok()) {
        ready = ReadState();
        return Failed(kCheck, name, {id},
                      "fixture " + fixture->second.display_name +
                          " failed after the upgrade that followed the downgrade (a fixture runs "
                          "after every upgrade of its revision; make it re-runnable, e.g. INSERT "
                          "... ON CONFLICT DO NOTHING): " +
                          FirstLine(loaded.message()),
                      loaded.message());
      }
    }
    ready = ReadState();
    TestCheck passed = Passed(
        kCheck, name, fixtures_.count(id) > 0 ? "up, down, up (with fixture)" : "up, down, up");
    passed.revisions = {id};
    return passed;
  }

  // Runs one migration in one direction.
  Status Apply(const std::string& id, revision::Direction direction) {
    std::set<std::string> after = applied_;
    if (direction == revision::Direction::kUp) {
      after.insert(id);
    } else {
      after.erase(id);
    }
    revision::Path plan;
    plan.final_rows = project_.graph.RowsFor(after);
    plan.steps.push_back(revision::Move{id, direction, rows_, plan.final_rows});
    RETORT_RETURN_IF_ERROR(executor::Executor::Preflight(plan, project_.index));
    executor::LiveSink sink(*connection_);
    executor::Executor executor(sink, store_, options_);
    RETORT_RETURN_IF_ERROR(executor.Run(plan, project_.index));
    applied_ = std::move(after);
    rows_ = plan.final_rows;
    return Status::Ok();
  }

  Status ReadState() {
    RETORT_ASSIGN_OR_RETURN(state_, InspectConnection(project_.config, *connection_));
    return Status::Ok();
  }

  // A new database holding `applied` (with their fixtures): where the walk goes on after a
  // revision left the database in a state nothing else should start from.
  Status Reset(const std::set<std::string>& applied) {
    connection_.reset();
    scratch_.reset();
    RETORT_ASSIGN_OR_RETURN(devdb::ScratchDatabase scratch,
                            devdb::ScratchDatabase::Create(dev_conninfo_, "stair"));
    scratch_.emplace(std::move(scratch));
    RETORT_ASSIGN_OR_RETURN(pg::Connection connection, scratch_->Connect());
    connection_.emplace(std::move(connection));
    applied_.clear();
    rows_.clear();
    {
      executor::LiveSink sink(*connection_);
      executor::Executor executor(sink, store_, options_);
      RETORT_RETURN_IF_ERROR(executor.EnsureTables());
    }
    for (const std::string& id : project_.graph.TopologicalOrder()) {
      if (applied.count(id) == 0) continue;
      RETORT_RETURN_IF_ERROR(Apply(id, revision::Direction::kUp));
      if (auto fixture = fixtures_.find(id); fixture != fixtures_.end()) {
        RETORT_RETURN_IF_ERROR(devdb::ApplySqlFiles(*connection_, {fixture->second}));
      }
    }
    return ReadState();
  }

  const Project& project_;
  std::string dev_conninfo_;
  const std::map<std::string, devdb::SqlFile>& fixtures_;
  history::VersionStore store_;
  executor::Options options_;
  std::optional<devdb::ScratchDatabase> scratch_;
  std::optional<pg::Connection> connection_;  // closed before scratch_ is dropped
  std::set<std::string> applied_;
  std::vector<std::string> rows_;
  schema::Database state_;
};

// The stairway in parts, each on a database of its own that starts where the part before it
// ends: every step is a few round trips and two catalog reads, and the parts run at once.
std::vector<TestCheck> RunStairway(const Project& project, const std::string& dev_conninfo,
                                   const std::map<std::string, devdb::SqlFile>& fixtures) {
  std::vector<std::string> order = project.graph.TopologicalOrder();
  constexpr size_t kMinimumPart = 8;
  size_t parts = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, kStairwayParts);
  parts = std::max<size_t>(1, std::min(parts, order.size() / kMinimumPart));
  std::vector<std::future<std::vector<TestCheck>>> running;
  for (size_t part = 0; part < parts; ++part) {
    size_t begin = order.size() * part / parts;
    size_t end = order.size() * (part + 1) / parts;
    running.push_back(std::async(std::launch::async, [&, begin, end] {
      return Stairway(project, dev_conninfo, fixtures).Run(order, begin, end);
    }));
  }
  std::vector<TestCheck> checks;
  for (auto& part : running) {
    for (TestCheck& check : part.get()) checks.push_back(std::move(check));
  }
  return checks;
}

// ---- head against schema/

TestCheck CompareWithSchema(const config::Config& config, const UpgradeResult& upgrade,
                            const Result<schema::Database>& desired,
                            const std::vector<std::string>& heads) {
  const char kCheck[] = "schema";
  std::string name = "head matches " + SchemaPathsText(config);
  if (!upgrade.head) return Skipped(kCheck, name, "not run: the upgrade to head failed");
  if (!desired.ok()) {
    return Failed(kCheck, name, {}, FirstLine(desired.status().message()),
                  desired.status().message());
  }
  render::MigrationSql sql = RenderOnThreads(*upgrade.head, *desired);
  if (sql.empty()) return Passed(kCheck, name, "no differences");
  return Failed(kCheck, name, heads,
                "the migrations at " + (heads.empty() ? std::string("base") : Join(heads, ", ")) +
                    " do not match " + SchemaPathsText(config) +
                    " (`retort revision --autogenerate` writes what they lack)",
                "-- what the migrations lack: this SQL turns their head into " +
                    SchemaPathsText(config) + "\n" + Unplannable(sql) + sql.upgrade);
}

// ---- JUnit

std::string XmlEscape(const std::string& text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&apos;";
        break;
      default:
        // XML 1.0 allows no control characters but tab, newline and carriage return.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          escaped += '?';
        } else {
          escaped += c;
        }
    }
  }
  return escaped;
}

}  // namespace

int TestReport::Count(TestCheck::Outcome outcome) const {
  return static_cast<int>(std::count_if(checks.begin(), checks.end(),
                                        [outcome](const auto& c) { return c.outcome == outcome; }));
}

Result<TestReport> TestMigrations(const config::Config& config, const TestOptions& options,
                                  const Io& io) {
  auto started = Clock::now();
  if (!options.junit_path.empty()) {
    std::string directory = DirName(AbsolutePath(options.junit_path));
    if (!IsDirectory(directory)) {
      return Status::InvalidInput("--junit " + options.junit_path + ": directory " + directory +
                                  " does not exist");
    }
  }
  TestReport report;
  auto finish = [&]() -> Result<TestReport> {
    report.elapsed_ms = MillisecondsSince(started);
    if (!options.junit_path.empty()) {
      RETORT_RETURN_IF_ERROR(WriteFile(options.junit_path, TestReportJunit(report)));
    }
    return std::move(report);
  };

  auto loaded = LoadProject(config);
  if (!loaded.ok()) {
    if (loaded.status().code() != Code::kInvalidInput) return loaded.status();
    // A directory retort cannot read is what this command exists to catch: a failed check
    // (exit 1) that CI reports, not bad input.
    report.checks.push_back(Failed("files", "migration files", {},
                                   FirstLine(loaded.status().message()),
                                   loaded.status().message()));
    return finish();
  }
  const Project& project = **loaded;
  // An imported revision still waiting for its SQL is not a failing check but unfinished input:
  // every one is named before any database is made.
  std::vector<std::string> unconverted;
  for (const migrations::Migration& migration : project.migrations) {
    if (migration.needs_manual_conversion.empty()) continue;
    unconverted.push_back(migration.path + ":" +
                          std::to_string(migration.needs_manual_conversion_line) + ": revision " +
                          migration.id + " needs manual conversion (" +
                          migration.needs_manual_conversion + ")");
  }
  if (!unconverted.empty()) {
    return Status::InvalidInput(
        Join(unconverted, "\n") +
        "\nwrite their SQL and remove the '-- retort:needs-manual-conversion' lines; nothing was "
        "run");
  }
  RETORT_ASSIGN_OR_RETURN(auto fixtures, FindFixtures(config));
  report.checks = GraphChecks(project, fixtures);
  RETORT_ASSIGN_OR_RETURN(std::string dev_conninfo, DevServer(config));

  // Three scratch databases at once: each is mostly the server running DDL, and the dev server
  // has more than one core.
  std::string no_schema = NoDesiredSchemaReason(config);
  bool with_schema = no_schema.empty();
  std::ostringstream schema_log;
  std::ostringstream schema_out;
  std::future<Result<schema::Database>> desired;
  if (with_schema) {
    desired = std::async(std::launch::async, [&config, &dev_conninfo, &schema_log, &schema_out] {
      Io schema_io{schema_out, schema_log};
      return DesiredState(config, dev_conninfo, schema_io);
    });
  }
  auto upgrade = std::async(std::launch::async, [&project, &dev_conninfo, &fixtures] {
    UpgradeResult result = UpgradeBaseToHead(project, dev_conninfo, fixtures);
    // While the stairway still runs: the empty database the next run (or a stairway part
    // rebuilt after a failure) takes instead of waiting for CREATE DATABASE.
    (void)devdb::PrepareSpare(dev_conninfo);
    return result;
  });
  std::vector<TestCheck> stairway = RunStairway(project, dev_conninfo, fixtures);
  UpgradeResult upgraded = upgrade.get();
  report.checks.push_back(upgraded.check);
  if (with_schema) {
    auto schema_started = Clock::now();
    Result<schema::Database> desired_state = desired.get();
    TestCheck compared = CompareWithSchema(config, upgraded, desired_state, project.graph.Heads());
    compared.elapsed_ms = MillisecondsSince(schema_started);
    report.checks.push_back(std::move(compared));
  } else {
    report.checks.push_back(
        Skipped("schema", "head matches schema/",
                "no schema files (" + no_schema + "): nothing to compare the head with"));
  }
  for (TestCheck& check : stairway) report.checks.push_back(std::move(check));
  io.log << schema_log.str();
  return finish();
}

std::string TestReportJunit(const TestReport& report, const std::string& suite) {
  std::ostringstream xml;
  xml << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuite name=\"" << XmlEscape(suite) << "\" tests=\"" << report.checks.size()
      << "\" failures=\"" << report.Count(Outcome::kFailed) << "\" errors=\"0\" skipped=\""
      << report.Count(Outcome::kSkipped) << "\" time=\""
      << FixedPoint(report.elapsed_ms / 1000.0, 3) << "\">\n";
  for (const TestCheck& check : report.checks) {
    xml << "  <testcase classname=\"retort." << XmlEscape(check.check) << "\" name=\""
        << XmlEscape(check.name) << "\" time=\"" << FixedPoint(check.elapsed_ms / 1000.0, 3)
        << "\"";
    switch (check.outcome) {
      case Outcome::kPassed:
        xml << "/>\n";
        break;
      case Outcome::kFailed:
        xml << ">\n    <failure message=\"" << XmlEscape(check.message) << "\">"
            << XmlEscape(check.details.empty() ? check.message : check.details)
            << "</failure>\n  </testcase>\n";
        break;
      case Outcome::kSkipped:
        xml << ">\n    <skipped message=\"" << XmlEscape(check.message) << "\"/>\n  </testcase>\n";
        break;
    }
  }
  xml << "</testsuite>\n";
  return xml.str();
}

}  // namespace retort::commands
