// What a long statement is doing, on one line of the log redrawn in place: the time it has run
// and PostgreSQL's own progress report for it (pg_stat_progress_create_index for CREATE INDEX
// and REINDEX, pg_stat_progress_cluster for CLUSTER and VACUUM FULL; a lock wait otherwise),
// read by a second session that polls the first one's backend.
//
// Threads: Watch starts one poller thread per statement and its destructor joins it, whichever
// way the statement ends (done, failed, cancelled). Only that thread writes to the log while
// the statement runs; the caller writes nothing between constructing and destroying the Watch
// (it is blocked in libpq), and the join orders the poller's writes before the caller's next.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "executor/live_line.h"
#include "pg/connection.h"

namespace retort::executor {

class StatementProgress {
 public:
  struct Display {
    // A statement done sooner shows nothing and opens no second session.
    std::chrono::milliseconds delay{1000};
    std::chrono::milliseconds interval{500};  // between two polls
    // A longer line would wrap on the terminal, and "\r" goes back to the start of its last
    // row only: lines are cut to this many bytes (at a UTF-8 character boundary).
    size_t width = 119;
  };

  // `session` is the connection that runs the statements (its settings are copied now, on the
  // caller's thread; the second session is opened by the poller when first needed). `line` shows
  // the progress, from the poller's thread, and is erased when the statement ends.
  StatementProgress(const pg::Connection& session, LiveLine& line, Display display);
  ~StatementProgress();
  StatementProgress(const StatementProgress&) = delete;
  StatementProgress& operator=(const StatementProgress&) = delete;

  // Shows the progress of the statement that runs while it lives.
  class Watch {
   public:
    ~Watch();
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;

   private:
    friend class StatementProgress;
    Watch(StatementProgress& owner, std::string label);
    void Poll();

    StatementProgress& owner_;
    const std::string label_;
    const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::mutex mutex_;
    std::condition_variable stopped_changed_;
    bool stopped_ = false;  // guarded by mutex_
    std::thread poller_;    // last: started once everything above is set
  };
  // `label` names the statement ("statement 2 of 3 (file.sql:12)").
  std::unique_ptr<Watch> Start(std::string label);

 private:
  Result<pg::Connection::Settings> settings_;
  const int backend_pid_;
  LiveLine& line_;
  const Display display_;
  // The second session: used by one poller at a time (a Watch's thread; Watches never overlap),
  // kept for the next statement. Empty until first needed, and after it broke.
  std::optional<pg::Connection> poller_session_;
};

// "CREATE INDEX CONCURRENTLY: waiting for writers before build, lockers 0/1" from one row of
// the progress query (columns as StatementProgress reads them); "" when the row says nothing.
// Public for unit tests.
std::string DescribeProgress(const std::vector<std::optional<std::string>>& row);

}  // namespace retort::executor
