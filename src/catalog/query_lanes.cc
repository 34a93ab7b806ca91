#include "catalog/query_lanes.h"

#include <utility>

namespace retort::catalog {

QueryLanes::QueryLanes(pg::Connection& connection, const std::string& snapshot,
                       const std::string& session_setup,
                       const std::vector<std::string_view>& queries)
    : connection_(connection), queries_(queries), promises_(queries.size()) {
  futures_.reserve(queries.size());
  for (auto& promise : promises_) futures_.push_back(promise.get_future());
  first_ = std::thread([this] { RunLane(connection_); });
  if (!snapshot.empty()) {
    second_ =
        std::thread([this, snapshot, session_setup] { RunSecondLane(snapshot, session_setup); });
  }
}

QueryLanes::~QueryLanes() {
  stop_ = true;
  Wait();
}

void QueryLanes::RunLane(pg::Connection& session) {
  while (!stop_) {
    size_t index = next_.fetch_add(1);
    if (index >= queries_.size()) return;
    promises_[index].set_value(session.Execute(std::string(queries_[index])));
  }
}

void QueryLanes::RunSecondLane(const std::string& snapshot, const std::string& session_setup) {
  // Any failure here only means the first session runs every query.
  auto session = connection_.OpenAnother();
  if (!session.ok() || stop_) return;
  // A server that multiplexes clients onto one backend (PGlite's socket server) would run our
  // BEGIN inside the first session's transaction.
  if (session->BackendPid() == connection_.BackendPid()) return;
  auto began = session->Execute(
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT " +
      pg::QuoteLiteral(snapshot) + "; " + session_setup);
  if (!began.ok()) return;
  used_second_session_ = true;
  RunLane(*session);
  // Closing the session ends its read-only transaction.
}

pg::PgOutcome<pg::PgResult> QueryLanes::Take(size_t index) { return futures_.at(index).get(); }

void QueryLanes::Wait() {
  if (first_.joinable()) first_.join();
  if (second_.joinable()) second_.join();
}

}  // namespace retort::catalog
