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
#include <vector>

#include "executor/live_line.h"

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
  // With a `live_line` (a terminal) a bar redrawn in place; otherwise a line on `out` every
  // `line_interval`. Either may be null.
  ProgressDisplay(std::ostream* out, LiveLine* live_line, std::string label,
                  std::chrono::milliseconds line_interval = std::chrono::seconds(5));
  void Update(const BackfillSnapshot& snapshot);
  void Finish();

 private:
  std::ostream* out_;
  LiveLine* live_line_;
  std::string label_;
  std::chrono::milliseconds interval_;
  SteadyClock::time_point last_shown_;
  bool started_ = false;
  bool shown_ = false;
};

// The column a keyed batch walks (`-- retort:batch size=N key=COLUMN`), as the catalog names it.
struct KeyColumn {
  std::string table;   // regclass text: schema-qualified and quoted as needed
  std::string column;  // quoted as needed
  std::string type;    // format_type(): the cast for key literals, like "bigint" or "uuid"
  // `'42'::bigint`: a key value (as text) back as SQL.
  std::string Literal(const std::string& value) const;
};

// The SQL of walking a key: each range starts at the first key after the last one done and
// ends `size` keys later, or at the largest key when the walk began, so every row is in exactly
// one range whatever the gaps between keys. Both ends come from one query (a row of start and
// end, as text; no row when no key is left at or below `max`), each an index-only scan of the
// range alone.
std::string LastKeySql(const KeyColumn& key);  // the largest key
std::string RangeSql(const KeyColumn& key, const std::string& after, const std::string& max,
                     long size);  // after "": from the first key

// The size of the next batch, adapted so that each batch takes about `target_ms`. It follows
// the time per row of the last batch or the recent average, whichever is slower (so one fast
// batch does not make the next one long), and changes by at most x1.25 up and x0.5 down from
// one batch to the next, within [1, 1000000000]. target_ms 0 keeps the initial size.
class BatchSizer {
 public:
  BatchSizer(long initial, long target_ms) : size_(initial), target_ms_(target_ms) {}
  long size() const { return size_; }
  // The batch of size() rows just done took `batch_ms`.
  void Record(double batch_ms);

 private:
  long size_;
  long target_ms_;
  double average_ms_per_row_ = 0;
};

// The `fraction` quantile (0.5: the median) of `values`, by the nearest-rank method; 0 if empty.
double Quantile(std::vector<double> values, double fraction);

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
