// Pieces of a batched backfill that need no database: the progress display and the replica lag
// tracker. The executor drives them (executor.cc, RunBatched).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace retort::executor {

using SteadyClock = std::chrono::steady_clock;

// Where a backfill stands.
struct BackfillSnapshot {
  long rows = 0;              // affected so far
  std::optional<long> total;  // from `-- retort:estimate`
  double elapsed_seconds = 0;
  long batches = 0;
};

// "1,234,567"
std::string GroupDigits(long value);
// "45s", "3m07s", "2h05m"
std::string FormatEta(double seconds);
// One self-contained line, for logs: "1,000,000 of ~10,000,000 rows (10%), 250,000 rows/s,
// ETA 36s, 100 batches".
std::string FormatProgressLine(const BackfillSnapshot& snapshot);
// A terminal progress bar of about `width` columns:
// "[#####.....]  10%  1,000,000/10,000,000 rows  250,000 rows/s  ETA 36s".
std::string FormatProgressBar(const BackfillSnapshot& snapshot, int width = 80);

// Shows a backfill's progress on `out`: a bar redrawn in place (at most 10 times a second) on a
// terminal, otherwise a line every `line_interval`. Finish() ends the bar's line.
class ProgressDisplay {
 public:
  ProgressDisplay(std::ostream* out, bool terminal, std::string label,
                  std::chrono::milliseconds line_interval = std::chrono::seconds(5));
  void Update(const BackfillSnapshot& snapshot);
  void Finish();

 private:
  std::ostream* out_;
  bool terminal_;
  std::string label_;
  std::chrono::milliseconds interval_;
  SteadyClock::time_point last_shown_;
  bool started_ = false;
  bool shown_ = false;
};

// A PostgreSQL LSN ("16/B374D848") as a number; nullopt when malformed.
std::optional<uint64_t> ParseLsn(std::string_view text);

// How far behind a replica is, in seconds: the age of the oldest WAL position retort wrote
// (recorded after each batch) that the replica has not replayed yet. Unlike
// pg_stat_replication.replay_lag, which the server only updates when the standby reports
// progress, this keeps growing while a replica stands still (replay paused, or stuck).
class LagTracker {
 public:
  void Record(uint64_t lsn, SteadyClock::time_point at);
  // 0 when the replica has replayed everything recorded.
  double LagSeconds(uint64_t replay_lsn, SteadyClock::time_point now) const;
  // Forgets positions every replica has replayed.
  void Forget(uint64_t replayed_everywhere);

 private:
  std::deque<std::pair<uint64_t, SteadyClock::time_point>> samples_;
};

}  // namespace retort::executor
