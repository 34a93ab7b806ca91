// retort's command line: argv -> a command call; results printed as text or JSON; Status codes
// mapped to exit codes (0 ok, 1 failure while running, 2 bad input, 3 differences found).
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/output.h"
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
  for (const std::string& url : g_urls_in_play) {
    if (url.empty()) continue;
    std::string redacted = retort::config::RedactPassword(url);
    for (size_t at = message.find(url); at != std::string::npos;
         at = message.find(url, at + redacted.size())) {
      message.replace(at, url.size(), redacted);
    }
  }
  std::cerr << "retort: error: " << message << "\n";
  return ExitCodeFor(status);
}

// Parses a duration flag such as --lock-wait 30s.
Result<long> DurationMs(const std::string& text) { return retort::config::ParseDurationMs(text); }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"retort: versioned schema migrations for PostgreSQL"};
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", std::string("retort ") + RETORT_CLI_VERSION);

  std::optional<std::string> config_path;
  std::optional<std::string> url;
  std::string format_name = "text";
  app.add_option("--config,-c", config_path, "path to retort.toml (default ./retort.toml)");
  app.add_option("--url", url,
                 "database URL (overrides RETORT_DATABASE_URL, DATABASE_URL and "
                 "retort.toml)");
  app.add_option("--format", format_name, "output format for data commands")
      ->check(CLI::IsMember({"text", "json"}));

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

  // stamp
  commands::StampOptions stamp_options;
  CLI::App* stamp = app.add_subcommand("stamp", "set the version table without running migrations");
  stamp->add_option("revisions", stamp_options.revisions, "revisions (head, heads, base, REV)")
      ->required();
  stamp->add_flag("--purge", stamp_options.purge, "delete every version row first");
  stamp->add_flag("--sql", stamp_options.sql, "print the SQL instead of running it");
  stamp->add_option("--lock-wait", lock_wait, "how long to wait for another migrator");

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
  CLI::App* heads = app.add_subcommand("heads", "list the heads of the graph");
  heads->add_flag("-v,--verbose", verbose, "details of each head");
  CLI::App* branches = app.add_subcommand("branches", "list branch points");
  std::string show_spec;
  CLI::App* show = app.add_subcommand("show", "show one revision");
  show->add_option("revision", show_spec, "revision id, prefix, head, label@head")->required();

  // dev
  std::string dev_action = "status";
  CLI::App* dev = app.add_subcommand("dev",
                                     "manage the embedded PostgreSQL (start, stop, "
                                     "status, url, destroy)");
  dev->add_option("action", dev_action, "start, stop, status, url or destroy")
      ->check(CLI::IsMember({"start", "stop", "status", "url", "destroy"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  }

  commands::Io io{std::cout, std::cerr};
  cli::Format format = format_name == "json" ? cli::Format::kJson : cli::Format::kText;

  if (init->parsed()) return Report(commands::Init(init_directory, io));

  if (url) g_urls_in_play.push_back(*url);
  auto config =
      retort::config::LoadConfig({config_path, url}, retort::config::ProcessEnvironment());
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
    return Report(commands::CreateRevision(*config, revision_options, io).status());
  }
  if (merge->parsed()) return Report(commands::Merge(*config, merge_options, io).status());
  if (upgrade->parsed()) return Report(commands::Upgrade(*config, upgrade_options, io));
  if (downgrade->parsed()) return Report(commands::Downgrade(*config, downgrade_options, io));
  if (stamp->parsed()) return Report(commands::Stamp(*config, stamp_options, io));
  if (current->parsed()) {
    auto report = commands::Current(*config, verbose);
    if (!report.ok()) return Report(report.status());
    cli::PrintCurrent(*report, verbose, format, std::cout);
    return kExitOk;
  }
  if (history->parsed()) {
    auto report = commands::History(*config, range, indicate_current);
    if (!report.ok()) return Report(report.status());
    cli::PrintHistory(*report, verbose, format, std::cout);
    return kExitOk;
  }
  if (heads->parsed()) {
    auto report = commands::Heads(*config);
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
