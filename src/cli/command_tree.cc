#include "cli/command_tree.h"

#include <algorithm>
#include <map>
#include <memory>

#include "base/strings.h"

namespace retort::cli {

namespace {

// One example per command, by CommandPath. Each must run as written in a project (the one the
// README's walk-through makes), so that it can be pasted.
const std::map<std::string, std::string_view, std::less<>>& Examples() {
  static const std::map<std::string, std::string_view, std::less<>> kExamples = {
      {"init", "retort init myproject"},
      {"revision", "retort revision -m \"add chunks\""},
      {"merge", "retort merge -m \"merge the docs branch\" heads"},
      {"upgrade", "retort upgrade head"},
      {"downgrade", "retort downgrade -1"},
      {"backups", "retort backups list"},
      {"backups list", "retort backups list --format json"},
      {"backups restore", "retort backups restore 3"},
      {"backups prune", "retort backups prune --older-than 30d"},
      {"stamp", "retort stamp head"},
      {"validate", "retort validate"},
      {"hash", "retort hash"},
      {"import", "retort import alembic --config alembic.ini"},
      {"import alembic", "retort import alembic --config alembic.ini --python .venv/bin/python"},
      {"current", "retort current --verbose"},
      {"history", "retort history -r base:head --verbose"},
      {"heads", "retort heads --verbose"},
      {"branches", "retort branches"},
      {"show", "retort show head"},
      {"dev", "retort dev status"},
      {"inspect", "retort inspect head > schema/schema.sql"},
      {"diff", "retort diff head schema"},
      {"check", "retort check --format json"},
      {"test", "retort test --junit retort-junit.xml"},
      {"drift", "retort drift"},
      {"lint", "retort lint --all --offline"},
      {"completion", "source <(retort completion bash)"},
      {"man", "retort man /tmp/retort-man"},
      {"fleet", "retort fleet status tenants"},
      {"fleet upgrade", "retort fleet upgrade tenants head --dry-run"},
      {"fleet downgrade", "retort fleet downgrade tenants 3f2a9c1b7d4e --width 1"},
      {"fleet status", "retort fleet status tenants --format json"},
      {"fleet drift", "retort fleet drift shards --junit fleet-drift.xml"},
      {"fleet check", "retort fleet check shards"},
  };
  return kExamples;
}

bool IsHelpOrVersion(const CLI::App& owner, const CLI::Option* option) {
  return option == owner.get_help_ptr() || option == owner.get_help_all_ptr() ||
         PrimaryName(*option) == "--version";
}

// Retort's help: CLI11's, ending with the options every command takes and an example.
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_footer(const CLI::App* app) const override {
    std::string text;
    if (app->get_parent() != nullptr) {
      std::vector<const CLI::Option*> global = InheritedOptions(*app);
      // make_help puts a blank line before the footer already.
      if (!global.empty()) text += make_group("Global options", false, global).substr(1);
    }
    std::string_view example = ExampleFor(*app);
    if (!example.empty()) text += "\nExample:\n  " + std::string(example) + "\n";
    std::string footer = app->get_footer();
    if (!footer.empty()) text += "\n" + footer + "\n";
    return text;
  }
};

const CLI::Option* FindOption(const std::vector<const CLI::Option*>& options,
                              const std::string& name) {
  for (const CLI::Option* option : options) {
    std::vector<std::string> names = AllNames(*option);
    if (std::find(names.begin(), names.end(), name) != names.end()) return option;
  }
  return nullptr;
}

const CLI::App* FindSubcommand(const CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->check_name(name)) return sub;
  }
  return nullptr;
}

std::string DisplayName(const CLI::App& app) {
  std::string path = CommandPath(app);
  return path.empty() ? "retort" : path;
}

}  // namespace

std::vector<const CLI::App*> VisibleSubcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

std::vector<const CLI::App*> AllCommands(const CLI::App& root) {
  std::vector<const CLI::App*> commands;
  for (const CLI::App* sub : VisibleSubcommands(root)) {
    commands.push_back(sub);
    for (const CLI::App* nested : AllCommands(*sub)) commands.push_back(nested);
  }
  return commands;
}

std::string CommandPath(const CLI::App& app) {
  if (app.get_parent() == nullptr) return "";
  std::string above = CommandPath(*app.get_parent());
  return above.empty() ? app.get_name() : above + " " + app.get_name();
}

std::vector<const CLI::Option*> OwnOptions(const CLI::App& app) {
  return app.get_options([](const CLI::Option* option) {
    return !option->get_group().empty() && option->nonpositional();
  });
}

std::vector<const CLI::Option*> InheritedOptions(const CLI::App& app) {
  // A name the command defines itself shadows the global one (import alembic's --config is
  // alembic.ini): that global option is left out.
  std::vector<const CLI::Option*> closer = OwnOptions(app);
  std::vector<const CLI::Option*> inherited;
  for (const CLI::App* above = app.get_parent(); above != nullptr; above = above->get_parent()) {
    for (const CLI::Option* option : OwnOptions(*above)) {
      if (IsHelpOrVersion(*above, option)) continue;
      bool shadowed = false;
      for (const std::string& name : AllNames(*option)) {
        if (FindOption(closer, name) != nullptr) shadowed = true;
      }
      if (!shadowed) inherited.push_back(option);
    }
    for (const CLI::Option* option : OwnOptions(*above)) closer.push_back(option);
  }
  return inherited;
}

