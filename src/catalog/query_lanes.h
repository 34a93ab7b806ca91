// Runs a list of catalog queries ahead of the code that reads their rows, on the caller's session
// and, when it can be opened, a second session that shares the caller's snapshot. On a large
// schema the server's time is the catalog queries' own; two sessions run them on two server
// cores, and the reader processes one result while later ones still run.
//
// Threads: the caller's session is only ever used by the caller's thread (Take sends the next
// queries on it in pipeline mode before waiting); the second session is opened, used and closed
// by the one thread this object starts. They share only the claim counter and the results of
// the second session's queries (promises).
#pragma once

#include <atomic>
#include <cstddef>
#include <deque>
#include <future>
#include <map>
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
  // the second session: `connection` is then out of pipeline mode and free for other queries.
  void Finish();
  // Whether the second session took part (for tests and timing logs).
  bool UsedSecondSession() const { return used_second_session_; }

 private:
  // Queries in flight on the caller's session while the second one runs: one running, one
  // waiting behind it, so that session never waits for the reader.
  static constexpr size_t kAheadWithSecondSession = 2;

  // Gives queries[index], claimed, to the caller's session: sent in its pipeline, or run now
  // when it has none.
  void Claim(size_t index);
  // Claims queries for the caller's session and sends them, up to `ahead_` in flight.
  void SendAhead();
  // Reads the next reply on the caller's session (the query at the front of `in_flight_`).
  pg::PgOutcome<pg::PgResult> ReadFront();
  void RunSecondLane(const pg::Connection::Settings& settings, int first_backend_pid,
                     const std::string& snapshot, const std::string& session_setup);

  pg::Connection& connection_;
  const std::vector<std::string_view>& queries_;
  std::vector<std::promise<pg::PgOutcome<pg::PgResult>>> promises_;  // the second session's
  std::vector<std::future<pg::PgOutcome<pg::PgResult>>> futures_;
  std::atomic<size_t> next_{0};  // the next query nobody has claimed
  std::atomic<bool> stop_{false};
  std::atomic<bool> used_second_session_{false};
  // The caller's thread only:
  std::vector<bool> on_first_;  // claimed by the caller's session
  std::deque<size_t> in_flight_;
  std::map<size_t, pg::PgOutcome<pg::PgResult>> ready_;  // run without a pipeline, not taken yet
  size_t ahead_ = 0;
  bool pipelining_ = false;
  bool broken_ = false;  // a send failed: the replies in flight read as errors
  bool finished_ = false;
  std::thread second_;
};

}  // namespace retort::catalog
