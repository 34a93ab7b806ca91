// The migration lock: a session-level advisory lock held on a dedicated connection.
//
// Session level and on its own connection so that it is never part of a migration's
// transaction. Waiting is done with pg_try_advisory_lock between LISTEN wake-ups, never inside
// a blocking pg_advisory_lock() call: a blocked statement holds a snapshot, and CREATE INDEX
// CONCURRENTLY in the holder's migration waits for every older snapshot, so a queued deployer
// would stall the very migration it is waiting for.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "pg/connection.h"

namespace retort::pg {

class AdvisoryLock {
 public:
  // Connects and waits up to `wait_ms` for the lock keyed by `name` (e.g. the qualified version
  // table). On timeout the Failed status names the holder: pid, application_name, client and
  // since when it has been connected.
  static Result<AdvisoryLock> Acquire(const std::string& conninfo, const std::string& name,
                                      long wait_ms, const std::string& application_name);

  AdvisoryLock(AdvisoryLock&& other) noexcept;
  AdvisoryLock& operator=(AdvisoryLock&&) = delete;
  AdvisoryLock(const AdvisoryLock&) = delete;
  AdvisoryLock& operator=(const AdvisoryLock&) = delete;
  // Unlocks and wakes the waiters. A crash releases the lock too (the session ends), and the
  // waiters' periodic retry covers the missing wake-up.
  ~AdvisoryLock();

  // Describes who holds the lock named `name`, or "" when nobody does.
  static std::string DescribeHolder(Connection& connection, const std::string& name);

  // PL/pgSQL statements (for a DO block) that fail the transaction unless this lock is still
  // held by its session. A session can lose the lock without the holder noticing
  // (pg_terminate_backend, a server-side timeout, a restarted pooler); a migration's transaction
  // runs this first (in the DO block of VersionStore::GuardSql), so that a migrator that lost
  // its lock stops before its next step instead of running beside the one that took it over.
  std::string GuardCheck() const;
  int holder_pid() const { return holder_pid_; }

 private:
  AdvisoryLock(Connection connection, std::string name, int64_t token)
      : connection_(std::move(connection)),
        name_(std::move(name)),
        holder_pid_(connection_.BackendPid()),
        token_(token),
        held_(true) {}
  Connection connection_;
  std::string name_;
  int holder_pid_ = 0;
  int64_t token_ = 0;  // the key of the lock that GuardCheck tests (one-key form)
  bool held_ = false;
};

}  // namespace retort::pg
