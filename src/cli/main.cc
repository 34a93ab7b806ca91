// retort's command line: argv -> a command call; results printed as text or JSON; Status codes
// mapped to exit codes (0 ok, 1 failure while running, 2 bad input, 3 differences found).
#include <CLI/CLI.hpp>

#include <sys/ioctl.h>
#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cassert>
#include <functional>
#include <iostream>
#include <type_traits>

#include "base/files.h"
#include "base/strings.h"
#include "cli/color.h"
#include "cli/command_tree.h"
#include "cli/completion.h"
#include "cli/manpage.h"
#include "cli/output.h"
#include "cli/version.h"
#include "commands/commands.h"
#include "config/config.h"
#include "config/database_url.h"

namespace {

using retort::Code;
using retort::Result;
using retort::Status;
namespace commands = retort::commands;
namespace cli = retort::cli;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitDifferences = 3;

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case Code::kOk:
      return kExitOk;
    case Code::kInvalidInput:
      return kExitBadInput;
    case Code::kFailed:
      return kExitFailed;
    case Code::kDifferences:
      return kExitDifferences;
  }
  return kExitFailed;
}

// Prints a failed status's message, with the URLs `redactor` was given masked, and returns the
// exit code.
int Report(const Status& status, const retort::config::Redactor& redactor) {
  if (status.ok()) return kExitOk;
  std::cerr << "retort: error: " << redactor.Redact(status.message()) << "\n";
  return ExitCodeFor(status);
}

// What a verb's handler runs with once the command line is parsed.
struct Run {
  commands::Io& io;
  cli::Format format;
  // Every URL in play: the ones the handler is given as arguments it adds itself.
  retort::config::Redactor& redactor;
  // Loaded for the verbs that need it (Verb::Stage).
  std::optional<retort::config::Config> loaded_config;

  const retort::config::Config& config() const { return *loaded_config; }
  int Report(const Status& status) const { return ::Report(status, redactor); }
  // A command's report printed by `print`; then, for a report with a verdict (check, drift,
  // lint), the verdict as an error and its exit code. A printer that also writes a file
  // (fleet's --junit) returns its Status, reported first when it failed.
  template <typename T, typename Printer>
  int Print(const Result<T>& report, Printer print) const {
    if (!report.ok()) return Report(report.status());
    if constexpr (std::is_same_v<decltype(print(*report)), Status>) {
      Status printed = print(*report);
      if (!printed.ok()) return Report(printed);
    } else {
      print(*report);
    }
    if constexpr (requires { report->verdict; }) return Report(report->verdict);
    return kExitOk;
  }
};

// One verb: its CLI11 command and what runs it. Every verb the parser knows has one (a command
// with subcommands has one per leaf).
struct Verb {
  // What has to happen before the handler runs.
  enum class Stage {
    kBare,             // nothing: completion, man pages (no colour, no config)
    kNoConfig,         // stream setup, but no retort.toml: init
    kConfig,           // the project's config
    kConfigIfProject,  // the config, where a project needs none (inspect and diff of URLs)
  };
  CLI::App* command;
  Stage stage;
  std::function<int(Run&)> handler;
};

// Every command a user can name runs something: one without a verb would exit 2 and say
// nothing. Asserted in every debug run of the binary, which the tests run for every command.
[[maybe_unused]] bool EveryCommandHasAVerb(const CLI::App& app, const std::vector<Verb>& verbs) {
  std::vector<const CLI::App*> commands = cli::AllCommands(app);
  return std::all_of(commands.begin(), commands.end(), [&](const CLI::App* command) {
    return !cli::VisibleSubcommands(*command).empty() ||
           std::any_of(verbs.begin(), verbs.end(),
                       [&](const Verb& verb) { return verb.command == command; });
  });
}

// Parses a duration flag such as --lock-wait 30s.
Result<long> DurationMs(const std::string& text) { return retort::config::ParseDurationMs(text); }

