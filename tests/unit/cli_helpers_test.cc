// The CLI's helpers without a process: typo suggestions, colour decisions and painting, and the
// config key table retort.toml(5) is written from.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "base/strings.h"
#include "cli/color.h"
#include "cli/command_tree.h"
#include "cli/output.h"
#include "config/config.h"

namespace retort {
namespace {

TEST(EditDistance, CountsASwapOfNeighboursAsOneEdit) {
  EXPECT_EQ(EditDistance("upgarde", "upgrade"), 1u);
  EXPECT_EQ(EditDistance("upgrade", "upgrade"), 0u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("sqll", "sql"), 1u);
}

TEST(ClosestMatch, SuggestsOnlyWithinATyposDistance) {
  std::vector<std::string> verbs = {"upgrade", "downgrade", "history", "heads", "list"};
  EXPECT_EQ(ClosestMatch("upgarde", verbs), "upgrade");
  EXPECT_EQ(ClosestMatch("UPGRADE", verbs), "upgrade");
  EXPECT_EQ(ClosestMatch("hist0ry", verbs), "history");
  EXPECT_EQ(ClosestMatch("lsit", verbs), "list");
  // Short words allow one edit only, longer ones two.
  EXPECT_EQ(ClosestMatch("lxxt", verbs), std::nullopt);
  EXPECT_EQ(ClosestMatch("frobnicate", verbs), std::nullopt);
}

// A small command line shaped like retort's: global options, verbs, a verb with sub-verbs.
class ParseErrorTest : public ::testing::Test {
 protected:
  ParseErrorTest() {
    app_.add_option("--config,-c", config_, "config");
    app_.add_option("--format", config_, "format")->check(CLI::IsMember({"text", "json"}));
    CLI::App* upgrade = app_.add_subcommand("upgrade", "upgrade");
    upgrade->add_option("target", target_, "target");
    upgrade->add_flag("--sql", flag_, "sql");
    upgrade->add_option("--lock-wait", target_, "wait");
    CLI::App* downgrade = app_.add_subcommand("downgrade", "downgrade");
    downgrade->add_option("target", target_, "target");
    CLI::App* backups = app_.add_subcommand("backups", "backups");
    backups->require_subcommand(1);
    backups->add_subcommand("list", "list");
    backups->add_subcommand("prune", "prune");
  }

  std::optional<std::string> Explain(const std::vector<std::string>& args) {
    return cli::ExplainParseError(app_, args);
  }

