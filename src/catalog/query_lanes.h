// Runs a list of catalog queries ahead of the code that reads their rows. On a large schema the
// server's time is the catalog queries' own: two sessions that share the caller's snapshot run
// them on two server cores, taking the next query whenever they are free, while the reader
// processes the results already there. The caller's session takes part too: a query the reader
// wants that no lane has claimed yet (the lanes are still connecting, or never will: a server
// that holds a second connection until the first closes, a saturated pooler) runs on it, so
// the reader never waits for a lane to connect, and a lane still connecting at Finish gives up.
// Alone (no snapshot to share: inside the caller's transaction, or over a network on a small
// schema), the caller's session takes them all at once in one pipeline.
//
// Memory: the lanes run ahead of the reader, so without a bound every result would sit in memory
// at once, and libpq holds 16 bytes per field and row besides the values (columns.sql alone came
// to 150 MB at 10,000 wide tables). A query with `rows_per_fetch` is read through a cursor, that
// many rows at a time. A lane fetches ahead of the reader while the chunks waiting for it take
// less than `LaneOptions::bytes_ahead` together, and always up to kChunksAhead chunks of the
// query it runs: the queries after columns.sql (constraints, indexes, dependencies) then run on
// the server while the reader is still busy with the columns, not after, and at 10,000 tables
// the results still never sit in memory whole. The caller's session fetches a chunk when the
// reader asks for it.
//
// Threads: each lane session is opened, used and closed by the one thread this object starts
// for it; the caller's session is only ever used by the caller's thread. They share the claim
// counter and the chunks waiting to be taken (under one mutex), nothing else.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "pg/connection.h"

namespace retort::catalog {

struct LaneQuery {
  std::string_view sql;  // one SELECT
  // > 0: the rows come through a cursor, this many at a time, when lanes run; the caller's
  // pipeline (no lanes) reads them whole.
  int rows_per_fetch = 0;
};

struct LaneOptions {
  // Exported by the caller's transaction; empty: every query runs on the caller's session.
  std::string snapshot = {};
  // Runs in each lane's transaction after the snapshot is imported (SET LOCAL ...).
  std::string session_setup = {};
  // Where lanes connect, when not to the caller's server and database (tests: a server that
  // never answers).
  std::optional<pg::Connection::Settings> server = std::nullopt;
  // The caller's session runs a query only when no lane is left to run it (tests: the lanes
  // then read everything, as on a large catalog).
  bool caller_waits = false;
  // How many bytes of libpq results may wait for the reader beyond kChunksAhead chunks of a
  // query. 16 MiB holds a wide 2000-table catalog's results (its inspection took 10% less);
  // Inspect passes 0 for a catalog too large for that to pay (catalog/inspect.cc).
  size_t bytes_ahead = size_t{16} << 20;
};

class QueryLanes {
 public:
  // `connection` must be inside a transaction that exported `lanes.snapshot`
  // (pg_export_snapshot()). Queries are claimed in list order by whichever session is ready for
  // one, so the first results are ready first. `queries` must outlive this object.
  QueryLanes(pg::Connection& connection, LaneOptions lanes, const std::vector<LaneQuery>& queries);
  QueryLanes(const QueryLanes&) = delete;
  QueryLanes& operator=(const QueryLanes&) = delete;
  // Finish().
  ~QueryLanes();

  // The next chunk of queries[index]'s rows, once it is there; nullopt when every chunk has been
  // taken. A query read whole comes as one chunk, a failed one as one failed outcome (after the
  // chunks before the failure). Indexes are taken in increasing order from the thread that made
  // this object; taking a later index drops what is left of earlier ones.
  std::optional<pg::PgOutcome<pg::PgResult>> Take(size_t index);
  // Stops claiming queries, reads what the caller's session still has in flight, stops the lanes
  // still connecting and waits for the others to finish their query: `connection` is then out of
  // pipeline mode and free for other queries.
  void Finish();
  // How many sessions read the snapshot: the lanes that began their transaction, and the
  // caller's if it ran a query.
  int Sessions() const { return lanes_began_ + (caller_ran_ ? 1 : 0); }
  // Lanes were started (a snapshot to share, and the settings to reach the server).
  bool WithLanes() const { return with_lanes_; }
  // The most chunks of one query that were ever waiting for the reader at once: with no byte
  // allowance at most kChunksAhead, however many rows the query has.
  size_t MostChunksWaiting() const;
  // The most bytes of results that were ever waiting for the reader at once.
  size_t MostBytesWaiting() const;

