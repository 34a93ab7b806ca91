// Runs a list of catalog queries ahead of the code that reads their rows, in background threads,
// on the caller's session and, when it can be opened, a second session that shares the caller's
// snapshot. On a large schema the server's time is the catalog queries' own; two sessions run
// them on two server cores, and the reader processes one result while later ones still run.
#pragma once

#include <atomic>
#include <cstddef>
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
  // (SET LOCAL ...). Queries are taken in list order by whichever session is free, so the
  // first results are ready first. `queries` must outlive this object.
  QueryLanes(pg::Connection& connection, const std::string& snapshot,
             const std::string& session_setup, const std::vector<std::string_view>& queries);
  QueryLanes(const QueryLanes&) = delete;
  QueryLanes& operator=(const QueryLanes&) = delete;
  // Stops handing out queries and waits for the running ones.
  ~QueryLanes();

  // The outcome of queries[index], once it is there. Each index may be taken once.
  pg::PgOutcome<pg::PgResult> Take(size_t index);
  // Waits until both sessions are done; `connection` is then the caller's again.
  void Wait();
  // Whether the second session took part (for tests and timing logs).
  bool UsedSecondSession() const { return used_second_session_; }

 private:
  void RunLane(pg::Connection& session);
  void RunSecondLane(const pg::Connection::Settings& settings, int first_backend_pid,
                     const std::string& snapshot, const std::string& session_setup);

  pg::Connection& connection_;
  const std::vector<std::string_view>& queries_;
  std::vector<std::promise<pg::PgOutcome<pg::PgResult>>> promises_;
  std::vector<std::future<pg::PgOutcome<pg::PgResult>>> futures_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::atomic<bool> used_second_session_{false};
  std::thread first_;
  std::thread second_;
};

}  // namespace retort::catalog
