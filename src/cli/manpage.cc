#include "cli/manpage.h"

#include <sstream>

#include "base/files.h"
#include "base/strings.h"
#include "cli/command_tree.h"
#include "config/config.h"

namespace retort::cli {

namespace {

// Text safe in roff: backslashes escaped, hyphens as \- (so that options copy and search as
// typed), and a line that would start with '.' or '\'' read as text, not as a request.
std::string Escape(std::string_view text) {
  std::string escaped;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) escaped += "\\&";
    if (c == '\\') {
      escaped += "\\e";
    } else if (c == '-') {
      escaped += "\\-";
    } else {
      escaped += c;
    }
    line_start = c == '\n';
  }
  return escaped;
}

std::string PageName(const CLI::App& command) {
  std::string path = CommandPath(command);
  std::string name = "retort";
  for (const std::string& word : Split(path, ' ')) {
    if (!word.empty()) name += "-" + word;
  }
  return name;
}

std::string Header(const std::string& title, int section, const std::string& version) {
  return ".TH " + ToUpper(title) + " " + std::to_string(section) + " \"\" \"retort " + version +
         "\" \"retort manual\"\n";
}

std::string OptionTerm(const CLI::Option& option) {
  std::vector<std::string> names;
  for (const std::string& name : AllNames(option)) names.push_back("\\fB" + Escape(name) + "\\fR");
  std::string term = Join(names, ", ");
  if (TakesValue(option)) {
    std::vector<std::string> choices = Choices(option);
    std::string value =
        choices.empty()
            ? ToUpper(PrimaryName(option).substr(PrimaryName(option).find_first_not_of('-')))
            : Join(choices, "|");
    term += " \\fI" + Escape(value) + "\\fR";
  }
  return term;
}

void WriteOptions(const std::vector<const CLI::Option*>& options, std::ostream& out) {
  for (const CLI::Option* option : options) {
    out << ".TP\n" << OptionTerm(*option) << "\n" << Escape(option->get_description()) << "\n";
  }
}

std::string Synopsis(const CLI::App& command) {
  std::string path = CommandPath(command);
  std::string text = "\\fBretort\\fR";
  if (!path.empty()) text += " \\fB" + Escape(path) + "\\fR";
  if (!OwnOptions(command).empty() || !InheritedOptions(command).empty()) text += " [options]";
  for (const CLI::Option* positional : Positionals(command)) {
    std::string name = ToUpper(positional->get_name(true));
    bool many = positional->get_expected_max() > 1;
    std::string argument = "\\fI" + Escape(name) + "\\fR" + (many ? "..." : "");
    text += positional->get_required() ? " " + argument : " [" + argument + "]";
  }
  if (!VisibleSubcommands(command).empty()) text += " \\fICOMMAND\\fR";
  return text;
}

const char kExitStatus[] =
    ".SH EXIT STATUS\n"
    ".TP\n0\nSuccess.\n"
    ".TP\n1\nA failure while running: a database error, a lock timeout, a failed check of "
    "\\fBretort test\\fR.\n"
    ".TP\n2\nBad input: the configuration, the migration files or the arguments; nothing was "
    "changed.\n"
    ".TP\n3\nDifferences found (\\fBcheck\\fR, \\fBdrift\\fR, \\fBvalidate\\fR, errors of "
    "\\fBlint\\fR).\n";

const char kEnvironment[] =
    ".SH ENVIRONMENT\n"
    ".TP\n\\fBRETORT_DATABASE_URL\\fR, \\fBDATABASE_URL\\fR\n"
    "The database URL when \\fB\\-\\-url\\fR is not given; both win over retort.toml.\n"
    ".TP\n\\fBPGHOST\\fR, \\fBPGDATABASE\\fR, \\fBPGSERVICE\\fR, \\fBPGPASSWORD\\fR, ...\n"
    "libpq's variables, ~/.pgpass and service files work as they do for psql.\n"
    ".TP\n\\fBNO_COLOR\\fR\n"
    "Set to anything non-empty: no colour, unless \\fB\\-\\-color=always\\fR asks for it. "
    "Colour is also off when the output is not a terminal or \\fBTERM\\fR is dumb.\n";

