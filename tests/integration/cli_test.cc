// The command line as a shell user meets it: completion scripts run in real bash, zsh and fish,
// man pages rendered by groff, did-you-mean for typos, and colour only where it belongs. No
// database: the completions read migration headers only.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "base/files.h"
#include "base/strings.h"
#include "config/config.h"
#include "support/pg_harness.h"

namespace retort {
namespace {

namespace fs = std::filesystem;
using ::retort::testing::CommandOutput;
using ::retort::testing::Describe;
using ::retort::testing::RetortBinary;
using ::retort::testing::RunProgram;
using ::retort::testing::RunRetort;
using ::retort::testing::TempDir;

// A project with two revisions, the second on a branch labelled "docs".
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(RunRetort({"init", "."}, project_.path()).exit_code, 0);
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"revision", "-m", "one", "--rev-id", "aaa111"},
          std::vector<std::string>{"revision", "-m", "two", "--rev-id", "bbb222", "--branch-label",
                                   "docs"}}) {
      CommandOutput made = RunRetort(args, project_.path());
      ASSERT_EQ(made.exit_code, 0) << Describe(made);
    }
  }

  // Writes `retort completion SHELL` into the project and returns its path.
  std::string Script(const std::string& shell) {
    CommandOutput script = RunRetort({"completion", shell}, project_.path());
    EXPECT_EQ(script.exit_code, 0) << Describe(script);
    return project_.Write("completion." + shell, script.out);
  }

  // Runs `program` with `args` in the project; fails the test unless it exits 0.
  std::string Shell(const std::vector<std::string>& argv) {
    CommandOutput run = RunProgram(argv, project_.path());
    EXPECT_EQ(run.exit_code, 0) << Describe(run);
    EXPECT_EQ(run.err, "") << Describe(run);
    return run.out;
  }

  TempDir project_;
};

// Each case is the words typed, the cursor on the last one; bash prints what _retort offers,
// one case a line: "words => candidates".
TEST_F(CliTest, BashCompletesVerbsFlagsChoicesAndRevisions) {
  std::string script = Script("bash");
  std::string retort = RetortBinary();
  std::vector<std::vector<std::string>> cases = {
      {"upgr"},                                       // a verb
      {"upgrade", ""},                                // revision targets
      {"upgrade", "--s"},                             // a flag of the verb
      {"upgrade", "--fo"},                            // a global flag, after the verb
      {"--format", ""},                               // an option's choices
      {"--color", "=", "al"},                         // --color=al, as bash splits it
      {"backups", ""},                                // sub-verbs
      {"backups", "list", "--"},                      // a sub-verb's flags
      {"--config", "retort.toml", "downgrade", "b"},  // revisions, with the project named
      {"dev", "st"},                                  // a positional's choices
      {"show", "docs@"},                              // branch labels
      {"revision", "--head", "a"},                    // an option that names a revision
      {"history", "-r", "base", ":", "h"},            // -r base:h, as bash splits it
      {"completion", ""},                             // the shells
  };
  std::string program = "source " + script + "\n";
  for (const auto& words : cases) {
    std::string array = "'" + retort + "'";
    for (const std::string& word : words) array += " '" + word + "'";
    program += "COMP_WORDS=(" + array + "); COMP_CWORD=" + std::to_string(words.size()) +
               "; COMPREPLY=(); _retort; echo \"" + Join(words, " ") + " => ${COMPREPLY[*]}\"\n";
  }
  std::string out = Shell({"bash", "--noprofile", "--norc", "-c", program});
  EXPECT_EQ(out,
            "upgr => upgrade\n"
            "upgrade  => head heads base bbb222 docs@head docs@base aaa111\n"
            "upgrade --s => --sql\n"
            "upgrade --fo => --format\n"
            "--format  => text json dot mermaid\n"
            "--color = al => always\n"
            "backups  => list restore prune\n"
            "backups list -- => --help --config --url --format --color\n"
            "--config retort.toml downgrade b => base bbb222\n"
            "dev st => start stop status\n"
            "show docs@ => docs@head docs@base\n"
            "revision --head a => aaa111\n"
            "history -r base : h => head heads\n"
            "completion  => bash zsh fish\n");
}

TEST_F(CliTest, RevisionWordsAreQuietOutsideAProject) {
  TempDir elsewhere;
  CommandOutput words = RunRetort({"__complete", "revisions"}, elsewhere.path());
  EXPECT_EQ(words.exit_code, 0) << Describe(words);
  EXPECT_EQ(words.out, "head\nheads\nbase\n");
  EXPECT_EQ(words.err, "");
}