  CLI::App app_{"test"};
  std::string config_;
  std::string target_;
  bool flag_ = false;
};

TEST_F(ParseErrorTest, NamesTheMistypedVerbOrFlagAndItsNearestSpelling) {
  EXPECT_EQ(Explain({"upgarde"}), "unknown command 'upgarde'; did you mean 'upgrade'?");
  EXPECT_EQ(Explain({"--config", "x.toml", "upgarde", "head"}),
            "unknown command 'upgarde'; did you mean 'upgrade'?");
  EXPECT_EQ(Explain({"upgrade", "--sqll"}),
            "unknown option '--sqll' for 'upgrade'; did you mean '--sql'?");
  EXPECT_EQ(Explain({"upgrade", "--lock-wiat=5s"}),
            "unknown option '--lock-wiat' for 'upgrade'; did you mean '--lock-wait'?");
  // A global option is known after the verb too, and suggested there.
  EXPECT_EQ(Explain({"upgrade", "--formt", "json"}),
            "unknown option '--formt' for 'upgrade'; did you mean '--format'?");
  EXPECT_EQ(Explain({"backups", "lst"}),
            "unknown command 'lst' for 'backups'; did you mean 'list'?");
  EXPECT_EQ(Explain({"zzz"}), "unknown command 'zzz' (see retort --help)");
  EXPECT_EQ(Explain({"upgrade", "-q"}), "unknown option '-q' for 'upgrade' (see upgrade --help)");
}

TEST_F(ParseErrorTest, LeavesOtherProblemsToCli11) {
  EXPECT_EQ(Explain({"downgrade", "-1", "extra"}), std::nullopt);          // -1 is a target
  EXPECT_EQ(Explain({"upgrade", "--lock-wait", "--sqll"}), std::nullopt);  // a value
  EXPECT_EQ(Explain({"upgrade", "--", "--sqll"}), std::nullopt);
  EXPECT_EQ(Explain({}), std::nullopt);
}

TEST(HelpFooters, EveryCommandsHelpEndsWithTheGlobalOptionsAndItsExample) {
  CLI::App app{"test"};
  std::string value;
  app.add_option("--url", value, "database URL");
  CLI::App* upgrade = app.add_subcommand("upgrade", "upgrade");
  cli::AddHelpFooters(app);
  std::string help = upgrade->help();
  size_t global = help.find("Global options:\n  --url TEXT");
  size_t example = help.find("Example:\n  retort upgrade head\n");
  EXPECT_NE(global, std::string::npos) << help;
  EXPECT_NE(example, std::string::npos) << help;
  EXPECT_LT(global, example) << help;
  EXPECT_EQ(app.help().find("Global options:"), std::string::npos) << app.help();
}

using Environment = std::map<std::string, std::string>;
std::function<std::optional<std::string>(const std::string&)> Env(Environment env) {
  return [env](const std::string& name) -> std::optional<std::string> {
    auto found = env.find(name);
    if (found == env.end()) return std::nullopt;
    return found->second;
  };
}

TEST(Color, OnATerminalUnlessNoColorOrADumbTerminalAndTheFlagWins) {
  using cli::ColorMode;
  using cli::UseColor;
  EXPECT_TRUE(UseColor(ColorMode::kAuto, true, Env({{"TERM", "xterm"}})));
  EXPECT_FALSE(UseColor(ColorMode::kAuto, false, Env({{"TERM", "xterm"}})));
  EXPECT_FALSE(UseColor(ColorMode::kAuto, true, Env({{"NO_COLOR", "1"}})));
  // no-color.org: set to an empty string, NO_COLOR does not count.
  EXPECT_TRUE(UseColor(ColorMode::kAuto, true, Env({{"NO_COLOR", ""}})));
  EXPECT_FALSE(UseColor(ColorMode::kAuto, true, Env({{"TERM", "dumb"}})));
  EXPECT_TRUE(UseColor(ColorMode::kAlways, false, Env({{"NO_COLOR", "1"}})));
  EXPECT_FALSE(UseColor(ColorMode::kNever, true, Env({})));

  EXPECT_EQ(cli::ColorModeFromArgs({"--color=always", "heads"}), ColorMode::kAlways);
  EXPECT_EQ(cli::ColorModeFromArgs({"heads", "--color", "never"}), ColorMode::kNever);
  EXPECT_EQ(cli::ColorModeFromArgs({"--color=never", "--color=auto"}), ColorMode::kAuto);
  EXPECT_EQ(cli::ColorModeFromArgs({"--", "--color=always"}), ColorMode::kAuto);
  EXPECT_EQ(cli::ColorModeFromArgs({"--color=sometimes"}), ColorMode::kAuto);
}

// The commands never look at the terminal: src/cli tells them what stderr can show.
TEST(DescribeLog, ProgressRedrawsOnATerminalCutToItsWidthAndRetortProgressOverrides) {
  commands::LogDisplay terminal = cli::DescribeLog(true, 80, Env({}));
  EXPECT_TRUE(terminal.is_terminal);
  EXPECT_TRUE(terminal.statement_progress);
  EXPECT_EQ(terminal.width, 79u);  // a full-width line would wrap and \r would miss its start
  EXPECT_EQ(cli::DescribeLog(true, 0, Env({})).width, 0u);  // unknown: the executor's default

  commands::LogDisplay file = cli::DescribeLog(false, 0, Env({}));
  EXPECT_FALSE(file.is_terminal);
  EXPECT_FALSE(file.statement_progress);
  EXPECT_TRUE(cli::DescribeLog(false, 0, Env({{"RETORT_PROGRESS", "always"}})).statement_progress);
  EXPECT_FALSE(cli::DescribeLog(true, 80, Env({{"RETORT_PROGRESS", "never"}})).statement_progress);
  EXPECT_FALSE(cli::DescribeLog(false, 120, Env({})).width);  // no terminal, no width
}

TEST(Color, PaintsPrefixesOnStderrAndMarkersOnStdout) {
  using cli::Colorize;
  using cli::ColorRules;
  EXPECT_EQ(Colorize("retort: error: no such revision", ColorRules::kDiagnostics, true),
            "retort: \033[1;31merror:\033[0m no such revision");
  EXPECT_EQ(Colorize("warning: 2 destructive changes", ColorRules::kDiagnostics, true),
            "\033[1;33mwarning:\033[0m 2 destructive changes");
  EXPECT_EQ(Colorize("note: applied", ColorRules::kDiagnostics, true),
            "\033[1;36mnote:\033[0m applied");
  // Only where a line starts: a word in the middle of a message stays as it is.
  EXPECT_EQ(Colorize("the note: here", ColorRules::kDiagnostics, true), "the note: here");
  EXPECT_EQ(Colorize("error: x", ColorRules::kDiagnostics, false), "error: x");

  EXPECT_EQ(Colorize("1a2b -> 3f2a (head) (current), msg", ColorRules::kMarkers, true),
            "1a2b -> 3f2a \033[1;32m(head)\033[0m \033[1;36m(current)\033[0m, msg");
  EXPECT_EQ(Colorize("-- DESTRUCTIVE: drops t", ColorRules::kMarkers, true),
            "-- \033[1;31mDESTRUCTIVE\033[0m: drops t");
  EXPECT_EQ(Colorize("v/a.sql:3: warning[RT201 add-column-default]: x", ColorRules::kMarkers, true),
            "v/a.sql:3: \033[1;33mwarning\033[0m[RT201 add-column-default]: x");
  EXPECT_EQ(Colorize("FAIL  stairway: x", ColorRules::kMarkers, true),
            "\033[1;31mFAIL\033[0m  stairway: x");
}

TEST(Color, TheBufferColoursWholeLinesAndWhatIsFlushedBeforeTheEnd) {
  std::ostringstream target;
  {
    cli::ColoringBuffer buffer(target.rdbuf(), cli::ColorRules::kDiagnostics);
    std::ostream err(&buffer);
    err << "warning: one\nplain\n";
    err << "note: a question? " << std::flush;  // a prompt, before the answer
    err << "error: not a prefix here\n";
    err << "error: last";
  }
  EXPECT_EQ(target.str(),
            "\033[1;33mwarning:\033[0m one\nplain\n\033[1;36mnote:\033[0m a question? "
            "error: not a prefix here\n\033[1;31merror:\033[0m last");
}

TEST(Color, AnErasedProgressLineLeavesTheNextMessageAtALineStart) {
  std::ostringstream target;
  {
    cli::ColoringBuffer buffer(target.rdbuf(), cli::ColorRules::kDiagnostics);
    std::ostream err(&buffer);
    err << "\r\033[Kstatement 1/1 of r1: 2.0 s" << std::flush;  // a progress line, redrawn
    err << "\r\033[K" << std::flush;                            // and erased
    err << "retort: error: failed\n";
  }
  EXPECT_EQ(target.str(),
            "\r\033[Kstatement 1/1 of r1: 2.0 s\r\033[Kretort: \033[1;31merror:\033[0m failed\n");
}

// A retort.toml holding `key = value` and what else its section needs to be valid (a
// [[targets]] group needs a name and one source of targets).
std::string TomlWith(const config::KeyDoc& key, const std::string& value) {
  if (key.section != "targets") {
    return "[" + std::string(key.section) + "]\n" + std::string(key.key) + " = " + value + "\n";
  }
  std::map<std::string, std::string> group = {{"name", R"("g")"},
                                              {"urls", R"(["postgresql://app@db/app"])"}};
  if (key.key == "file" || key.key == "query" || key.key == "registry_url") group.erase("urls");
  if (key.key == "registry_url") group["query"] = R"("SELECT 1")";
  group[std::string(key.key)] = value;
  std::string toml = "[[targets]]\n";
  for (const auto& [name, literal] : group) toml += name + " = " + literal + "\n";
  return toml;
}

// retort.toml(5) is written from config's key table; each key's example must be a value the
// parser accepts, and each key is described.
TEST(ConfigKeyDocs, EveryDocumentedKeyParsesAndIsDescribed) {
  std::vector<config::KeyDoc> keys = config::DocumentedKeys();
  ASSERT_GE(keys.size(), 25u);
  for (const config::KeyDoc& key : keys) {
    std::string toml = TomlWith(key, std::string(key.example));
    auto parsed = config::ParseConfig(toml, "retort.toml");
    EXPECT_TRUE(parsed.ok()) << toml << parsed.status().message();
    if (!key.default_value.empty()) {
      toml = TomlWith(key, key.default_value);
      EXPECT_TRUE(config::ParseConfig(toml, "retort.toml").ok()) << toml;
    }
    EXPECT_GE(key.description.size(), 10u) << key.section << "." << key.key;
  }
  // A key that is not in the table is refused, so nothing undocumented is accepted.
  EXPECT_FALSE(config::ParseConfig("[migrations]\nundocumented = 1\n", "retort.toml").ok());
}

}  // namespace
}  // namespace retort

namespace retort {
namespace {

TEST(RedrawnLine, GoesBackToTheLineStartAndErasesBeforeEachText) {
  std::ostringstream log;
  cli::RedrawnLine line(log);
  line.Show("statement 1/2 of r1: 1.0 s");
  line.Show("statement 1/2 of r1: 1.5 s");
  line.Erase();
  EXPECT_EQ(log.str(),
            "\r\033[Kstatement 1/2 of r1: 1.0 s\r\033[Kstatement 1/2 of r1: 1.5 s\r\033[K");
}

}  // namespace
}  // namespace retort
