#include "pg/advisory_lock.h"

namespace retort::pg {

namespace {

constexpr char kLockNotAvailable[] = "55P03";

// Two-key form: a fixed class for retort, the object from the name. Keeps us clear of
// applications that use the one-key form.
std::string LockKeys(const std::string& name) {
  return "hashtext('retort'), hashtext(" + QuoteLiteral(name) + ")";
}

}  // namespace

std::string AdvisoryLock::DescribeHolder(Connection& connection, const std::string& name) {
  auto outcome = connection.Execute(
      "SELECT a.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local'), "
      "to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS\"Z\"'), "
      "round(extract(epoch FROM now() - a.backend_start))::bigint, coalesce(a.usename, '') "
      "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
      "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
      "AND l.classid = (hashtext('retort')::bigint & 4294967295)::oid "
      "AND l.objid = (hashtext(" +
      QuoteLiteral(name) + ")::bigint & 4294967295)::oid");
  if (!outcome.ok() || outcome.value->rows() == 0) return "";
  const PgResult& row = *outcome.value;
  return "pid " + row.Get(0, 0) + " (application_name '" + row.Get(0, 1) + "', user '" +
         row.Get(0, 5) + "', client " + row.Get(0, 2) + ", holding since " + row.Get(0, 3) +
         ", " + row.Get(0, 4) + "s ago)";
}

Result<AdvisoryLock> AdvisoryLock::Acquire(const std::string& conninfo, const std::string& name,
                                           long wait_ms, const std::string& application_name) {
  RETORT_ASSIGN_OR_RETURN(Connection connection, Connection::Open(conninfo, application_name));
  // The server does the waiting: pg_advisory_lock honours lock_timeout, so there is no polling
  // loop and the lock is granted in arrival order.
  std::string sql = "SET lock_timeout = " + std::to_string(wait_ms <= 0 ? 1 : wait_ms) +
                    "; SELECT pg_advisory_lock(" + LockKeys(name) + "); RESET lock_timeout";
  auto outcome = connection.Execute(sql);
  if (outcome.ok()) return AdvisoryLock(std::move(connection));
  if (outcome.error.sqlstate != kLockNotAvailable) {
    return Status::Failed("cannot take the migration lock: " + outcome.error.ToString());
  }
  std::string holder = DescribeHolder(connection, name);
  return Status::Failed("another migration is running: gave up waiting for the migration lock " +
                        std::string("after ") + std::to_string(wait_ms) + " ms; held by " +
                        (holder.empty() ? std::string("a session that has since ended") : holder) +
                        " (use --lock-wait to wait longer)");
}

}  // namespace retort::pg