// zsh: the script parses, and _retort (zsh's compadd, _describe and _files stubbed to print
// what they are given) offers the verbs and a verb's flags with descriptions, the project's
// revisions, and files for --config.
TEST_F(CliTest, ZshScriptParsesAndOffersTheSameWords) {
  std::string script = Script("zsh");
  Shell({"zsh", "-n", script});
  std::string retort = RetortBinary();
  std::string program =
      "compdef() { :; }\n"
      "compadd() { [[ $1 == -- ]] && shift; print -r -- \"$*\"; }\n"
      "_files() { print -r -- FILES; }\n"
      "_describe() { local -a a; a=(\"${(@P)${@[-1]}}\"); print -r -- \"${(j:|:)a}\"; }\n"
      "source " +
      script +
      "\n"
      "words=('" +
      retort +
      "' upgr); CURRENT=2; _retort\n"
      "words=('" +
      retort +
      "' upgrade --s); CURRENT=3; _retort\n"
      "words=('" +
      retort +
      "' downgrade ''); CURRENT=3; _retort\n"
      "words=('" +
      retort + "' --config ''); CURRENT=3; _retort\n";
  std::string out = Shell({"zsh", "-f", "-c", program});
  std::vector<std::string> lines = Split(out, '\n');
  ASSERT_GE(lines.size(), 4u) << out;
  EXPECT_NE(("|" + lines[0] + "|").find("|upgrade:apply migrations up to TARGET|"),
            std::string::npos)
      << out;
  EXPECT_NE(("|" + lines[1] + "|").find("|--sql:print the SQL script instead of running it|"),
            std::string::npos)
      << out;
  EXPECT_EQ(lines[2], "head heads base bbb222 docs@head docs@base aaa111") << out;
  EXPECT_EQ(lines[3], "FILES") << out;
}

// fish: the script parses, and fish's own `complete -C` offers the verbs, flags and revisions.
TEST_F(CliTest, FishCompletesVerbsFlagsAndRevisions) {
  std::string script = Script("fish");
  Shell({"fish", "--no-execute", script});
  std::string bin = fs::path(RetortBinary()).parent_path().string();
  std::string program = "set -x PATH " + bin +
                        " $PATH\n"
                        "source " +
                        script +
                        "\n"
                        "complete -C 'retort upgr'\n"
                        "complete -C 'retort upgrade --s'\n"
                        "complete -C 'retort backups '\n"
                        "complete -C 'retort show '\n";
  std::string out = Shell({"fish", "--no-config", "-c", program});
  EXPECT_NE(out.find("upgrade\tapply migrations up to TARGET\n"), std::string::npos) << out;
  EXPECT_NE(out.find("--sql\tprint the SQL script instead of running it\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("restore\tput a backup's data back\n"), std::string::npos) << out;
  EXPECT_NE(out.find("bbb222\n"), std::string::npos) << out;
  EXPECT_NE(out.find("docs@head\n"), std::string::npos) << out;
}

TEST_F(CliTest, UnknownShellNamesTheChoices) {
  CommandOutput run = RunRetort({"completion", "tcsh"}, project_.path());
  EXPECT_EQ(run.exit_code, 2) << Describe(run);
  EXPECT_NE(run.err.find("bash,zsh,fish"), std::string::npos) << Describe(run);
  EXPECT_EQ(run.out, "");
}

// The verbs `retort --help` lists.
std::vector<std::string> VerbsInHelp(const std::string& help) {
  std::vector<std::string> verbs;
  bool in_list = false;
  for (const std::string& line : Split(help, '\n')) {
    if (line == "Subcommands:") {
      in_list = true;
    } else if (in_list && StartsWith(line, "  ")) {
      verbs.push_back(Split(std::string(Trim(line)), ' ')[0]);
    } else if (in_list && !line.empty()) {
      in_list = false;
    }
  }
  return verbs;
}

TEST_F(CliTest, ManPagesCoverEveryVerbAndConfigKeyAndRenderWithoutWarnings) {
  CommandOutput help = RunRetort({"--help"}, project_.path());
  std::vector<std::string> verbs = VerbsInHelp(help.out);
  ASSERT_GE(verbs.size(), 20u) << help.out;

  std::string dir = project_.path() + "/man";
  CommandOutput written = RunRetort({"man", dir}, project_.path());
  ASSERT_EQ(written.exit_code, 0) << Describe(written);
  auto pages = ListFiles(dir, "");
  ASSERT_TRUE(pages.ok());
  std::set<std::string> names;
  for (const std::string& page : *pages) names.insert(fs::path(page).filename().string());
  for (const std::string& page : {std::string("retort.1"), std::string("retort.toml.5")}) {
    EXPECT_TRUE(names.count(page)) << page;
  }
  for (const std::string& verb : verbs) {
    EXPECT_TRUE(names.count("retort-" + verb + ".1")) << "no page for " << verb;
  }
  EXPECT_TRUE(names.count("retort-backups-list.1"));

  for (const std::string& name : names) {
    std::string path = dir + "/" + name;
    // -ww: every warning; -z: no output, warnings only.
    CommandOutput rendered = RunProgram({"groff", "-man", "-Tutf8", "-ww", "-z", path}, dir);
    EXPECT_EQ(rendered.exit_code, 0) << name << "\n" << Describe(rendered);
    EXPECT_EQ(rendered.err, "") << name;
    auto text = ReadFile(path);
    ASSERT_TRUE(text.ok());
    if (StartsWith(name, "retort-")) {
      // Every verb's page shows one example and the options every command takes.
      EXPECT_NE(text->find(".SH EXAMPLE\n"), std::string::npos) << name;
      EXPECT_NE(text->find(".SH GLOBAL OPTIONS\n"), std::string::npos) << name;
    }
  }

  auto config_page = ReadFile(dir + "/retort.toml.5");
  ASSERT_TRUE(config_page.ok());
  std::vector<config::KeyDoc> keys = config::DocumentedKeys();
  ASSERT_GE(keys.size(), 25u);
  for (const config::KeyDoc& key : keys) {
    // A fleet group is an array of tables, [[targets]].
    std::string heading =
        key.section == "targets" ? ".SS [[targets]]" : ".SS [" + std::string(key.section) + "]";
    EXPECT_NE(config_page->find(heading), std::string::npos) << key.section;
    EXPECT_NE(config_page->find("\\fB" + std::string(key.key) + "\\fR ="), std::string::npos)
        << key.section << "." << key.key;
  }
}

TEST_F(CliTest, EveryVerbsHelpShowsTheGlobalOptionsAndEndsWithAnExample) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"upgrade", "--help"},
        std::vector<std::string>{"backups", "prune", "--help"}}) {
    CommandOutput help = RunRetort(args, project_.path());
    EXPECT_EQ(help.exit_code, 0) << Describe(help);
    for (const char* global : {"Global options:", "--config", "--url", "--format", "--color"}) {
      EXPECT_NE(help.out.find(global), std::string::npos) << global << "\n" << help.out;
    }
    std::string tail = help.out.substr(help.out.rfind("Example:"));
    EXPECT_TRUE(StartsWith(tail, "Example:\n  retort " + args[0])) << help.out;
  }
}

