// Runs a list of catalog queries ahead of the code that reads their rows. On a large schema the
// server's time is the catalog queries' own: two sessions that share the caller's snapshot run
// them on two server cores, taking the next query whenever they are free, while the reader
// processes the results already there. Alone (a small schema, or inside the caller's
// transaction), the caller's session takes them all at once in one pipeline.
//
// Memory: the lanes run ahead of the reader, so without a bound every result would sit in memory
// at once, and libpq holds 16 bytes per field and row besides the values (columns.sql alone came
// to 150 MB at 10,000 wide tables). A query with `rows_per_fetch` is read on a lane through a
// cursor, that many rows at a time, and a lane that has kChunksAhead chunks waiting for the reader
// waits for it before fetching more.
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
  // > 0: a lane fetches the rows through a cursor, this many at a time. The caller's own session
  // reads them whole (it only runs alone on a small catalog, or inside the caller's transaction).
  int rows_per_fetch = 0;
};

class QueryLanes {
 public:
  // `connection` must be inside a transaction that exported snapshot `snapshot`
  // (pg_export_snapshot()); an empty `snapshot` runs every query on `connection` alone.
  // `session_setup` runs in the second session's transaction after the snapshot is imported
  // (SET LOCAL ...). Queries are claimed in list order by whichever session is ready for one, so
  // the first results are ready first. `queries` must outlive this object.
  QueryLanes(pg::Connection& connection, const std::string& snapshot,
             const std::string& session_setup, const std::vector<LaneQuery>& queries);
  QueryLanes(const QueryLanes&) = delete;
  QueryLanes& operator=(const QueryLanes&) = delete;
  // Finish().
  ~QueryLanes();

  // The next chunk of queries[index]'s rows, once it is there; nullopt when every chunk has been
  // taken. A query read whole comes as one chunk, a failed one as one failed outcome (after the
  // chunks before the failure). Indexes are taken in increasing order from the thread that made
  // this object; taking a later index drops what is left of earlier ones.
  std::optional<pg::PgOutcome<pg::PgResult>> Take(size_t index);
  // Stops claiming queries, reads what the caller's session still has in flight and waits for
  // the lanes: `connection` is then out of pipeline mode and free for other queries.
  void Finish();
  // How many lane sessions took part (0: the caller's session ran every query).
  int Sessions() const { return sessions_; }
  // The most chunks of one query that were ever waiting for the reader at once: at most
  // kChunksAhead, however many rows the query has.
  size_t MostChunksWaiting() const;

  static constexpr size_t kChunksAhead = 2;

 private:
  static constexpr size_t kLanes = 2;

  struct Chunks {
    std::deque<pg::PgOutcome<pg::PgResult>> waiting;
    bool last_in = false;  // the last chunk is in `waiting` or was taken
  };

  // Reads the next reply in the caller's pipeline (the query at the front of `in_flight_`).
  pg::PgOutcome<pg::PgResult> ReadFront();
  // A lane: opens its session, imports the snapshot, takes queries until none is left.
  void RunLane(const pg::Connection::Settings& settings, int caller_backend_pid,
               const std::string& snapshot, const std::string& session_setup);
  // Runs queries[index] on a lane's session, chunk by chunk when it asks for that.
  void RunOnLane(pg::Connection& session, size_t index);
  // Hands a chunk to the reader, first waiting while kChunksAhead of the query's chunks are
  // waiting. False: nobody will take it (the reader has moved past the query, or Finish ran).
  bool Deliver(size_t index, pg::PgOutcome<pg::PgResult> chunk, bool last);
  // Take() for the caller's pipeline: the query's one reply.
  std::optional<pg::PgOutcome<pg::PgResult>> TakeFromPipeline(size_t index);

  pg::Connection& connection_;
  const std::vector<LaneQuery>& queries_;
  std::atomic<size_t> next_{0};  // the next query nobody has claimed
  std::atomic<bool> stop_{false};
  std::atomic<int> sessions_{0};  // lanes that got a session
  std::thread lanes_[kLanes];

  // Shared with the lanes, under `mutex_`; `changed_` is notified on every change.
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Chunks> chunks_;  // by query
  size_t taking_ = 0;           // the query the reader is at: earlier ones are dropped
  int lanes_running_ = 0;       // lanes that have not ended
  size_t most_waiting_ = 0;

  // The caller's thread only:
  std::deque<size_t> in_flight_;  // sent in the caller's pipeline, not read yet
  bool pipelining_ = false;
  bool broken_ = false;  // a send failed: what was not sent runs on its own
  bool finished_ = false;
};

}  // namespace retort::catalog