  static constexpr size_t kChunksAhead = 2;

 private:
  static constexpr size_t kLanes = 2;

  struct Chunks {
    std::deque<pg::PgOutcome<pg::PgResult>> waiting;
    bool last_in = false;  // the last chunk is in `waiting` or was taken
  };

  // A query running on the caller's session through a cursor, a chunk per Take.
  struct CallerCursor {
    size_t index;
    std::string fetch;
  };

  // Reads the next reply in the caller's pipeline (the query at the front of `in_flight_`).
  pg::PgOutcome<pg::PgResult> ReadFront();
  // Claims queries[index] for the caller's session unless a session has claimed it (queries
  // before it that nobody claimed are skipped: the reader has moved past them).
  bool ClaimForCaller(size_t index);
  // Runs a claimed query on the caller's session: whole, or its first chunk through a cursor.
  void RunOnCaller(size_t index);
  // Fetches the next chunk of the caller's cursor into its query's chunks.
  void FetchOnCaller();
  // Under `mutex_`: adds a chunk of queries[index] for the reader.
  void AddChunk(size_t index, pg::PgOutcome<pg::PgResult> chunk, bool last);
  // Under `mutex_`: takes the oldest chunk waiting for queries[index] off the count.
  pg::PgOutcome<pg::PgResult> PopChunk(size_t index);
  // A lane: opens its session, imports the snapshot, takes queries until none is left.
  void RunLane(const pg::Connection::Settings& settings, int caller_backend_pid,
               const LaneOptions& options);
  // Runs queries[index] on a lane's session, chunk by chunk when it asks for that.
  void RunOnLane(pg::Connection& session, size_t index);
  // Hands a chunk to the reader, first waiting while kChunksAhead of the query's chunks are
  // waiting and the chunk would take the bytes waiting past the allowance. False: nobody will
  // take it (the reader has moved past the query, or Finish ran).
  bool Deliver(size_t index, pg::PgOutcome<pg::PgResult> chunk, bool last);
  // Take() for the caller's pipeline: the query's one reply.
  std::optional<pg::PgOutcome<pg::PgResult>> TakeFromPipeline(size_t index);

  pg::Connection& connection_;
  const std::vector<LaneQuery>& queries_;
  std::atomic<size_t> next_{0};  // the next query nobody has claimed
  std::atomic<bool> stop_{false};
  std::atomic<int> lanes_began_{0};
  std::thread lanes_[kLanes];
  // A lane still connecting gives up once Finish writes to it ([1]); read end [0].
  int give_up_pipe_[2] = {-1, -1};

  // Shared with the lanes, under `mutex_`; `changed_` is notified on every change.
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Chunks> chunks_;  // by query
  size_t taking_ = 0;           // the query the reader is at: earlier ones are dropped
  int lanes_running_ = 0;       // lanes that have not ended
  size_t most_waiting_ = 0;
  size_t bytes_waiting_ = 0;
  size_t most_bytes_waiting_ = 0;
  size_t bytes_ahead_ = 0;

  // The caller's thread only:
  std::deque<size_t> in_flight_;  // sent in the caller's pipeline, not read yet
  std::optional<CallerCursor> caller_cursor_;
  bool with_lanes_ = false;
  bool caller_waits_ = false;
  bool caller_ran_ = false;
  bool pipelining_ = false;
  bool broken_ = false;  // a send failed: what was not sent runs on its own
  bool finished_ = false;
};

}  // namespace retort::catalog
