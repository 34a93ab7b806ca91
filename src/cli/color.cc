#include "cli/color.h"

#include <string_view>

#include "base/strings.h"

namespace retort::cli {

namespace {

constexpr std::string_view kReset = "\033[0m";
constexpr std::string_view kBoldRed = "\033[1;31m";
constexpr std::string_view kBoldYellow = "\033[1;33m";
constexpr std::string_view kBoldCyan = "\033[1;36m";
constexpr std::string_view kGreen = "\033[32m";
constexpr std::string_view kBoldGreen = "\033[1;32m";

// `word` is looked for; of it, `length` bytes from `skip` on are painted (all by default).
struct Painted {
  std::string_view word;
  std::string_view color;
  size_t skip = 0;
  size_t length = std::string_view::npos;
};

std::string Paint(std::string_view text, std::string_view color) {
  return std::string(color) + std::string(text) + std::string(kReset);
}

// Every occurrence of each word in `line`, painted.
std::string PaintWords(const std::string& line, const std::vector<Painted>& words) {
  std::string result;
  size_t at = 0;
  while (at < line.size()) {
    const Painted* found = nullptr;
    size_t found_at = std::string::npos;
    for (const Painted& painted : words) {
      size_t position = line.find(painted.word, at);
      if (position < found_at) {
        found_at = position;
        found = &painted;
      }
    }
    if (found == nullptr) break;
    std::string_view word = found->word;
    std::string_view painted = word.substr(found->skip, found->length);
    result.append(line, at, found_at - at);
    result += word.substr(0, found->skip);
    result += Paint(painted, found->color);
    result += word.substr(found->skip + painted.size());
    at = found_at + word.size();
  }
  result.append(line, at, std::string::npos);
  return result;
}

}  // namespace

ColorMode ColorModeFromArgs(const std::vector<std::string>& args) {
  ColorMode mode = ColorMode::kAuto;
  auto parse = [](std::string_view when) {
    if (when == "always") return ColorMode::kAlways;
    if (when == "never") return ColorMode::kNever;
    return ColorMode::kAuto;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") break;
    if (StartsWith(args[i], "--color=")) {
      mode = parse(std::string_view(args[i]).substr(8));
    } else if (args[i] == "--color" && i + 1 < args.size()) {
      mode = parse(args[++i]);
    }
  }
  return mode;
}

bool UseColor(ColorMode mode, bool is_terminal,
              const std::function<std::optional<std::string>(const std::string&)>& env) {
  if (mode != ColorMode::kAuto) return mode == ColorMode::kAlways;
  if (!is_terminal) return false;
  std::optional<std::string> no_color = env("NO_COLOR");
  if (no_color && !no_color->empty()) return false;
  std::optional<std::string> term = env("TERM");
  return !(term && *term == "dumb");
}

commands::LogDisplay DescribeLog(
    bool is_terminal, unsigned columns,
    const std::function<std::optional<std::string>(const std::string&)>& env) {
  std::string forced = env("RETORT_PROGRESS").value_or("");
  commands::LogDisplay display;
  display.is_terminal = is_terminal;
  display.statement_progress = forced == "always" || (forced != "never" && is_terminal);
  if (is_terminal && columns > 1) display.width = columns - 1u;
  return display;
}

std::string Colorize(const std::string& line, ColorRules rules, bool at_line_start) {
  if (rules == ColorRules::kMarkers) {
    // Lint findings read "file:line: error[RT101 rule]: ...": the severity is painted.
    static const std::vector<Painted> kMarkers = {{"(head)", kBoldGreen},
                                                  {"(current)", kBoldCyan},
                                                  {"DESTRUCTIVE", kBoldRed},
                                                  {": error[", kBoldRed, 2, 5},
                                                  {": warning[", kBoldYellow, 2, 7},
                                                  {": note[", kBoldCyan, 2, 4}};
    if (at_line_start && StartsWith(line, "PASS  ")) return Paint("PASS", kGreen) + line.substr(4);
    if (at_line_start && StartsWith(line, "FAIL  ")) {
      return Paint("FAIL", kBoldRed) + line.substr(4);
    }
    return PaintWords(line, kMarkers);
  }
  if (!at_line_start) return line;
  static const Painted kPrefixes[] = {
      {"error:", kBoldRed}, {"warning:", kBoldYellow}, {"note:", kBoldCyan}};
  size_t start = StartsWith(line, "retort: ") ? 8 : 0;
  for (const Painted& prefix : kPrefixes) {
    if (line.compare(start, prefix.word.size(), prefix.word) == 0) {
      return line.substr(0, start) + Paint(prefix.word, prefix.color) +
             line.substr(start + prefix.word.size());
    }
  }
  return line;
}

ColoringBuffer::int_type ColoringBuffer::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  pending_ += traits_type::to_char_type(c);
  // A carriage return redraws a progress line: pass it on at once, as a line end.
  if (c == '\n' || c == '\r') Emit();
  return c;
}

std::streamsize ColoringBuffer::xsputn(const char* text, std::streamsize count) {
  std::string_view rest(text, static_cast<size_t>(count));
  while (!rest.empty()) {
    size_t end = rest.find_first_of("\n\r");
    if (end == std::string_view::npos) {
      pending_.append(rest);
      break;
    }
    pending_.append(rest.substr(0, end + 1));
    Emit();
    rest.remove_prefix(end + 1);
  }
  return count;
}

int ColoringBuffer::sync() {
  Emit();
  return target_->pubsync();
}

namespace {

// Only ANSI escape sequences ("\033[K" erasing a progress line after its "\r"): text that moves
// or clears, but writes nothing a line could start with.
bool OnlyEscapes(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '\033' || i + 1 >= text.size()) return false;
    i += 1;
    if (text[i] == '[') {
      i += 1;
      while (i < text.size() && (text[i] < 0x40 || text[i] > 0x7E)) ++i;
    }
    if (i >= text.size()) return false;
    i += 1;  // the final byte
  }
  return true;
}

}  // namespace

void ColoringBuffer::Emit() {
  if (pending_.empty()) return;
  bool ends_line = pending_.back() == '\n' || pending_.back() == '\r';
  std::string line = ends_line ? pending_.substr(0, pending_.size() - 1) : pending_;
  std::string colored = Colorize(line, rules_, at_line_start_);
  if (ends_line) colored += pending_.back();
  target_->sputn(colored.data(), static_cast<std::streamsize>(colored.size()));
  // "\r\033[K" erases the progress line and leaves the cursor at the line's start, where the
  // next message's prefix is coloured as after a line end.
  at_line_start_ = ends_line || (at_line_start_ && OnlyEscapes(pending_));
  pending_.clear();
}

}  // namespace retort::cli