// `retort __complete revisions`: one word a line for the completion scripts: the symbolic
// targets, then every revision id and branch label (label@head, label@base) the migration
// headers name. Silent, and exit 0, outside a project or on any error: a completion must not
// print into the user's command line.
int CompleteWords(const std::string& what, const std::optional<std::string>& config_path,
                  const std::optional<std::string>& url) {
  if (what != "revisions") return kExitBadInput;
  for (const char* word : {"head", "heads", "base"}) std::cout << word << "\n";
  auto config =
      retort::config::LoadConfig({config_path, url, false}, retort::config::ProcessEnvironment());
  if (!config.ok()) return kExitOk;
  auto history = commands::History(*config, "", false, false);
  if (!history.ok()) return kExitOk;
  for (const commands::RevisionInfo& info : history->revisions) {
    std::cout << info.id << "\n";
    for (const std::string& label : info.branch_labels) {
      std::cout << label << "@head\n" << label << "@base\n";
    }
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
#if defined(__GLIBC__)
  // Two malloc arenas, not eight per core: reading two large catalogs at once (diff URL URL)
  // spreads its allocations over four threads, and memory freed in one arena is not reused by
  // another. At 10,000 tables peak RSS 222 -> 196-207 MB, time unchanged within noise (one
  // arena: 173-192 MB, but 15% slower from the lock).
  mallopt(M_ARENA_MAX, 2);
  // Blocks of 128 KiB and more always from mmap, and back to the system when freed. glibc
  // raises this threshold to the size of each mapped block freed, after which the catalog-sized
  // vectors (a plan's steps, a chunked result grown by half) come from the heap, whose freed
  // pages stay resident. At 10,000 wide tables: inspect 253 -> 244 MB, diff 242 -> 227 MB.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
  CLI::App app{"retort: versioned schema migrations for PostgreSQL"};
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", cli::VersionLine(RETORT_CLI_VERSION, cli::kBuildCommit));

  std::optional<std::string> config_path;
  std::optional<std::string> url;
  std::string format_name = "text";
  app.add_option("--config,-c", config_path, "path to retort.toml (default ./retort.toml)");
  app.add_option("--url", url,
                 "database URL (overrides RETORT_DATABASE_URL, DATABASE_URL and "
                 "retort.toml)");
  app.add_option("--format", format_name,
                 "output format for data commands (history also: dot, mermaid)")
      ->check(CLI::IsMember({"text", "json", "dot", "mermaid"}));
  // Read from argv before parsing (ColorModeFromArgs), so that parse errors are coloured too;
  // declared here for --help, completion and validation.
  std::string color_name = "auto";
  app.add_option("--color", color_name,
                 "colour errors, warnings and markers: auto (on a terminal, unless NO_COLOR is "
                 "set), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  // Each command's options are declared here and its handler is added to `verbs` right after
  // it; the handlers run after parsing and read the options they capture.
  using Stage = Verb::Stage;
  std::vector<Verb> verbs;

  // init
  std::string init_directory = ".";
  CLI::App* init = app.add_subcommand("init", "create retort.toml, migrations/ and schema/");
  init->add_option("directory", init_directory, "where to create the project");
  verbs.push_back({init, Stage::kNoConfig,
                   [&](Run& run) { return run.Report(commands::Init(init_directory, run.io)); }});

  // revision
  commands::RevisionOptions revision_options;
  std::string head_spec;
  bool no_transaction = false;
  CLI::App* revision = app.add_subcommand("revision", "create a new migration file");
  revision->add_option("-m,--message", revision_options.message, "what the revision does")
      ->required();
  revision->add_option("--rev-id", revision_options.rev_id, "use this id instead of a random one");
  revision->add_option("--head", head_spec,
                       "revision the new one revises (default: the single head; base for a "
                       "new root)");
  revision->add_flag("--splice", revision_options.splice,
                     "allow --head to name a revision that is not a head");
  revision->add_option("--branch-label", revision_options.branch_labels, "label for a branch");
  revision->add_option("--depends-on", revision_options.depends_on,
                       "revisions this one depends on (across branches)");
  revision->add_flag("--no-transaction", no_transaction,
                     "mark the file `-- retort:transaction none`");
  bool autogenerate = false;
  commands::AutogenerateOptions autogenerate_options;
  revision->add_flag("--autogenerate", autogenerate,
                     "fill the revision with the SQL that turns the head into the desired "
                     "schema: schema/, or [schema] program / sqlalchemy (your models)");
  revision->add_flag("--from-db", autogenerate_options.from_db,
                     "with --autogenerate: start from the configured database instead of "
                     "replaying the migrations");
  revision->add_flag("--empty", autogenerate_options.empty,
                     "with --autogenerate: write the revision even when nothing changed");
  revision->add_option("--using", autogenerate_options.using_exprs,
                       "with --autogenerate: schema.table.column=EXPRESSION, how to convert a "
                       "column whose type changes without a cast (repeatable)");
  revision->add_option("--downgrade-using", autogenerate_options.downgrade_using_exprs,
                       "with --autogenerate: the same for the downgrade's conversion back");
  revision->add_option("--rename", autogenerate_options.renames,
                       "with --autogenerate: schema.table.column=NEW_NAME or "
                       "schema.table=NEW_NAME, a rename instead of a drop and an add "
                       "(repeatable)");
  revision->add_flag("--plain", autogenerate_options.plain,
                     "with --autogenerate: the simple form (plain CREATE INDEX, SET NOT NULL, "
                     "ADD COLUMN ... DEFAULT) instead of the online plan for existing tables");
  verbs.push_back({revision, Stage::kConfig, [&](Run& run) {
                     if (!head_spec.empty()) revision_options.head = head_spec;
                     revision_options.transactional = !no_transaction;
                     if (autogenerate) {
                       return run.Report(
                           commands::AutogenerateRevision(run.config(), revision_options,
                                                          autogenerate_options, run.io)
                               .status());
                     }
                     if (autogenerate_options.from_db || autogenerate_options.empty ||
                         autogenerate_options.plain || !autogenerate_options.using_exprs.empty() ||
                         !autogenerate_options.downgrade_using_exprs.empty() ||
                         !autogenerate_options.renames.empty()) {
                       return run.Report(Status::InvalidInput(
                           "--from-db, --empty, --plain, --using, --downgrade-using and --rename "
                           "need --autogenerate"));
                     }
                     return run.Report(
                         commands::CreateRevision(run.config(), revision_options, run.io).status());
                   }});

  // merge
  commands::MergeOptions merge_options;
  CLI::App* merge = app.add_subcommand("merge", "create a revision that merges several heads");
  merge->add_option("-m,--message", merge_options.message, "message");
  merge->add_option("revisions", merge_options.revisions, "revisions to merge (default: heads)");
  merge->add_option("--rev-id", merge_options.rev_id, "use this id instead of a random one");
  merge->add_option("--branch-label", merge_options.branch_labels, "label for the merge");
  verbs.push_back({merge, Stage::kConfig, [&](Run& run) {
                     return run.Report(
                         commands::Merge(run.config(), merge_options, run.io).status());
                   }});

  // upgrade / downgrade (--lock-wait is read once the config is loaded, for stamp too)
  commands::MigrateOptions upgrade_options;
  commands::MigrateOptions downgrade_options;
  std::string lock_wait = "60s";
  upgrade_options.target = "head";
  CLI::App* upgrade = app.add_subcommand("upgrade", "apply migrations up to TARGET (default head)");
  upgrade->add_option("target", upgrade_options.target,
                      "head, heads, REV, +N, label@head, REV@+N; FROM:TO with --sql");
  upgrade->add_flag("--sql", upgrade_options.sql, "print the SQL script instead of running it");
  upgrade->add_option("--lock-wait", lock_wait,
                      "how long to wait for another migrator (default 60s)");
  CLI::App* downgrade = app.add_subcommand("downgrade", "revert migrations down to TARGET");
  downgrade
      ->add_option("target", downgrade_options.target,
                   "base, REV, -N, label@base; FROM:TO "
                   "with --sql")
      ->required();
  downgrade->add_flag("--sql", downgrade_options.sql, "print the SQL script instead of running it");
  downgrade->add_option("--lock-wait", lock_wait, "how long to wait for another migrator");
  for (auto [command, options] :
       {std::pair{upgrade, &upgrade_options}, std::pair{downgrade, &downgrade_options}}) {
    command->add_flag("--no-backup", options->no_backup,
                      "do not copy data that DROP/TRUNCATE/DELETE destroy into the backup "
                      "schema first");
  }
  verbs.push_back({upgrade, Stage::kConfig, [&](Run& run) {
                     return run.Report(commands::Upgrade(run.config(), upgrade_options, run.io));
                   }});
  verbs.push_back({downgrade, Stage::kConfig, [&](Run& run) {
                     return run.Report(
                         commands::Downgrade(run.config(), downgrade_options, run.io));
                   }});

  // backups
  CLI::App* backups = app.add_subcommand("backups",
                                         "list, restore and prune the backups taken "
                                         "before migrations destroyed data");
  backups->require_subcommand(1);
  CLI::App* backups_list = backups->add_subcommand("list", "list the backups, newest first");
  verbs.push_back({backups_list, Stage::kConfig, [&](Run& run) {
                     return run.Print(commands::ListBackups(run.config()), [&](const auto& list) {
                       cli::PrintBackups(list, run.format, run.io.out);
                     });
                   }});
  long long restore_id = 0;
  CLI::App* backups_restore =
      backups->add_subcommand("restore", "put a backup's data back (see `backups list`)");
  backups_restore->add_option("id", restore_id, "the backup's id")->required();
  verbs.push_back({backups_restore, Stage::kConfig, [&](Run& run) {
                     return run.Print(commands::RestoreBackup(run.config(), restore_id),
                                      [&](const commands::RestoreReport& restored) {
                                        cli::PrintRestore(restored, run.format, run.io.out);
                                      });
                   }});
  std::string older_than;
  CLI::App* backups_prune = backups->add_subcommand("prune", "drop old backups");
  backups_prune
      ->add_option("--older-than", older_than, "age, as a PostgreSQL interval: 30d, 12h, '2 weeks'")
      ->required();
  verbs.push_back({backups_prune, Stage::kConfig, [&](Run& run) {
                     return run.Print(commands::PruneBackups(run.config(), older_than),
                                      [&](const auto& pruned) {
                                        if (run.format == cli::Format::kJson) {
                                          cli::PrintBackups(pruned, run.format, run.io.out);
                                        } else {
                                          run.io.out << "pruned " << pruned.size() << " backup"
                                                     << (pruned.size() == 1 ? "" : "s")
                                                     << " older than " << older_than << "\n";
                                        }
                                      });
                   }});

  // stamp
  commands::StampOptions stamp_options;
  CLI::App* stamp = app.add_subcommand("stamp", "set the version table without running migrations");
  stamp->add_option("revisions", stamp_options.revisions, "revisions (head, heads, base, REV)");
  stamp->add_flag("--purge", stamp_options.purge, "delete every version row first");
  stamp->add_flag("--sql", stamp_options.sql, "print the SQL instead of running it");
  stamp->add_option("--lock-wait", lock_wait, "how long to wait for another migrator");
  bool update_checksums = false;
  stamp->add_flag("--update-checksums", update_checksums,
                  "accept the current files of applied migrations that were edited");
  verbs.push_back(
      {stamp, Stage::kConfig, [&](Run& run) {
         if (update_checksums) {
           if (!stamp_options.revisions.empty()) {
             return run.Report(Status::InvalidInput("stamp --update-checksums takes no revisions"));
           }
           return run.Report(
               commands::UpdateChecksums(run.config(), stamp_options.lock_wait_ms, run.io));
         }
         if (stamp_options.revisions.empty()) {
           return run.Report(
               Status::InvalidInput("stamp needs a revision (head, heads, base, REV)"));
         }
         return run.Report(commands::Stamp(run.config(), stamp_options, run.io));
       }});

  // fleet: the verbs over every target of a [[targets]] group
  commands::FleetOptions fleet_options;
  std::string fleet_junit;
  CLI::App* fleet = app.add_subcommand(
      "fleet", "upgrade, downgrade, status, drift and check over a [[targets]] group");
  fleet->require_subcommand(1);
  CLI::App* fleet_upgrade = fleet->add_subcommand(
      "upgrade", "upgrade every target of GROUP: canaries first, then WIDTH at a time");
  CLI::App* fleet_downgrade =
      fleet->add_subcommand("downgrade", "downgrade every target of GROUP to TARGET");
  CLI::App* fleet_status = fleet->add_subcommand(
      "status", "each target's revision, pending migrations, drift and last error");
  CLI::App* fleet_drift = fleet->add_subcommand(
      "drift", "compare each target with what its version rows should contain");
  CLI::App* fleet_check =
      fleet->add_subcommand("check", "exit 3 unless every target is at the heads without drift");
  fleet_options.migrate.target = "head";
  for (CLI::App* command :
       {fleet_upgrade, fleet_downgrade, fleet_status, fleet_drift, fleet_check}) {
    command->add_option("group", fleet_options.group, "the [[targets]] group's name")->required();
    command->add_option("--width", fleet_options.width, "targets at once (default: the group's)")
        ->check(CLI::PositiveNumber);
    command->add_option("--junit", fleet_junit, "also write one JUnit testcase per target");
  }
  // Absolute destinations only: re-running the command resumes the rollout.
  fleet_upgrade->add_option("target", fleet_options.migrate.target,
                            "head, heads, REV, label@head (default head)");
  fleet_downgrade->add_option("target", fleet_options.migrate.target, "base, REV, label@base")
      ->required();
  for (CLI::App* command : {fleet_upgrade, fleet_downgrade}) {
    command->add_flag("--dry-run", fleet_options.dry_run,
                      "only read each target and list what it would run");
    command
        ->add_option("--canary", fleet_options.canary,
                     "targets that go first, alone (default: the group's)")
        ->check(CLI::NonNegativeNumber);
    command
        ->add_option("--max-failures", fleet_options.max_failures,
                     "no new target starts after this many failed (default: the group's)")
        ->check(CLI::PositiveNumber);
    command->add_option("--lock-wait", lock_wait, "how long to wait for another migrator");
    command->add_flag("--no-backup", fleet_options.migrate.no_backup,
                      "do not copy data that DROP/TRUNCATE/DELETE destroy first");
  }
  // A report, its JUnit file (when asked for) and then its verdict.
  auto fleet_report = [&](Run& run, const auto& report, auto print) {
    return run.Print(report, [&](const auto& printed) {
      print(printed);
      if (fleet_junit.empty()) return Status::Ok();
      return retort::WriteFile(fleet_junit, commands::FleetJunit(printed));
    });
  };
  for (auto [command, upgrading] :
       {std::pair{fleet_upgrade, true}, std::pair{fleet_downgrade, false}}) {
    verbs.push_back({command, Stage::kConfig, [&, upgrading = upgrading](Run& run) {
                       return fleet_report(
                           run,
                           commands::FleetMigrate(run.config(), fleet_options, upgrading, run.io),
                           [&](const commands::FleetRunReport& report) {
                             cli::PrintFleetRun(report, run.format, run.io.out);
                           });
                     }});
  }
  verbs.push_back({fleet_status, Stage::kConfig, [&](Run& run) {
                     return fleet_report(run, commands::FleetStatus(run.config(), fleet_options),
                                         [&](const commands::FleetStatusReport& report) {
                                           cli::PrintFleetStatus(report, run.format, run.io.out);
                                         });
                   }});
  for (auto [command, require_heads] :
       {std::pair{fleet_drift, false}, std::pair{fleet_check, true}}) {
    verbs.push_back({command, Stage::kConfig, [&, require_heads = require_heads](Run& run) {
                       return fleet_report(
                           run,
                           commands::FleetDrift(run.config(), fleet_options, require_heads, run.io),
                           [&](const commands::FleetDriftReport& report) {
                             cli::PrintFleetDrift(report, run.format, run.io.out);
                           });
                     }});
  }

  // validate / hash
  CLI::App* validate = app.add_subcommand(
      "validate", "check migrations/retort.sum and that applied migrations match their files");
  verbs.push_back({validate, Stage::kConfig, [&](Run& run) {
                     auto report = commands::Validate(run.config());
                     if (!report.ok()) return run.Report(report.status());
                     cli::PrintValidate(*report, run.format, run.io.out);
                     return report->ok() ? kExitOk : kExitDifferences;
                   }});
  CLI::App* hash = app.add_subcommand("hash", "rewrite migrations/retort.sum");
  verbs.push_back({hash, Stage::kConfig,
                   [&](Run& run) { return run.Report(commands::Hash(run.config(), run.io)); }});

  // import alembic
  commands::ImportAlembicOptions import_options;
  CLI::App* import_command =
      app.add_subcommand("import", "convert another tool's migration history into retort's");
  import_command->require_subcommand(1);
  CLI::App* import_alembic = import_command->add_subcommand(
      "alembic",
      "convert an Alembic history (run in a retort project): one migration per revision with "
      "the same ids and graph, SQL from Alembic's offline mode; sets version_table = "
      "\"alembic_version\" so databases Alembic upgraded carry on. Revisions that cannot be "
      "rendered offline (data migrations) are marked '-- retort:needs-manual-conversion' and "
      "listed (exit 2). See docs/switching-from-alembic.md");
  // `--config` here is alembic.ini, as in Alembic's own commands; retort.toml is given before
  // the command (`retort --config retort.toml import alembic`).
  import_alembic->add_option("--config,--alembic-config", import_options.alembic_config,
                             "Alembic's ini file (default alembic.ini)");
  import_alembic->add_option("--name", import_options.ini_section,
                             "section of the ini file (default alembic)");
  import_alembic->add_option("--python", import_options.python,
                             "the interpreter that has your Alembic, SQLAlchemy and models "
                             "(default python3)");
  import_alembic->add_flag("--force", import_options.force,
                           "replace the files of revisions imported before");
  verbs.push_back({import_alembic, Stage::kConfig, [&](Run& run) {
                     return run.Report(
                         commands::ImportAlembic(run.config(), import_options, run.io));
                   }});

  // data commands
  bool verbose = false;
  CLI::App* current = app.add_subcommand("current", "show the database's current revision(s)");
  current->add_flag("-v,--verbose", verbose, "details and the last applied steps");
  verbs.push_back({current, Stage::kConfig, [&](Run& run) {
                     return run.Print(commands::Current(run.config(), verbose),
                                      [&](const commands::CurrentReport& report) {
                                        cli::PrintCurrent(report, verbose, run.format, run.io.out);
                                      });
                   }});
  std::string range;
  bool indicate_current = false;
  CLI::App* history = app.add_subcommand("history", "list revisions, newest first");
  history->add_option("-r,--rev-range", range, "A:B, A:, :B (current allowed)");
  history->add_flag("-v,--verbose", verbose, "details of each revision");
  history->add_flag("-i,--indicate-current", indicate_current, "mark the database's revisions");
  bool graph = false;
  history->add_flag("--graph", graph, "draw the revision graph (lanes, like git log --graph)");
  verbs.push_back({history, Stage::kConfig, [&](Run& run) {
                     return run.Print(
                         commands::History(run.config(), range, indicate_current, verbose),
                         [&](const commands::HistoryReport& report) {
                           if (graph || format_name == "dot" || format_name == "mermaid") {
                             auto drawing_format =
                                 format_name == "dot"       ? commands::GraphFormat::kDot
                                 : format_name == "mermaid" ? commands::GraphFormat::kMermaid
                                                            : commands::GraphFormat::kText;
                             run.io.out << commands::DrawHistory(report, drawing_format);
                           } else {
                             cli::PrintHistory(report, verbose, run.format, run.io.out);
                           }
                         });
                   }});
  CLI::App* heads = app.add_subcommand("heads", "list the heads of the graph");
  heads->add_flag("-v,--verbose", verbose, "details of each head");
  verbs.push_back({heads, Stage::kConfig, [&](Run& run) {
                     return run.Print(commands::Heads(run.config(), verbose),
                                      [&](const std::vector<commands::RevisionInfo>& report) {
                                        cli::PrintHeads(report, verbose, run.format, run.io.out);
                                      });
                   }});
  CLI::App* branches = app.add_subcommand("branches", "list branch points");
  verbs.push_back({branches, Stage::kConfig, [&](Run& run) {
                     return run.Print(commands::Branches(run.config()), [&](const auto& report) {
                       cli::PrintBranches(report, run.format, run.io.out);
                     });
                   }});
  std::string show_spec;
  CLI::App* show = app.add_subcommand("show", "show one revision");
  show->add_option("revision", show_spec, "revision id, prefix, head, label@head")->required();
  verbs.push_back({show, Stage::kConfig, [&](Run& run) {
                     return run.Print(commands::Show(run.config(), show_spec),
                                      [&](const commands::ShowReport& report) {
                                        cli::PrintShow(report, run.format, run.io.out);
                                      });
                   }});

  // dev
  std::string dev_action = "status";
  CLI::App* dev = app.add_subcommand("dev",
                                     "manage the embedded PostgreSQL (start, stop, status, url, "
                                     "destroy) and the dev server's caches (prune)");
  dev->add_option("action", dev_action, "start, stop, status, url, destroy or prune")
      ->check(CLI::IsMember({"start", "stop", "status", "url", "destroy", "prune"}));
  verbs.push_back({dev, Stage::kConfig, [&](Run& run) {
                     return run.Print(commands::Dev(run.config(), dev_action),
                                      [&](const commands::DevReport& report) {
                                        if (dev_action == "url") {
                                          run.io.out << report.conninfo << "\n";
                                        } else {
                                          cli::PrintDev(report, run.format, run.io.out);
                                        }
                                      });
                   }});

  // inspect / diff / check (the engine)
  std::string inspect_source;
  CLI::App* inspect = app.add_subcommand(
      "inspect", "print a schema as SQL: the database (default), a URL, schema, head or REV");
  inspect->add_option("source", inspect_source,
                      "postgresql://... URL or conninfo, schema, head, base or a revision");
  verbs.push_back({inspect, Stage::kConfigIfProject, [&](Run& run) {
                     run.redactor.Add(inspect_source);
                     return run.Print(commands::InspectSchema(run.config(), inspect_source, run.io),
                                      [&](const retort::schema::Database& database) {
                                        cli::PrintSchema(database, run.format, run.io.out);
                                      });
                   }});
  commands::DiffOptions diff_options;
  CLI::App* diff = app.add_subcommand("diff", "print the SQL that turns FROM into TO");
  diff->add_option("from", diff_options.from, "URL or conninfo, schema, head, base or a revision")
      ->required();
  diff->add_option("to", diff_options.to, "URL or conninfo, schema, head, base or a revision")
      ->required();
  diff->add_flag("--downgrade", diff_options.with_downgrade,
                 "also print the SQL that turns TO back into FROM");
  diff->add_option("--using", diff_options.using_exprs,
                   "schema.table.column=EXPRESSION: how to convert a column whose type changes "
                   "without a cast (repeatable)");
  diff->add_option("--downgrade-using", diff_options.downgrade_using_exprs,
                   "with --downgrade: the same for the conversion back");
  diff->add_option("--rename", diff_options.renames,
                   "schema.table.column=NEW_NAME or schema.table=NEW_NAME: a rename instead of a "
                   "drop and an add (repeatable)");
  verbs.push_back({diff, Stage::kConfigIfProject, [&](Run& run) {
                     run.redactor.Add(diff_options.from);
                     run.redactor.Add(diff_options.to);
                     diff_options.json = run.format == cli::Format::kJson;
                     return run.Print(commands::Diff(run.config(), diff_options, run.io),
                                      [&](const commands::DiffReport& report) {
                                        cli::PrintDiff(report, run.format, run.io.out, run.io.log);
                                      });
                   }});
  CLI::App* check = app.add_subcommand(
      "check",
      "compare the desired schema (schema/, [schema] program or sqlalchemy) with the "
      "migrations at head (exit 3 when they differ)");
  verbs.push_back({check, Stage::kConfig, [&](Run& run) {
                     return run.Print(commands::Check(run.config(), run.io),
                                      [&](const commands::CheckReport& report) {
                                        cli::PrintCheck(report, run.format, run.io.out, run.io.log);
                                      });
                   }});

  // test / drift (verification)
  commands::TestOptions test_options;
  CLI::App* test = app.add_subcommand(
      "test",
      "prove the migrations sound on scratch databases: one head, upgrade, head vs schema/, "
      "stairway up-down-up (exit 1 when a check fails)");
  test->add_option("--junit", test_options.junit_path, "also write the results as JUnit XML");
  verbs.push_back({test, Stage::kConfig, [&](Run& run) {
                     auto report = commands::TestMigrations(run.config(), test_options, run.io);
                     if (!report.ok()) return run.Report(report.status());
                     cli::PrintTestReport(*report, run.format, run.io.out);
                     return report->ok() ? kExitOk : kExitFailed;
                   }});
  CLI::App* drift = app.add_subcommand(
      "drift", "print the changes made to the database outside the migrations (exit 3)");
  verbs.push_back({drift, Stage::kConfig, [&](Run& run) {
                     return run.Print(commands::Drift(run.config(), run.io),
                                      [&](const commands::DriftReport& report) {
                                        cli::PrintDrift(report, run.format, run.io.out);
                                      });
                   }});

  // lint
  commands::LintOptions lint_options;
  CLI::App* lint = app.add_subcommand(
      "lint", "find hazards in migrations: locks, rewrites, data loss (exit 3 on errors)");
  lint->add_option("targets", lint_options.targets,
                   "REV, heads, A:B or SQL files (default: the migrations the database has not "
                   "applied; all of them without a database)");
  lint->add_flag("--all", lint_options.all, "lint every migration");
  lint->add_flag("--offline", lint_options.offline,
                 "do not connect to the database (no grading by table size)");
  lint->add_flag("--probe", lint_options.probe,
                 "run one revision on a scratch copy of the schema and report the locks each "
                 "statement takes and the tables it rewrites");
  lint->add_flag("--rules", lint_options.list_rules, "list the rules");
  verbs.push_back({lint, Stage::kConfig, [&](Run& run) {
                     return run.Print(commands::Lint(run.config(), lint_options, run.io),
                                      [&](const commands::LintReport& report) {
                                        cli::PrintLint(report, run.format, run.io.out);
                                      });
                   }});

  // completion / man: generated from the definitions above.
  std::string shell_name;
  CLI::App* completion =
      app.add_subcommand("completion", "print the shell completion script for bash, zsh or fish");
  completion->add_option("shell", shell_name, "the shell")
      ->required()
      ->check(CLI::IsMember(cli::ShellNames()));
  verbs.push_back({completion, Stage::kBare, [&](Run& run) {
                     run.io.out << cli::CompletionScript(app, *cli::ParseShell(shell_name));
                     return kExitOk;
                   }});
  std::string man_directory;
  CLI::App* man = app.add_subcommand(
      "man", "write the manual pages (retort.1, retort-VERB.1, retort.toml.5) into DIR");
  man->add_option("directory", man_directory, "where to write them")->required();
  man->group("");  // for packagers; hidden from the main help
  verbs.push_back({man, Stage::kBare, [&](Run& run) {
                     return run.Print(cli::WriteManPages(app, RETORT_CLI_VERSION, man_directory),
                                      [&](const auto& written) {
                                        run.io.out << "wrote " << written.size()
                                                   << " manual pages into " << man_directory
                                                   << "\n";
                                      });
                   }});
  // Hidden: what the completion scripts call for revision arguments. Reads migration headers
  // only: no database, no output at all when there is no project.
  std::string complete_what;
  CLI::App* complete = app.add_subcommand("__complete", "words for the completion scripts");
  complete->add_option("what", complete_what, "revisions")->required();
  complete->group("");
  verbs.push_back({complete, Stage::kBare,
                   [&](Run&) { return CompleteWords(complete_what, config_path, url); }});
  cli::AddHelpFooters(app);
  assert(EveryCommandHasAVerb(app, verbs));

  std::vector<std::string> args(argv + 1, argv + argc);
  auto env = retort::config::ProcessEnvironment();
  cli::ColorMode color_mode = cli::ColorModeFromArgs(args);
  // Colour is decided per stream. The restorer, declared after the buffers, flushes them and
  // puts the streams' own buffers back before they go away, whichever return is taken.
  std::optional<cli::ColoringBuffer> stderr_colors;
  std::optional<cli::ColoringBuffer> stdout_colors;
  struct StreamRestorer {
    std::streambuf* out = std::cout.rdbuf();
    std::streambuf* err = std::cerr.rdbuf();
    ~StreamRestorer() {
      std::cout.flush();
      std::cerr.flush();
      std::cout.rdbuf(out);
      std::cerr.rdbuf(err);
    }
  } restore_streams;
  if (cli::UseColor(color_mode, isatty(STDERR_FILENO), env)) {
    stderr_colors.emplace(std::cerr.rdbuf(), cli::ColorRules::kDiagnostics);
    std::cerr.rdbuf(&*stderr_colors);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (args.empty()) {  // plain `retort`: what there is to run
      std::cerr << app.help();
      return kExitBadInput;
    }
    // A mistyped verb or flag gets a suggestion instead of CLI11's "A subcommand is required".
    std::optional<std::string> explained = cli::ExplainParseError(app, args);
    std::cerr << "retort: error: " << (explained ? *explained : std::string(e.what())) << "\n";
    if (!explained) std::cerr << "Run with --help for more information.\n";
    return kExitBadInput;
  }

  // The parser requires one command, and one subcommand where a command has them: exactly one
  // verb is parsed.
  auto verb = std::find_if(verbs.begin(), verbs.end(),
                           [](const Verb& entry) { return entry.command->parsed(); });
  if (verb == verbs.end()) return kExitBadInput;
  cli::Format format = format_name == "json" ? cli::Format::kJson : cli::Format::kText;
  retort::config::Redactor redactor;
  commands::Io io{std::cout, std::cerr};
  cli::RedrawnLine redrawn_line(std::cerr);
  io.live_line = &redrawn_line;
  bool stderr_is_terminal = isatty(STDERR_FILENO) == 1;
  winsize terminal{};
  unsigned columns =
      stderr_is_terminal && ioctl(STDERR_FILENO, TIOCGWINSZ, &terminal) == 0 ? terminal.ws_col : 0;
  io.display = cli::DescribeLog(stderr_is_terminal, columns, env);
  io.migrated = [](const commands::MigrationRun& migration) {
    std::cerr << cli::MigrationLine(migration) << std::flush;
  };
  Run run{io, format, redactor, std::nullopt};
  if (verb->stage == Stage::kBare) return verb->handler(run);

  // Markers on stdout when it is text for a person: not --format json (or any other data
  // format), and not the completion script or man pages handled above.
  if (format_name == "text" && cli::UseColor(color_mode, isatty(STDOUT_FILENO), env)) {
    stdout_colors.emplace(std::cout.rdbuf(), cli::ColorRules::kMarkers);
    std::cout.rdbuf(&*stdout_colors);
  }
  // Questions need someone to read them and answer: both stdin and stderr are a terminal.
  if (isatty(STDIN_FILENO) && isatty(STDERR_FILENO)) {
    io.confirm = [](const std::string& question) {
      std::cerr << question << " " << std::flush;
      std::string answer;
      if (!std::getline(std::cin, answer)) return false;
      answer = retort::ToLower(retort::Trim(answer));
      return answer == "y" || answer == "yes";
    };
  }
  // dot and mermaid draw the revision graph: only history has one to draw.
  bool graph_format = format_name == "dot" || format_name == "mermaid";
  if (graph_format && !history->parsed()) {
    return run.Report(Status::InvalidInput("--format " + format_name + " is for history only"));
  }
  if (graph && format == cli::Format::kJson) {
    return run.Report(Status::InvalidInput("history --graph draws text: not --format json"));
  }
  if ((graph || graph_format) && verbose) {
    return run.Report(
        Status::InvalidInput("a drawn history has one line per revision: no --verbose"));
  }
  // `retort dev` manages the server itself and says what it did.
  if (!dev->parsed()) {
    commands::SetEmbeddedServerStartedNotice(
        [](const std::string& notice) { std::cerr << "retort: " << notice << "\n"; });
  }
  if (verb->stage == Stage::kNoConfig) return verb->handler(run);

  if (url) redactor.Add(*url);
  auto config =
      retort::config::LoadConfig({config_path, url, verb->stage == Stage::kConfigIfProject},
                                 retort::config::ProcessEnvironment());
  if (!config.ok()) return run.Report(config.status());
  redactor.Add(config->database_url);
  redactor.Add(config->dev_url);
  for (const retort::config::TargetGroup& group : config->target_groups) {
    redactor.Add(group.registry_url);
    for (const retort::config::TargetEntry& target : group.urls) redactor.Add(target.url);
  }

  auto wait = DurationMs(lock_wait);
  if (!wait.ok()) return run.Report(wait.status().WithContext("--lock-wait: "));
  upgrade_options.lock_wait_ms = downgrade_options.lock_wait_ms = stamp_options.lock_wait_ms =
      fleet_options.migrate.lock_wait_ms = *wait;
  run.loaded_config = std::move(config).value();
  return verb->handler(run);
}