std::string CommandPage(const CLI::App& command, const std::string& version) {
  std::ostringstream out;
  std::string name = PageName(command);
  out << Header(name, 1, version);
  out << ".SH NAME\n" << Escape(name) << " \\- " << Escape(command.get_description()) << "\n";
  out << ".SH SYNOPSIS\n" << Synopsis(command) << "\n";
  out << ".SH DESCRIPTION\n" << Escape(command.get_description()) << ".\n";
  std::vector<const CLI::App*> subs = VisibleSubcommands(command);
  if (!subs.empty()) {
    out << ".SH COMMANDS\n";
    for (const CLI::App* sub : subs) {
      out << ".TP\n\\fB" << Escape(sub->get_name()) << "\\fR\n"
          << Escape(sub->get_description()) << " (\\fB" << PageName(*sub) << "\\fR(1))\n";
    }
  }
  std::vector<const CLI::Option*> positionals = Positionals(command);
  if (!positionals.empty()) {
    out << ".SH ARGUMENTS\n";
    for (const CLI::Option* positional : positionals) {
      out << ".TP\n\\fI" << Escape(ToUpper(positional->get_name(true))) << "\\fR\n"
          << Escape(positional->get_description()) << "\n";
    }
  }
  std::vector<const CLI::Option*> own = OwnOptions(command);
  if (!own.empty()) {
    out << ".SH OPTIONS\n";
    WriteOptions(own, out);
  }
  std::vector<const CLI::Option*> global = InheritedOptions(command);
  if (!global.empty()) {
    out << ".SH GLOBAL OPTIONS\n";
    WriteOptions(global, out);
  }
  std::string_view example = ExampleFor(command);
  if (!example.empty()) {
    out << ".SH EXAMPLE\n.nf\n.RS\n" << Escape(example) << "\n.RE\n.fi\n";
  }
  if (command.get_parent() == nullptr) out << kEnvironment;
  out << kExitStatus;
  out << ".SH SEE ALSO\n";
  if (command.get_parent() == nullptr) {
    std::vector<std::string> pages;
    for (const CLI::App* sub : AllCommands(command)) {
      pages.push_back("\\fB" + PageName(*sub) + "\\fR(1)");
    }
    pages.push_back("\\fBretort.toml\\fR(5)");
    out << Join(pages, ",\n") << "\n";
  } else {
    out << "\\fB" << PageName(*command.get_parent()) << "\\fR(1), \\fBretort.toml\\fR(5)\n";
  }
  return out.str();
}

std::string ConfigPage(const std::string& version) {
  std::ostringstream out;
  out << Header("retort.toml", 5, version);
  out << ".SH NAME\nretort.toml \\- retort project configuration\n";
  out << ".SH DESCRIPTION\n"
         "\\fBretort\\fR reads \\fIretort.toml\\fR from the current directory (or the file or "
         "directory \\fB\\-\\-config\\fR names). It is TOML; every key is optional, and relative "
         "paths are relative to the directory holding the file. An unknown section or key is an "
         "error (exit 2), not ignored. \\fBretort init\\fR writes one with the defaults and "
         "comments.\n";
  out << ".SH SETTINGS\n";
  std::string section;
  for (const config::KeyDoc& key : config::DocumentedKeys()) {
    if (key.section != section) {
      section = key.section;
      // A fleet group is an array of tables: one [[targets]] section per group.
      out << (section == "targets" ? ".SS [[" : ".SS [") << Escape(section)
          << (section == "targets" ? "]]\n" : "]\n");
    }
    out << ".TP\n\\fB" << Escape(key.key) << "\\fR = "
        << Escape(key.default_value.empty() ? std::string(key.example) : key.default_value) << "\n"
        << Escape(key.description);
    if (key.default_value.empty()) out << " Not set by default.";
    out << "\n";
  }
  out << ".SH EXAMPLE\n.nf\n.RS\n"
      << Escape(
             "[database]\nurl = \"postgresql://app@localhost:5432/app\"\n\n[migrations]\n"
             "lock_timeout = \"5s\"\n\n[schema]\npaths = [\"schema\"]")
      << "\n.RE\n.fi\n";
  out << ".SH SEE ALSO\n\\fBretort\\fR(1), \\fBretort-init\\fR(1)\n";
  return out.str();
}

}  // namespace

std::map<std::string, std::string> ManPages(const CLI::App& root, const std::string& version) {
  std::map<std::string, std::string> pages;
  pages["retort.1"] = CommandPage(root, version);
  for (const CLI::App* command : AllCommands(root)) {
    pages[PageName(*command) + ".1"] = CommandPage(*command, version);
  }
  pages["retort.toml.5"] = ConfigPage(version);
  return pages;
}

Result<std::vector<std::string>> WriteManPages(const CLI::App& root, const std::string& version,
                                               const std::string& directory) {
  RETORT_RETURN_IF_ERROR(MakeDirectories(directory));
  std::vector<std::string> written;
  for (const auto& [name, page] : ManPages(root, version)) {
    RETORT_RETURN_IF_ERROR(WriteFile(JoinPath(directory, name), page));
    written.push_back(name);
  }
  return written;
}

}  // namespace retort::cli
