#include "catalog/query_lanes.h"

#include <chrono>
#include <utility>

namespace retort::catalog {

QueryLanes::QueryLanes(pg::Connection& connection, const std::string& snapshot,
                       const std::string& session_setup,
                       const std::vector<std::string_view>& queries)
    : connection_(connection), queries_(queries), promises_(queries.size()) {
  futures_.reserve(queries.size());
  for (auto& promise : promises_) futures_.push_back(promise.get_future());
  if (!snapshot.empty()) {
    Result<pg::Connection::Settings> settings = connection_.SettingsForAnother();
    if (settings.ok()) {
      lanes_running_ = kLanes;
      for (std::thread& lane : lanes_) {
        lane = std::thread([this, settings = *settings, pid = connection_.BackendPid(), snapshot,
                            session_setup] { RunLane(settings, pid, snapshot, session_setup); });
      }
      return;
    }
  }
  // Alone, the caller's session takes every query at once: the server runs them back to back
  // while the reader works through the replies.
  pipelining_ = connection_.EnterPipeline();
  while (pipelining_ && !broken_) {
    size_t index = next_.fetch_add(1);
    if (index >= queries_.size()) break;
    in_flight_.push_back(index);
    if (!connection_.SendPipelined(queries_[index])) broken_ = true;
  }
}

QueryLanes::~QueryLanes() { Finish(); }

pg::PgOutcome<pg::PgResult> QueryLanes::ReadFront() {
  in_flight_.pop_front();
  return connection_.ReadPipelined();
}

pg::PgOutcome<pg::PgResult> QueryLanes::Take(size_t index) {
  if (pipelining_) {
    // Replies come in the order sent, and Take goes in increasing order: any reply before this
    // one belongs to a query nobody will take.
    while (!in_flight_.empty() && in_flight_.front() < index) (void)ReadFront();
    if (!in_flight_.empty() && in_flight_.front() == index) return ReadFront();
    // Not sent: the pipeline broke before it, and nothing is in flight any more. This query and
    // the ones after it run on their own round trips below, which say why they fail; those
    // cannot run in pipeline mode (libpq refuses, with an error that names pipeline mode
    // instead of the cause).
    connection_.ExitPipeline();
    pipelining_ = false;
  }
  std::future<pg::PgOutcome<pg::PgResult>>& future = futures_.at(index);
  // The lanes set it; the wait ends as soon as one does. Only when every lane has ended without
  // claiming it (none could open its session) does the caller's session run it, and any before it.
  auto lanes_running = [this] { return lanes_running_.load() > 0; };
  while (future.wait_for(std::chrono::milliseconds(lanes_running() ? 5 : 0)) !=
         std::future_status::ready) {
    if (lanes_running()) continue;
    while (next_.load() <= index) {
      size_t claimed = next_.fetch_add(1);
      if (claimed >= queries_.size()) break;
      promises_[claimed].set_value(connection_.Execute(std::string(queries_[claimed])));
    }
  }
  return future.get();
}

void QueryLanes::Finish() {
  if (finished_) return;
  finished_ = true;
  stop_ = true;
  while (!in_flight_.empty()) (void)ReadFront();
  if (pipelining_) connection_.ExitPipeline();
  pipelining_ = false;
  for (std::thread& lane : lanes_) {
    if (lane.joinable()) lane.join();
  }
}

void QueryLanes::RunLane(const pg::Connection::Settings& settings, int caller_backend_pid,
                         const std::string& snapshot, const std::string& session_setup) {
  auto run = [&] {
    auto session = pg::Connection::Open(settings);
    if (!session.ok() || stop_) return;
    // A server that multiplexes clients onto one backend (PGlite's socket server) would run our
    // BEGIN inside the caller's transaction.
    if (session->BackendPid() == caller_backend_pid) return;
    auto began = session->Execute(
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT " +
        pg::QuoteLiteral(snapshot) + "; " + session_setup);
    if (!began.ok()) return;
    ++sessions_;
    while (!stop_) {
      size_t index = next_.fetch_add(1);
      if (index >= queries_.size()) return;
      promises_[index].set_value(session->Execute(std::string(queries_[index])));
    }
    // Closing the session ends its read-only transaction.
  };
  run();
  --lanes_running_;
}

}  // namespace retort::catalog