std::vector<const CLI::Option*> Positionals(const CLI::App& app) {
  return app.get_options([](const CLI::Option* option) { return option->get_positional(); });
}

bool TakesValue(const CLI::Option& option) { return option.get_expected_max() > 0; }

std::string PrimaryName(const CLI::Option& option) {
  if (!option.get_lnames().empty()) return "--" + option.get_lnames().front();
  if (!option.get_snames().empty()) return "-" + option.get_snames().front();
  return option.get_name(true);
}

std::vector<std::string> AllNames(const CLI::Option& option) {
  std::vector<std::string> names;
  for (const std::string& name : option.get_lnames()) names.push_back("--" + name);
  for (const std::string& name : option.get_snames()) names.push_back("-" + name);
  return names;
}

std::vector<std::string> Choices(const CLI::Option& option) {
  // CLI::IsMember describes itself as "{a,b,c}" in the option's type name.
  std::string type = option.get_type_name();
  size_t open = type.find('{');
  size_t close = type.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return {};
  return Split(std::string_view(type).substr(open + 1, close - open - 1), ',');
}

const CLI::App& OwnerOf(const CLI::App& command, const CLI::Option& option) {
  for (const CLI::App* app = &command; app != nullptr; app = app->get_parent()) {
    std::vector<const CLI::Option*> options = app->get_options();
    if (std::find(options.begin(), options.end(), &option) != options.end()) return *app;
  }
  return command;
}

bool NamesRevision(const CLI::App& owner, const CLI::Option& option) {
  static const std::vector<std::string> kPositionals = {
      "target", "targets", "revision", "revisions", "from", "to", "source"};
  // (command, option): revision --head, --depends-on; history -r A:B (bash completes each side
  // of the colon on its own).
  static const std::vector<std::pair<std::string, std::string>> kOptions = {
      {"revision", "--head"}, {"revision", "--depends-on"}, {"history", "--rev-range"}};
  if (option.get_positional()) {
    return std::find(kPositionals.begin(), kPositionals.end(), option.get_name(true)) !=
           kPositionals.end();
  }
  return std::find(kOptions.begin(), kOptions.end(),
                   std::pair{owner.get_name(), PrimaryName(option)}) != kOptions.end();
}

std::string_view ExampleFor(const CLI::App& app) {
  auto found = Examples().find(CommandPath(app));
  return found == Examples().end() ? std::string_view() : found->second;
}

void AddHelpFooters(CLI::App& root) {
  static const auto formatter = std::make_shared<HelpFormatter>();
  root.formatter(formatter);
  for (CLI::App* sub : root.get_subcommands([](CLI::App*) { return true; })) AddHelpFooters(*sub);
}

std::optional<std::string> ExplainParseError(const CLI::App& root,
                                             const std::vector<std::string>& args) {
  const CLI::App* command = &root;
  size_t positionals_taken = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") return std::nullopt;
    bool long_option = StartsWith(arg, "--");
    // "-1" is a relative target (downgrade -1), not an option.
    bool short_option =
        !long_option && arg.size() > 1 && arg[0] == '-' && !(arg[1] >= '0' && arg[1] <= '9');
    if (long_option || short_option) {
      std::string name = arg.substr(0, long_option ? arg.find('=') : 2);
      std::vector<const CLI::Option*> known = OwnOptions(*command);
      std::vector<const CLI::Option*> inherited = InheritedOptions(*command);
      known.insert(known.end(), inherited.begin(), inherited.end());
      const CLI::Option* option = FindOption(known, name);
      if (option == nullptr) {
        std::string message = "unknown option '" + name + "'";
        if (command != &root) message += " for '" + DisplayName(*command) + "'";
        std::vector<std::string> names;
        for (const CLI::Option* candidate : known) {
          for (const std::string& spelling : candidate->get_lnames()) {
            names.push_back("--" + spelling);
          }
        }
        if (long_option) {
          if (std::optional<std::string> best = ClosestMatch(name, names)) {
            return message + "; did you mean '" + *best + "'?";
          }
        }
        return message + " (see " + DisplayName(*command) + " --help)";
      }
      bool value_attached = long_option ? arg.find('=') != std::string::npos : arg.size() > 2;
      if (TakesValue(*option) && !value_attached) ++i;
      continue;
    }
    if (const CLI::App* sub = FindSubcommand(*command, arg)) {
      command = sub;
      positionals_taken = 0;
      continue;
    }
    std::vector<const CLI::App*> subs = VisibleSubcommands(*command);
    bool expects_command =
        !subs.empty() && (command->get_require_subcommand_min() > 0 || command == &root);
    if (expects_command && positionals_taken == 0 && Positionals(*command).empty()) {
      std::vector<std::string> names;
      for (const CLI::App* sub : subs) names.push_back(sub->get_name());
      std::string message = "unknown command '" + arg + "'";
      if (command != &root) message += " for '" + DisplayName(*command) + "'";
      if (std::optional<std::string> best = ClosestMatch(arg, names)) {
        return message + "; did you mean '" + *best + "'?";
      }
      return message + " (see " + DisplayName(*command) + " --help)";
    }
    ++positionals_taken;
  }
  return std::nullopt;
}

}  // namespace retort::cli
