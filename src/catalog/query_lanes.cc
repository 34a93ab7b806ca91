#include "catalog/query_lanes.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

namespace retort::catalog {

namespace {

// The statements that read queries[index] through a cursor, rows_per_fetch rows at a time. The
// cursor lives in the transaction of the session that declares it.
struct Cursor {
  Cursor(const LaneQuery& query, size_t index)
      : declare("DECLARE retort_rows_" + std::to_string(index) + " NO SCROLL CURSOR FOR " +
                std::string(query.sql)),
        fetch("FETCH FORWARD " + std::to_string(query.rows_per_fetch) + " FROM retort_rows_" +
              std::to_string(index)) {}
  std::string declare;
  std::string fetch;
};

// A short chunk (or a failure) is a cursor's last.
bool LastChunk(const pg::PgOutcome<pg::PgResult>& chunk, const LaneQuery& query) {
  return !chunk.ok() || chunk.value->rows() < query.rows_per_fetch;
}

size_t Bytes(const pg::PgOutcome<pg::PgResult>& chunk) {
  return chunk.ok() ? chunk.value->MemorySize() : 0;
}

}  // namespace

QueryLanes::QueryLanes(pg::Connection& connection, LaneOptions lanes,
                       const std::vector<LaneQuery>& queries)
    : connection_(connection), queries_(queries), chunks_(queries.size()) {
  if (!lanes.snapshot.empty()) {
    Result<pg::Connection::Settings> settings =
        lanes.server ? Result<pg::Connection::Settings>(std::move(*lanes.server))
                     : connection_.SettingsForAnother();
    if (settings.ok() && pipe2(give_up_pipe_, O_CLOEXEC) == 0) {
      with_lanes_ = true;
      caller_waits_ = lanes.caller_waits;
      bytes_ahead_ = lanes.bytes_ahead;
      lanes_running_ = kLanes;
      for (std::thread& lane : lanes_) {
        lane = std::thread([this, settings = *settings, pid = connection_.BackendPid(), lanes] {
          RunLane(settings, pid, lanes);
        });
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
    caller_ran_ = true;
    if (!connection_.SendPipelined(queries_[index].sql)) broken_ = true;
  }
}

QueryLanes::~QueryLanes() {
  Finish();
  for (int end : give_up_pipe_) {
    if (end >= 0) close(end);
  }
}

pg::PgOutcome<pg::PgResult> QueryLanes::ReadFront() {
  in_flight_.pop_front();
  return connection_.ReadPipelined();
}

std::optional<pg::PgOutcome<pg::PgResult>> QueryLanes::TakeFromPipeline(size_t index) {
  // Replies come in the order sent, and Take goes in increasing order: any reply before this
  // one belongs to a query nobody will take.
  while (!in_flight_.empty() && in_flight_.front() < index) (void)ReadFront();
  if (!in_flight_.empty() && in_flight_.front() == index) return ReadFront();
  // Not sent: the pipeline broke before it, and nothing is in flight any more. This query and
  // the ones after it run on their own round trips, which say why they fail; those cannot run
  // in pipeline mode (libpq refuses, with an error that names pipeline mode instead of the
  // cause).
  connection_.ExitPipeline();
  pipelining_ = false;
  return std::nullopt;
}

std::optional<pg::PgOutcome<pg::PgResult>> QueryLanes::Take(size_t index) {
  std::unique_lock lock(mutex_);
  if (index != taking_) {
    for (size_t earlier = taking_; earlier < index; ++earlier) {
      while (!chunks_.at(earlier).waiting.empty()) (void)PopChunk(earlier);
    }
    taking_ = index;
    changed_.notify_all();  // a lane waiting to deliver an earlier query's chunk drops it
  }
  // A cursor the reader has moved past stays open until the transaction ends; nobody fetches it.
  if (caller_cursor_ && caller_cursor_->index < index) caller_cursor_.reset();
  Chunks& chunks = chunks_.at(index);
  if (pipelining_ && !chunks.last_in) {
    lock.unlock();
    std::optional<pg::PgOutcome<pg::PgResult>> reply = TakeFromPipeline(index);
    lock.lock();
    if (reply) AddChunk(index, std::move(*reply), true);
  }
  while (chunks.waiting.empty() && !chunks.last_in) {
    if (caller_cursor_ && caller_cursor_->index == index) {
      lock.unlock();
      FetchOnCaller();
      lock.lock();
    } else if ((!caller_waits_ || lanes_running_ == 0) && ClaimForCaller(index)) {
      lock.unlock();
      RunOnCaller(index);
      lock.lock();
    } else if (lanes_running_ > 0) {
      changed_.wait(lock);
    } else {
      // A lane claimed it and ended without its last chunk, which a lane only does after
      // Finish: say so instead of waiting for rows that cannot come.
      pg::PgOutcome<pg::PgResult> lost;
      lost.error.message = "the session reading this query ended before its last rows";
      AddChunk(index, std::move(lost), true);
    }
  }
  if (chunks.waiting.empty()) return std::nullopt;
  pg::PgOutcome<pg::PgResult> chunk = PopChunk(index);
  changed_.notify_all();  // room for the lane's next chunk
  return chunk;
}

bool QueryLanes::ClaimForCaller(size_t index) {
  size_t next = next_.load();
  while (next <= index) {
    if (next_.compare_exchange_weak(next, index + 1)) return true;
  }
  return false;
}

void QueryLanes::RunOnCaller(size_t index) {
  caller_ran_ = true;
  const LaneQuery& query = queries_[index];
  // Without lanes the caller's session may not be in a transaction block, which a cursor needs.
  if (query.rows_per_fetch <= 0 || !with_lanes_) {
    pg::PgOutcome<pg::PgResult> outcome = connection_.Execute(std::string(query.sql));
    std::lock_guard lock(mutex_);
    AddChunk(index, std::move(outcome), true);
    return;
  }
  Cursor cursor(query, index);
  auto declared = connection_.Execute(cursor.declare);
  if (!declared.ok()) {
    std::lock_guard lock(mutex_);
    AddChunk(index, std::move(declared), true);
    return;
  }
  caller_cursor_ = CallerCursor{index, std::move(cursor.fetch)};
  FetchOnCaller();
}

void QueryLanes::FetchOnCaller() {
  pg::PgOutcome<pg::PgResult> chunk = connection_.Execute(caller_cursor_->fetch);
  size_t index = caller_cursor_->index;
  bool last = LastChunk(chunk, queries_[index]);
  if (last) caller_cursor_.reset();
  std::lock_guard lock(mutex_);
  AddChunk(index, std::move(chunk), last);
}

void QueryLanes::AddChunk(size_t index, pg::PgOutcome<pg::PgResult> chunk, bool last) {
  Chunks& chunks = chunks_[index];
  bytes_waiting_ += Bytes(chunk);
  chunks.waiting.push_back(std::move(chunk));
  chunks.last_in = last;
  most_waiting_ = std::max(most_waiting_, chunks.waiting.size());
  most_bytes_waiting_ = std::max(most_bytes_waiting_, bytes_waiting_);
  changed_.notify_all();
}

pg::PgOutcome<pg::PgResult> QueryLanes::PopChunk(size_t index) {
  Chunks& chunks = chunks_[index];
  pg::PgOutcome<pg::PgResult> chunk = std::move(chunks.waiting.front());
  chunks.waiting.pop_front();
  bytes_waiting_ -= Bytes(chunk);
  return chunk;
}

size_t QueryLanes::MostChunksWaiting() const {
  std::lock_guard lock(mutex_);
  return most_waiting_;
}

size_t QueryLanes::MostBytesWaiting() const {
  std::lock_guard lock(mutex_);
  return most_bytes_waiting_;
}

void QueryLanes::Finish() {
  if (finished_) return;
  finished_ = true;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  if (give_up_pipe_[1] >= 0) {
    // Stays readable for every lane that polls it; a lane past connecting never reads it.
    char wake = 1;
    (void)!write(give_up_pipe_[1], &wake, 1);
  }
  while (!in_flight_.empty()) (void)ReadFront();
  if (pipelining_) connection_.ExitPipeline();
  pipelining_ = false;
  for (std::thread& lane : lanes_) {
    if (lane.joinable()) lane.join();
  }
}

bool QueryLanes::Deliver(size_t index, pg::PgOutcome<pg::PgResult> chunk, bool last) {
  std::unique_lock lock(mutex_);
  size_t bytes = Bytes(chunk);
  changed_.wait(lock, [&] {
    return stop_ || taking_ > index || chunks_[index].waiting.size() < kChunksAhead ||
           bytes_waiting_ + bytes <= bytes_ahead_;
  });
  if (stop_ || taking_ > index) return false;
  AddChunk(index, std::move(chunk), last);
  return true;
}

void QueryLanes::RunOnLane(pg::Connection& session, size_t index) {
  const LaneQuery& query = queries_[index];
  if (query.rows_per_fetch <= 0) {
    Deliver(index, session.Execute(std::string(query.sql)), true);
    return;
  }
  const Cursor cursor(query, index);
  auto declared = session.Execute(cursor.declare);
  if (!declared.ok()) {
    Deliver(index, std::move(declared), true);
    return;
  }
  while (!stop_) {
    pg::PgOutcome<pg::PgResult> chunk = session.Execute(cursor.fetch);
    bool last = LastChunk(chunk, query);
    if (!Deliver(index, std::move(chunk), last) || last) return;
  }
}

void QueryLanes::RunLane(const pg::Connection::Settings& settings, int caller_backend_pid,
                         const LaneOptions& options) {
  auto run = [&] {
    auto session = pg::Connection::Open(settings, give_up_pipe_[0]);
    if (!session.ok() || stop_) return;
    // A server that multiplexes clients onto one backend (PGlite's socket server) would run our
    // BEGIN inside the caller's transaction.
    if (session->BackendPid() == caller_backend_pid) return;
    auto began = session->Execute(
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT " +
        pg::QuoteLiteral(options.snapshot) + "; " + options.session_setup);
    if (!began.ok()) return;
    ++lanes_began_;
    while (!stop_) {
      size_t index = next_.fetch_add(1);
      if (index >= queries_.size()) break;
      RunOnLane(*session, index);
    }
    // Closing the session ends its read-only transaction.
  };
  run();
  {
    std::lock_guard lock(mutex_);
    --lanes_running_;
  }
  changed_.notify_all();
}

}  // namespace retort::catalog
