#include "catalog/query_lanes.h"

#include <utility>

namespace retort::catalog {

QueryLanes::QueryLanes(pg::Connection& connection, const std::string& snapshot,
                       const std::string& session_setup,
                       const std::vector<std::string_view>& queries)
    : connection_(connection),
      queries_(queries),
      promises_(queries.size()),
      on_first_(queries.size(), false) {
  futures_.reserve(queries.size());
  for (auto& promise : promises_) futures_.push_back(promise.get_future());
  // Alone, the caller's session takes every query at once: the server runs them back to back
  // while the reader works through the replies. Beside a second session it keeps only a few in
  // flight, so that the second one gets its share.
  ahead_ = queries.size();
  if (!snapshot.empty()) {
    Result<pg::Connection::Settings> settings = connection_.SettingsForAnother();
    if (settings.ok()) {
      ahead_ = kAheadWithSecondSession;
      second_ = std::thread(
          [this, settings = std::move(*settings), pid = connection_.BackendPid(), snapshot,
           session_setup] { RunSecondLane(settings, pid, snapshot, session_setup); });
    }
  }
  pipelining_ = connection_.EnterPipeline();
  SendAhead();
}

QueryLanes::~QueryLanes() { Finish(); }

pg::PgOutcome<pg::PgResult> QueryLanes::ReadFront() {
  in_flight_.pop_front();
  return connection_.ReadPipelined();
}

void QueryLanes::Claim(size_t index) {
  on_first_[index] = true;
  if (pipelining_ && !broken_) {
    in_flight_.push_back(index);
    if (!connection_.SendPipelined(queries_[index])) broken_ = true;
    return;
  }
  // No pipeline on this session: run it now; its reply waits for its turn.
  ready_.emplace(index, connection_.Execute(std::string(queries_[index])));
}

void QueryLanes::SendAhead() {
  while (pipelining_ && !broken_ && !stop_ && in_flight_.size() < ahead_) {
    size_t index = next_.fetch_add(1);
    if (index >= queries_.size()) return;
    Claim(index);
  }
}

pg::PgOutcome<pg::PgResult> QueryLanes::Take(size_t index) {
  SendAhead();
  // Not claimed yet (the caller's session has its own queries in flight, and the second one has
  // not got this far, or is gone): the caller's session claims it, and any before it.
  while (next_.load() <= index) {
    size_t claimed = next_.fetch_add(1);
    if (claimed >= queries_.size()) break;
    Claim(claimed);
  }
  if (!on_first_.at(index)) return futures_.at(index).get();
  if (auto ready = ready_.find(index); ready != ready_.end()) {
    pg::PgOutcome<pg::PgResult> outcome = std::move(ready->second);
    ready_.erase(ready);
    return outcome;
  }
  // Replies come in the order sent, and Take goes in increasing order: any reply before this
  // one belongs to a query nobody will take.
  while (!in_flight_.empty() && in_flight_.front() != index) (void)ReadFront();
  pg::PgOutcome<pg::PgResult> outcome = ReadFront();
  SendAhead();
  return outcome;
}

void QueryLanes::Finish() {
  if (finished_) return;
  finished_ = true;
  stop_ = true;
  while (!in_flight_.empty()) (void)ReadFront();
  ready_.clear();
  if (pipelining_) connection_.ExitPipeline();
  pipelining_ = false;
  if (second_.joinable()) second_.join();
}

void QueryLanes::RunSecondLane(const pg::Connection::Settings& settings, int first_backend_pid,
                               const std::string& snapshot, const std::string& session_setup) {
  // Any failure here only means the caller's session runs every query.
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
  while (!stop_) {
    size_t index = next_.fetch_add(1);
    if (index >= queries_.size()) return;
    promises_[index].set_value(session->Execute(std::string(queries_[index])));
  }
  // Closing the session ends its read-only transaction.
}

}  // namespace retort::catalog
