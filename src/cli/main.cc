// retort's command line: argv -> a command call; results printed as text or JSON; Status codes
// mapped to exit codes (0 ok, 1 failure while running, 2 bad input, 3 differences found).
#include <CLI/CLI.hpp>

#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <iostream>

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

// The URLs in play, so that Report can mask them should one slip into a message verbatim.
std::vector<std::string> g_urls_in_play;

int Report(const Status& status) {
  if (status.ok()) return kExitOk;
  // Messages are written without passwords at their source. As a safety net, any URL we were
  // given that appears verbatim is replaced by its redacted form; other text is left alone
  // ("label@head" is not a password).
  std::string message = status.message();
  std::vector<std::string> forms;
  for (const std::string& url : g_urls_in_play) {
    if (url.empty()) continue;
    forms.push_back(url);
    // What libpq was given, which differs for SQLAlchemy URLs and unencoded passwords.
    auto conninfo = retort::config::ToLibpqConninfo(url);
    if (conninfo.ok() && *conninfo != url) forms.push_back(*conninfo);
  }
  for (const std::string& form : forms) {
    std::string redacted = retort::config::RedactPassword(form);
    for (size_t at = message.find(form); at != std::string::npos;
         at = message.find(form, at + redacted.size())) {
      message.replace(at, form.size(), redacted);
    }
  }
  std::cerr << "retort: error: " << message << "\n";
  return ExitCodeFor(status);
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

  // init
  std::string init_directory = ".";
  CLI::App* init = app.add_subcommand("init", "create retort.toml, migrations/ and schema/");
  init->add_option("directory", init_directory, "where to create the project");

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

  // merge
  commands::MergeOptions merge_options;
  CLI::App* merge = app.add_subcommand("merge", "create a revision that merges several heads");
  merge->add_option("-m,--message", merge_options.message, "message");
  merge->add_option("revisions", merge_options.revisions, "revisions to merge (default: heads)");
  merge->add_option("--rev-id", merge_options.rev_id, "use this id instead of a random one");
  merge->add_option("--branch-label", merge_options.branch_labels, "label for the merge");

  // upgrade / downgrade
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

  // backups
  CLI::App* backups = app.add_subcommand("backups",
                                         "list, restore and prune the backups taken "
                                         "before migrations destroyed data");
  backups->require_subcommand(1);
  CLI::App* backups_list = backups->add_subcommand("list", "list the backups, newest first");
  long long restore_id = 0;
  CLI::App* backups_restore =
      backups->add_subcommand("restore", "put a backup's data back (see `backups list`)");
  backups_restore->add_option("id", restore_id, "the backup's id")->required();
  std::string older_than;
  CLI::App* backups_prune = backups->add_subcommand("prune", "drop old backups");
  backups_prune
      ->add_option("--older-than", older_than, "age, as a PostgreSQL interval: 30d, 12h, '2 weeks'")
      ->required();

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

  // validate / hash
  CLI::App* validate = app.add_subcommand(
      "validate", "check migrations/retort.sum and that applied migrations match their files");
  CLI::App* hash = app.add_subcommand("hash", "rewrite migrations/retort.sum");

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

  // data commands
  bool verbose = false;
  CLI::App* current = app.add_subcommand("current", "show the database's current revision(s)");
  current->add_flag("-v,--verbose", verbose, "details and the last applied steps");
  std::string range;
  bool indicate_current = false;
  CLI::App* history = app.add_subcommand("history", "list revisions, newest first");
  history->add_option("-r,--rev-range", range, "A:B, A:, :B (current allowed)");
  history->add_flag("-v,--verbose", verbose, "details of each revision");
  history->add_flag("-i,--indicate-current", indicate_current, "mark the database's revisions");
  bool graph = false;
  history->add_flag("--graph", graph, "draw the revision graph (lanes, like git log --graph)");
  CLI::App* heads = app.add_subcommand("heads", "list the heads of the graph");
  heads->add_flag("-v,--verbose", verbose, "details of each head");
  CLI::App* branches = app.add_subcommand("branches", "list branch points");
  std::string show_spec;
  CLI::App* show = app.add_subcommand("show", "show one revision");
  show->add_option("revision", show_spec, "revision id, prefix, head, label@head")->required();

  // dev
  std::string dev_action = "status";
  CLI::App* dev = app.add_subcommand("dev",
                                     "manage the embedded PostgreSQL (start, stop, status, url, "
                                     "destroy) and the dev server's caches (prune)");
  dev->add_option("action", dev_action, "start, stop, status, url, destroy or prune")
      ->check(CLI::IsMember({"start", "stop", "status", "url", "destroy", "prune"}));

  // inspect / diff / check (the engine)
  std::string inspect_source;
  CLI::App* inspect = app.add_subcommand(
      "inspect", "print a schema as SQL: the database (default), a URL, schema, head or REV");
  inspect->add_option("source", inspect_source,
                      "postgresql://... URL or conninfo, schema, head, base or a revision");
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
  CLI::App* check = app.add_subcommand(
      "check",
      "compare the desired schema (schema/, [schema] program or sqlalchemy) with the "
      "migrations at head (exit 3 when they differ)");

  // test / drift (verification)
  commands::TestOptions test_options;
  CLI::App* test = app.add_subcommand(
      "test",
      "prove the migrations sound on scratch databases: one head, upgrade, head vs schema/, "
      "stairway up-down-up (exit 1 when a check fails)");
  test->add_option("--junit", test_options.junit_path, "also write the results as JUnit XML");
  CLI::App* drift = app.add_subcommand(
      "drift", "print the changes made to the database outside the migrations (exit 3)");

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

  // completion / man: generated from the definitions above.
  std::string shell_name;
  CLI::App* completion =
      app.add_subcommand("completion", "print the shell completion script for bash, zsh or fish");
  completion->add_option("shell", shell_name, "the shell")
      ->required()
      ->check(CLI::IsMember(cli::ShellNames()));
  std::string man_directory;
  CLI::App* man = app.add_subcommand(
      "man", "write the manual pages (retort.1, retort-VERB.1, retort.toml.5) into DIR");
  man->add_option("directory", man_directory, "where to write them")->required();
  man->group("");  // for packagers; hidden from the main help
  // Hidden: what the completion scripts call for revision arguments. Reads migration headers
  // only: no database, no output at all when there is no project.
  std::string complete_what;
  CLI::App* complete = app.add_subcommand("__complete", "words for the completion scripts");
  complete->add_option("what", complete_what, "revisions")->required();
  complete->group("");
  cli::AddHelpFooters(app);

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

  if (completion->parsed()) {
    std::cout << cli::CompletionScript(app, *cli::ParseShell(shell_name));
    return kExitOk;
  }
  if (man->parsed()) {
    auto written = cli::WriteManPages(app, RETORT_CLI_VERSION, man_directory);
    if (!written.ok()) return Report(written.status());
    std::cout << "wrote " << written->size() << " manual pages into " << man_directory << "\n";
    return kExitOk;
  }
  if (complete->parsed()) return CompleteWords(complete_what, config_path, url);
  // Markers on stdout when it is text for a person: not --format json (or any other data
  // format), and not the completion script or man pages handled above.
  if (format_name == "text" && cli::UseColor(color_mode, isatty(STDOUT_FILENO), env)) {
    stdout_colors.emplace(std::cout.rdbuf(), cli::ColorRules::kMarkers);
    std::cout.rdbuf(&*stdout_colors);
  }

  commands::Io io{std::cout, std::cerr};
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
  cli::Format format = format_name == "json" ? cli::Format::kJson : cli::Format::kText;
  // dot and mermaid draw the revision graph: only history has one to draw.
  bool graph_format = format_name == "dot" || format_name == "mermaid";
  if (graph_format && !history->parsed()) {
    return Report(Status::InvalidInput("--format " + format_name + " is for history only"));
  }
  if (graph && format_name == "json") {
    return Report(Status::InvalidInput("history --graph draws text: not --format json"));
  }
  if ((graph || graph_format) && verbose) {
    return Report(Status::InvalidInput("a drawn history has one line per revision: no --verbose"));
  }
  // `retort dev` manages the server itself and says what it did.
  if (!dev->parsed()) {
    commands::SetEmbeddedServerStartedNotice(
        [](const std::string& notice) { std::cerr << "retort: " << notice << "\n"; });
  }

  if (init->parsed()) return Report(commands::Init(init_directory, io));

  if (url) g_urls_in_play.push_back(*url);
  // Inspecting or diffing database URLs needs no project; the sides that do say so.
  bool project_optional = inspect->parsed() || diff->parsed();
  auto config = retort::config::LoadConfig({config_path, url, project_optional},
                                           retort::config::ProcessEnvironment());
  if (!config.ok()) return Report(config.status());
  g_urls_in_play.push_back(config->database_url);
  g_urls_in_play.push_back(config->dev_url);

  auto wait = DurationMs(lock_wait);
  if (!wait.ok()) return Report(wait.status().WithContext("--lock-wait: "));
  upgrade_options.lock_wait_ms = downgrade_options.lock_wait_ms = stamp_options.lock_wait_ms =
      *wait;

  if (revision->parsed()) {
    if (!head_spec.empty()) revision_options.head = head_spec;
    revision_options.transactional = !no_transaction;
    if (autogenerate) {
      return Report(
          commands::AutogenerateRevision(*config, revision_options, autogenerate_options, io)
              .status());
    }
    if (autogenerate_options.from_db || autogenerate_options.empty || autogenerate_options.plain ||
        !autogenerate_options.using_exprs.empty() ||
        !autogenerate_options.downgrade_using_exprs.empty() ||
        !autogenerate_options.renames.empty()) {
      return Report(Status::InvalidInput(
          "--from-db, --empty, --plain, --using, --downgrade-using and --rename need "
          "--autogenerate"));
    }
    return Report(commands::CreateRevision(*config, revision_options, io).status());
  }
  if (inspect->parsed()) {
    g_urls_in_play.push_back(inspect_source);
    return Report(
        commands::InspectSchema(*config, inspect_source, format == cli::Format::kJson, io));
  }
  if (diff->parsed()) {
    g_urls_in_play.push_back(diff_options.from);
    g_urls_in_play.push_back(diff_options.to);
    diff_options.json = format == cli::Format::kJson;
    return Report(commands::Diff(*config, diff_options, io));
  }
  if (check->parsed()) return Report(commands::Check(*config, format == cli::Format::kJson, io));
  if (test->parsed()) {
    auto report = commands::TestMigrations(*config, test_options, io);
    if (!report.ok()) return Report(report.status());
    cli::PrintTestReport(*report, format, std::cout);
    return report->ok() ? kExitOk : kExitFailed;
  }
  if (drift->parsed()) return Report(commands::Drift(*config, format == cli::Format::kJson, io));
  if (lint->parsed()) {
    lint_options.json = format == cli::Format::kJson;
    return Report(commands::Lint(*config, lint_options, io));
  }
  if (merge->parsed()) return Report(commands::Merge(*config, merge_options, io).status());
  if (upgrade->parsed()) return Report(commands::Upgrade(*config, upgrade_options, io));
  if (backups->parsed()) {
    if (backups_list->parsed()) {
      auto list = commands::ListBackups(*config);
      if (!list.ok()) return Report(list.status());
      cli::PrintBackups(*list, format, std::cout);
      return kExitOk;
    }
    if (backups_restore->parsed()) {
      auto restored = commands::RestoreBackup(*config, restore_id);
      if (!restored.ok()) return Report(restored.status());
      cli::PrintRestore(*restored, format, std::cout);
      return kExitOk;
    }
    if (backups_prune->parsed()) {
      auto pruned = commands::PruneBackups(*config, older_than);
      if (!pruned.ok()) return Report(pruned.status());
      if (format == cli::Format::kJson) {
        cli::PrintBackups(*pruned, format, std::cout);
      } else {
        std::cout << "pruned " << pruned->size() << " backup" << (pruned->size() == 1 ? "" : "s")
                  << " older than " << older_than << "\n";
      }
      return kExitOk;
    }
  }
  if (downgrade->parsed()) return Report(commands::Downgrade(*config, downgrade_options, io));
  if (stamp->parsed()) {
    if (update_checksums) {
      if (!stamp_options.revisions.empty()) {
        return Report(Status::InvalidInput("stamp --update-checksums takes no revisions"));
      }
      return Report(commands::UpdateChecksums(*config, stamp_options.lock_wait_ms, io));
    }
    if (stamp_options.revisions.empty()) {
      return Report(Status::InvalidInput("stamp needs a revision (head, heads, base, REV)"));
    }
    return Report(commands::Stamp(*config, stamp_options, io));
  }
  if (hash->parsed()) return Report(commands::Hash(*config, io));
  if (import_alembic->parsed()) {
    return Report(commands::ImportAlembic(*config, import_options, io));
  }
  if (validate->parsed()) {
    auto report = commands::Validate(*config);
    if (!report.ok()) return Report(report.status());
    cli::PrintValidate(*report, format, std::cout);
    return report->ok() ? kExitOk : kExitDifferences;
  }
  if (current->parsed()) {
    auto report = commands::Current(*config, verbose);
    if (!report.ok()) return Report(report.status());
    cli::PrintCurrent(*report, verbose, format, std::cout);
    return kExitOk;
  }
  if (history->parsed()) {
    auto report = commands::History(*config, range, indicate_current, verbose);
    if (!report.ok()) return Report(report.status());
    if (graph || graph_format) {
      auto drawing_format = format_name == "dot"       ? commands::GraphFormat::kDot
                            : format_name == "mermaid" ? commands::GraphFormat::kMermaid
                                                       : commands::GraphFormat::kText;
      std::cout << commands::DrawHistory(*report, drawing_format);
      return kExitOk;
    }
    cli::PrintHistory(*report, verbose, format, std::cout);
    return kExitOk;
  }
  if (heads->parsed()) {
    auto report = commands::Heads(*config, verbose);
    if (!report.ok()) return Report(report.status());
    cli::PrintHeads(*report, verbose, format, std::cout);
    return kExitOk;
  }
  if (branches->parsed()) {
    auto report = commands::Branches(*config);
    if (!report.ok()) return Report(report.status());
    cli::PrintBranches(*report, format, std::cout);
    return kExitOk;
  }
  if (show->parsed()) {
    auto report = commands::Show(*config, show_spec);
    if (!report.ok()) return Report(report.status());
    cli::PrintShow(*report, format, std::cout);
    return kExitOk;
  }
  if (dev->parsed()) {
    auto report = commands::Dev(*config, dev_action);
    if (!report.ok()) return Report(report.status());
    if (dev_action == "url") {
      std::cout << report->conninfo << "\n";
    } else {
      cli::PrintDev(*report, format, std::cout);
    }
    return kExitOk;
  }
  return kExitBadInput;
}
