// Colour on a terminal: error/warning/note prefixes on stderr, revision markers and DESTRUCTIVE
// on stdout. Decided per stream; the commands below the CLI print plain text and never know.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

#include "commands/project.h"

namespace retort::cli {

enum class ColorMode { kAuto, kAlways, kNever };

// The last `--color=WHEN` / `--color WHEN` before a `--` (auto when none or not a known WHEN).
// Read before CLI11 parses, so that a parse error is coloured as asked too.
ColorMode ColorModeFromArgs(const std::vector<std::string>& args);

// Whether a stream gets colour: always/never as asked; auto only on a terminal, and not when
// NO_COLOR is set to anything non-empty (no-color.org) or TERM is "dumb".
bool UseColor(ColorMode mode, bool is_terminal,
              const std::function<std::optional<std::string>(const std::string&)>& env);

// What stderr can show while a command runs. On a terminal `columns` wide (0 when unknown),
// progress lines are redrawn in place and cut to its width less one (a full line would wrap).
// RETORT_PROGRESS=always shows a long statement's progress where stderr is no terminal (a CI job
// that wants it, the tests); =never hides it on a terminal.
commands::LogDisplay DescribeLog(
    bool is_terminal, unsigned columns,
    const std::function<std::optional<std::string>(const std::string&)>& env);

// Which words a stream colours.
enum class ColorRules {
  kDiagnostics,  // stderr: "error:", "warning:", "note:" at the start of a line ("retort: " may
                 // come before them)
  kMarkers,      // stdout: (head), (current), DESTRUCTIVE, PASS/FAIL of `retort test`, the
                 // severity of a lint finding
};

// `line` with ANSI colour around what `rules` colour; `at_line_start` says whether the text
// begins a line (prefixes are only looked for there).
std::string Colorize(const std::string& line, ColorRules rules, bool at_line_start);

// A stream buffer that colours whole lines (or what is flushed before the line ends, such as a
// question) and passes them to `target`. Install with ostream::rdbuf; restore before `target`
// goes away.
class ColoringBuffer : public std::streambuf {
 public:
  ColoringBuffer(std::streambuf* target, ColorRules rules) : target_(target), rules_(rules) {}
  ~ColoringBuffer() override { sync(); }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* text, std::streamsize count) override;
  int sync() override;

 private:
  void Emit();

  std::streambuf* target_;
  ColorRules rules_;
  std::string pending_;
  bool at_line_start_ = true;
};

}  // namespace retort::cli
