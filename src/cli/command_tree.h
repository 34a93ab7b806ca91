// Walks the CLI11 definition main.cc builds, for everything derived from it: help with the global
// options and an example, did-you-mean for a mistyped verb or flag, completion scripts and man
// pages. Deriving them from the parser's own `App` is what keeps them from going stale.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort::cli {

// The subcommands a user sees (hidden ones, in CLI11's empty group, left out), in definition
// order.
std::vector<const CLI::App*> VisibleSubcommands(const CLI::App& app);
// Every visible command below `root`, depth first: upgrade, ..., backups, backups list, ...
std::vector<const CLI::App*> AllCommands(const CLI::App& root);
// "backups list"; "" for the root.
std::string CommandPath(const CLI::App& app);

// The visible flags and options of `app` itself (no positionals), help included.
std::vector<const CLI::Option*> OwnOptions(const CLI::App& app);
// The options of the commands above `app`, which it accepts too (main.cc's fallthrough).
std::vector<const CLI::Option*> InheritedOptions(const CLI::App& app);
std::vector<const CLI::Option*> Positionals(const CLI::App& app);

bool TakesValue(const CLI::Option& option);
// "--sql", or "-m" when an option has only a short name.
std::string PrimaryName(const CLI::Option& option);
// Every spelling: --message, -m.
std::vector<std::string> AllNames(const CLI::Option& option);
// The values a CLI::IsMember check allows ({text,json} in its type name); empty when unchecked.
std::vector<std::string> Choices(const CLI::Option& option);
// Whether the argument is a revision (completed to ids, labels, head, base, ...): positionals
// named target(s), revision(s), from, to or source; revision --head / --depends-on and
// history --rev-range.
bool NamesRevision(const CLI::App& owner, const CLI::Option& option);
// The command that defines `option`: `command` or one above it.
const CLI::App& OwnerOf(const CLI::App& command, const CLI::Option& option);

// One real invocation of the command, shown at the end of its --help and in its man page; ""
// for a command without one (the command-line tests require one for every visible command).
std::string_view ExampleFor(const CLI::App& app);

// Gives every command a help formatter whose text ends with the global options and the
// command's example. Call once, after every command is defined.
void AddHelpFooters(CLI::App& root);

// For argv (without the program name) that CLI11 refused: a plain message for a mistyped verb
// ("unknown command 'upgarde'; did you mean 'upgrade'?") or flag ("unknown option '--sqll' for
// 'upgrade'; did you mean '--sql'?"), or nullopt when the problem is something else.
std::optional<std::string> ExplainParseError(const CLI::App& root,
                                             const std::vector<std::string>& args);

}  // namespace retort::cli
