#include "executor/backfill.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "base/strings.h"

namespace retort::executor {

std::string GroupDigits(long value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  return value < 0 ? "-" + grouped : grouped;
}

std::string FormatEta(double seconds) {
  long total = std::lround(std::max(0.0, seconds));
  char buffer[32];
  if (total < 60) {
    std::snprintf(buffer, sizeof buffer, "%lds", total);
  } else if (total < 3600) {
    std::snprintf(buffer, sizeof buffer, "%ldm%02lds", total / 60, total % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%ldh%02ldm", total / 3600, (total % 3600) / 60);
  }
  return buffer;
}

namespace {

double Rate(const BackfillSnapshot& snapshot) {
  return snapshot.elapsed_seconds > 0 ? snapshot.rows / snapshot.elapsed_seconds : 0;
}

// Percent done, capped at 100 (an estimate can be low).
std::optional<int> Percent(const BackfillSnapshot& snapshot) {
  if (!snapshot.total || *snapshot.total <= 0) return std::nullopt;
  return static_cast<int>(std::min<long>(100, snapshot.rows * 100 / *snapshot.total));
}

std::optional<std::string> Eta(const BackfillSnapshot& snapshot) {
  double rate = Rate(snapshot);
  if (!snapshot.total || rate <= 0) return std::nullopt;
  long remaining = std::max<long>(0, *snapshot.total - snapshot.rows);
  return FormatEta(remaining / rate);
}

}  // namespace

std::string FormatProgressLine(const BackfillSnapshot& snapshot) {
  std::string line = GroupDigits(snapshot.rows);
  if (snapshot.total) line += " of ~" + GroupDigits(*snapshot.total);
  line += " rows";
  if (auto percent = Percent(snapshot)) line += " (" + std::to_string(*percent) + "%)";
  line += ", " + GroupDigits(std::lround(Rate(snapshot))) + " rows/s";
  if (auto eta = Eta(snapshot)) line += ", ETA " + *eta;
  line += ", " + GroupDigits(snapshot.batches) + (snapshot.batches == 1 ? " batch" : " batches");
  return line;
}

std::string FormatProgressBar(const BackfillSnapshot& snapshot, int width) {
  std::string counts = GroupDigits(snapshot.rows);
  if (snapshot.total) counts += "/" + GroupDigits(*snapshot.total);
  std::string tail =
      "  " + counts + " rows  " + GroupDigits(std::lround(Rate(snapshot))) + " rows/s";
  if (auto eta = Eta(snapshot)) tail += "  ETA " + *eta;
  auto percent = Percent(snapshot);
  if (!percent) return counts + " rows  " + GroupDigits(std::lround(Rate(snapshot))) + " rows/s";
  char percent_text[8];
  std::snprintf(percent_text, sizeof percent_text, "%3d%%", *percent);
  int bar_width = std::clamp(width - static_cast<int>(tail.size()) - 8, 10, 40);
  int filled = bar_width * *percent / 100;
  return "[" + std::string(static_cast<size_t>(filled), '#') +
         std::string(static_cast<size_t>(bar_width - filled), '.') + "] " + percent_text + tail;
}

ProgressDisplay::ProgressDisplay(std::ostream* out, LiveLine* live_line, std::string label,
                                 std::chrono::milliseconds line_interval)
    : out_(out), live_line_(live_line), label_(std::move(label)), interval_(line_interval) {}

void ProgressDisplay::Update(const BackfillSnapshot& snapshot) {
  bool terminal = live_line_ != nullptr;
  if (out_ == nullptr && !terminal) return;
  auto now = SteadyClock::now();
  if (!started_) {
    started_ = true;
    last_shown_ = now;
    // Off a terminal the first line comes after one interval: short backfills print only their
    // summary.
    if (!terminal) return;
  } else if (now - last_shown_ < (terminal ? std::chrono::milliseconds(100) : interval_)) {
    return;
  }
  last_shown_ = now;
  shown_ = true;
  if (terminal) {
    live_line_->Show(label_ + " " + FormatProgressBar(snapshot));
  } else {
    *out_ << label_ << ": " << FormatProgressLine(snapshot) << "\n" << std::flush;
  }
}

void ProgressDisplay::Finish() {
  if (live_line_ != nullptr && shown_) live_line_->Erase();
}

std::string KeyColumn::Literal(const std::string& value) const {
  return QuoteLiteral(value) + "::" + type;
}

// Column references are qualified (`k.id`) so that ORDER BY never means the text output column.
std::string LastKeySql(const KeyColumn& key) {
  return "SELECT k." + key.column + "::text FROM " + key.table + " k ORDER BY k." + key.column +
         " DESC LIMIT 1";
}

std::string RangeSql(const KeyColumn& key, const std::string& after, const std::string& max,
                     long size) {
  std::string column = "k." + key.column;
  std::string start = "SELECT " + column + " AS first_key FROM " + key.table + " k" +
                      (after.empty() ? "" : " WHERE " + column + " > " + key.Literal(after)) +
                      " ORDER BY " + column + " LIMIT 1";
  return "SELECT s.first_key::text, coalesce((SELECT " + column + "::text FROM " + key.table +
         " k WHERE " + column + " >= s.first_key AND " + column + " <= " + key.Literal(max) +
         " ORDER BY " + column + " OFFSET " + std::to_string(std::max(0L, size - 1)) +
         " LIMIT 1), " + QuoteLiteral(max) + ") FROM (" + start +
         ") s WHERE s.first_key <= " + key.Literal(max);
}

void BatchSizer::Record(double batch_ms) {
  if (target_ms_ <= 0) return;
  double per_row = std::max(batch_ms, 0.01) / static_cast<double>(size_);
  average_ms_per_row_ =
      average_ms_per_row_ == 0 ? per_row : 0.7 * average_ms_per_row_ + 0.3 * per_row;
  double ideal = static_cast<double>(target_ms_) / std::max(per_row, average_ms_per_row_);
  double current = static_cast<double>(size_);
  size_ =
      std::clamp(std::lround(std::clamp(ideal, current * 0.5, current * 1.25)), 1L, 1000000000L);
}

double Quantile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  double rank = std::ceil(fraction * static_cast<double>(values.size()));
  size_t index = static_cast<size_t>(std::max(1.0, rank)) - 1;
  return values[std::min(index, values.size() - 1)];
}

std::optional<uint64_t> ParseLsn(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= text.size()) {
    return std::nullopt;
  }
  auto hex = [](std::string_view part) -> std::optional<uint64_t> {
    if (part.size() > 8) return std::nullopt;
    uint64_t value = 0;
    for (char c : part) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
      int digit = std::isdigit(static_cast<unsigned char>(c))
                      ? c - '0'
                      : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
      value = value * 16 + static_cast<uint64_t>(digit);
    }
    return value;
  };
  auto high = hex(text.substr(0, slash));
  auto low = hex(text.substr(slash + 1));
  if (!high || !low) return std::nullopt;
  return (*high << 32) | *low;
}

void LagTracker::Record(uint64_t lsn, SteadyClock::time_point at) {
  if (!samples_.empty() && samples_.back().first >= lsn) return;
  samples_.emplace_back(lsn, at);
}

double LagTracker::LagSeconds(uint64_t replay_lsn, SteadyClock::time_point now) const {
  for (const auto& [lsn, at] : samples_) {
    if (lsn > replay_lsn) return std::chrono::duration<double>(now - at).count();
  }
  return 0;
}

void LagTracker::Forget(uint64_t replayed_everywhere) {
  while (!samples_.empty() && samples_.front().first <= replayed_everywhere) samples_.pop_front();
}

}  // namespace retort::executor