TEST_F(CliTest, MistypedVerbsAndFlagsGetASuggestion) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& typo : std::vector<Case>{
           {{"upgarde"}, "retort: error: unknown command 'upgarde'; did you mean 'upgrade'?\n"},
           {{"upgrade", "--sqll"},
            "retort: error: unknown option '--sqll' for 'upgrade'; did you mean '--sql'?\n"},
           {{"backups", "lsit"},
            "retort: error: unknown command 'lsit' for 'backups'; did you mean 'list'?\n"},
           {{"frobnicate"}, "retort: error: unknown command 'frobnicate' (see retort --help)\n"},
       }) {
    CommandOutput run = RunRetort(typo.args, project_.path());
    EXPECT_EQ(run.exit_code, 2) << Describe(run);
    EXPECT_EQ(run.err, typo.message);
    EXPECT_EQ(run.out, "");
  }
}

// Colour on a terminal (script(1) gives retort a pseudo-terminal), none when NO_COLOR is set or
// when asked not to; --color=always colours a pipe.
TEST_F(CliTest, ColourOnATerminalOnlyUnlessAsked) {
  const std::string escape = "\033[";
  auto on_terminal = [&](const std::string& env, const std::string& args) {
    std::string command = "env " + env + " '" + RetortBinary() + "' " + args + " 2>&1";
    return RunProgram({"script", "-qec", command, "/dev/null"}, project_.path()).out;
  };
  std::string colored = on_terminal("-u NO_COLOR TERM=xterm", "heads");
  EXPECT_NE(colored.find("bbb222 (docs) " + escape + "1;32m(head)" + escape + "0m"),
            std::string::npos)
      << colored;
  std::string error = on_terminal("-u NO_COLOR TERM=xterm", "upgarde");
  EXPECT_NE(error.find("retort: " + escape + "1;31merror:" + escape + "0m unknown command"),
            std::string::npos)
      << error;
  EXPECT_EQ(on_terminal("NO_COLOR=1 TERM=xterm", "heads").find(escape), std::string::npos);
  EXPECT_EQ(on_terminal("-u NO_COLOR TERM=dumb", "heads").find(escape), std::string::npos);
  EXPECT_EQ(on_terminal("-u NO_COLOR TERM=xterm", "--color=never heads").find(escape),
            std::string::npos);

  CommandOutput piped = RunRetort({"heads"}, project_.path());
  EXPECT_EQ(piped.out, "bbb222 (docs) (head)\n");
  CommandOutput forced =
      RunRetort({"--color=always", "heads"}, project_.path(), {{"NO_COLOR", "1"}});
  EXPECT_EQ(forced.out, "bbb222 (docs) " + escape + "1;32m(head)" + escape + "0m\n");
  // JSON is data: never coloured.
  CommandOutput json = RunRetort({"--color=always", "--format", "json", "heads"}, project_.path());
  EXPECT_EQ(json.out.find(escape), std::string::npos) << json.out;
}

}  // namespace
}  // namespace retort
