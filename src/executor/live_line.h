// A line the executor keeps up to date while something long runs (a statement's progress, a
// backfill's bar). The executor says what the line reads; how it is drawn (on a terminal: back
// to the line's start, erase, write) is the caller's, src/cli's.
#pragma once

#include <string_view>

namespace retort::executor {

class LiveLine {
 public:
  virtual ~LiveLine() = default;
  // Replaces the line shown, if any, with `text` (one line, already cut to fit).
  virtual void Show(std::string_view text) = 0;
  // Removes the line shown; nothing when none is.
  virtual void Erase() = 0;
};

}  // namespace retort::executor
