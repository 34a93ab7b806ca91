// Runs a list of catalog queries ahead of the code that reads their rows. On a large schema the
// server's time is the catalog queries' own: two sessions that share the caller's snapshot run
// them on two server cores, taking the next query whenever they are free, while the reader
// processes the results already there. Alone (a small schema, or inside the caller's
// transaction), the caller's session takes them all at once in one pipeline.
//
// Threads: each lane session is opened, used and closed by the one thread this object starts
// for it; the caller's session is only ever used by the caller's thread. They share the claim
// counter and the lanes' results (promises), nothing else.
#pragma once

#include <atomic>
#include <cstddef>
#include <deque>
#include <future>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "pg/connection.h"

namespace retort::catalog {

class QueryLanes {
 public:
  // `connection` must be inside a transaction that exported snapshot `snapshot`
  // (pg_export_snapshot()); an empty `snapshot` runs every query on `connection` alone.
  // `session_setup` runs in the second session's transaction after the snapshot is imported
  // (SET LOCAL ...). Queries are claimed in list order by whichever session is ready for one, so
  // the first results are ready first. `queries` must outlive this object.
  QueryLanes(pg::Connection& connection, const std::string& snapshot,
             const std::string& session_setup, const std::vector<std::string_view>& queries);
  QueryLanes(const QueryLanes&) = delete;
  QueryLanes& operator=(const QueryLanes&) = delete;
  // Finish().
  ~QueryLanes();

  // The outcome of queries[index], once it is there. Indexes are taken in increasing order, each
  // once, from the thread that made this object.
  pg::PgOutcome<pg::PgResult> Take(size_t index);
  // Stops claiming queries, reads what the caller's session still has in flight and waits for
  // the lanes: `connection` is then out of pipeline mode and free for other queries.
  void Finish();
  // How many lane sessions took part (0: the caller's session ran every query).
  int Sessions() const { return sessions_; }

 private:
  static constexpr size_t kLanes = 2;

  // Reads the next reply in the caller's pipeline (the query at the front of `in_flight_`).
  pg::PgOutcome<pg::PgResult> ReadFront();
  // A lane: opens its session, imports the snapshot, takes queries until none is left.
  void RunLane(const pg::Connection::Settings& settings, int caller_backend_pid,
               const std::string& snapshot, const std::string& session_setup);

  pg::Connection& connection_;
  const std::vector<std::string_view>& queries_;
  std::vector<std::promise<pg::PgOutcome<pg::PgResult>>> promises_;
  std::vector<std::future<pg::PgOutcome<pg::PgResult>>> futures_;
  std::atomic<size_t> next_{0};  // the next query nobody has claimed
  std::atomic<bool> stop_{false};
  std::atomic<int> sessions_{0};       // lanes that got a session
  std::atomic<int> lanes_running_{0};  // lanes that have not ended
  std::thread lanes_[kLanes];
  // The caller's thread only:
  std::deque<size_t> in_flight_;  // sent in the caller's pipeline, not read yet
  bool pipelining_ = false;
  bool broken_ = false;  // a send failed: what was not sent runs on its own
  bool finished_ = false;
};

}  // namespace retort::catalog
