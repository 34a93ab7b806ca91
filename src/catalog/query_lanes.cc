#include "catalog/query_lanes.h"

#include <utility>

namespace retort::catalog {

QueryLanes::QueryLanes(pg::Connection& connection, const std::string& snapshot,
                       const std::string& session_setup,
                       const std::vector<std::string_view>& queries)
    : connection_(connection), queries_(queries), promises_(queries.size()) {
  futures_.reserve(queries.size());
  for (auto& promise : promises_) futures_.push_back(promise.get_future());
  // The first lane owns `connection` from its start: whatever the second lane needs from it is
  // read here, before that.
  if (!snapshot.empty()) {
    Result<pg::Connection::Settings> settings = connection_.SettingsForAnother();
    if (settings.ok()) {
      second_ = std::thread(
          [this, settings = std::move(*settings), pid = connection_.BackendPid(), snapshot,
           session_setup] { RunSecondLane(settings, pid, snapshot, session_setup); });
    }
  }
  first_ = std::thread([this] { RunLane(connection_); });
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

void QueryLanes::RunSecondLane(const pg::Connection::Settings& settings, int first_backend_pid,
                               const std::string& snapshot, const std::string& session_setup) {
  // Any failure here only means the first session runs every query.
  auto session = pg::Connection::Open(settings);
  if (!session.ok() || stop_) return;
  // A server that multiplexes clients onto one backend (PGlite's socket server) would run our
  // BEGIN inside the first session's transaction.
  if (session->BackendPid() == first_backend_pid) return;
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
