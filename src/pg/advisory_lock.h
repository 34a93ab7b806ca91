// The migration lock: a session-level advisory lock held on a dedicated connection.
//
// Session level and on its own connection so that it is never part of a migration's
// transaction: CREATE INDEX CONCURRENTLY waits for every transaction that could see the table,
// and would deadlock against a lock taken inside one.
#pragma once

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

  AdvisoryLock(AdvisoryLock&&) noexcept = default;
  AdvisoryLock& operator=(AdvisoryLock&&) noexcept = default;
  // Closing the connection releases the lock even if the unlock call fails.
  ~AdvisoryLock() = default;

  // Describes who holds the lock named `name`, or "" when nobody does.
  static std::string DescribeHolder(Connection& connection, const std::string& name);

 private:
  explicit AdvisoryLock(Connection connection) : connection_(std::move(connection)) {}
  Connection connection_;
};

}  // namespace retort::pg
