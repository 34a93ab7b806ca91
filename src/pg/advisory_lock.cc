#include "pg/advisory_lock.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>

namespace retort::pg {

namespace {

using Clock = std::chrono::steady_clock;

// Wake-ups come by NOTIFY; this bounds the wait when a holder died without sending one.
constexpr long kRetryIntervalMs = 250;
constexpr char kChannel[] = "retort_lock_released";

// Two-key form: a fixed class for retort, the object from the name. Keeps us clear of
// applications that use the one-key form.
std::string LockKeys(const std::string& name) {
  return "hashtext('retort'), hashtext(" + QuoteLiteral(name) + ")";
}

// A positive 63-bit key for the one-key form, unique to one holder.
int64_t RandomToken() {
  std::random_device random;
  uint64_t high = random();
  uint64_t low = random();
  return static_cast<int64_t>(((high << 32) | low) >> 1);
}

// The pg_locks row of the two-key form of LockKeys(name).
std::string LockRowCondition(const std::string& name) {
  return "l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
         "AND l.classid = (hashtext('retort')::bigint & 4294967295)::oid "
         "AND l.objid = (hashtext(" +
         QuoteLiteral(name) + ")::bigint & 4294967295)::oid";
}

// The lock session must outlive any pause of ours: a server-side idle timeout that ended it
// would free the lock for a second migrator while this one carries on. Set before the first
// try, in the same round trip.
std::string KeepAliveSql(const Connection& connection) {
  std::string sql = "SET statement_timeout = 0; SET idle_in_transaction_session_timeout = 0; ";
  if (connection.ServerVersion() >= 140000) sql += "SET idle_session_timeout = 0; ";
  return sql;
}

}  // namespace

std::string AdvisoryLock::DescribeHolder(Connection& connection, const std::string& name) {
  auto outcome = connection.Execute(
      "SELECT a.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local'), "
      "to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS\"Z\"'), "
      "round(extract(epoch FROM now() - a.backend_start))::bigint, coalesce(a.usename, '') "
      "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE " +
      LockRowCondition(name));
  if (!outcome.ok() || outcome.value->rows() == 0) return "";
  const PgResult& row = *outcome.value;
  return "pid " + row.Get(0, 0) + " (application_name '" + row.Get(0, 1) + "', user '" +
         row.Get(0, 5) + "', client " + row.Get(0, 2) + ", connected since " + row.Get(0, 3) +
         ", " + row.Get(0, 4) + "s ago)";
}

Result<AdvisoryLock> AdvisoryLock::Acquire(const std::string& conninfo, const std::string& name,
                                           long wait_ms, const std::string& application_name) {
  RETORT_ASSIGN_OR_RETURN(Connection connection, Connection::Open(conninfo, application_name));
  // With the lock, the session also takes a lock of its own, on a random key that no other
  // session uses: GuardCheck tests that one, which costs a lookup in the lock table, where
  // reading pg_locks for the holder's pid copies the whole table (a tenth of a millisecond per
  // migration). The session holds both until it unlocks or ends, which frees both.
  int64_t token = RandomToken();
  std::string try_lock = "SELECT CASE WHEN pg_try_advisory_lock(" + LockKeys(name) +
                         ") THEN pg_try_advisory_lock(" + std::to_string(token) +
                         ") ELSE false END";
  std::string first_try = KeepAliveSql(connection) + try_lock;
  auto deadline = Clock::now() + std::chrono::milliseconds(std::max(0L, wait_ms));
  bool listening = false;
  while (true) {
    auto outcome = connection.Execute(first_try.empty() ? try_lock : first_try);
    first_try.clear();
    if (!outcome.ok()) {
      return outcome.error.ToStatus("cannot take the migration lock: ");
    }
    if (outcome.value->Get(0, 0) == "t") {
      if (listening) (void)connection.Execute(std::string("UNLISTEN ") + kChannel);
      return AdvisoryLock(std::move(connection), name, token);
    }
    long remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (remaining <= 0) break;
    if (!listening) {
      // Listen, then retry at once: a release between the first try and LISTEN is not lost.
      auto listened = connection.Execute(std::string("LISTEN ") + kChannel);
      if (!listened.ok()) {
        return listened.error.ToStatus("cannot wait for the migration lock: ");
      }
      listening = true;
      continue;
    }
    connection.WaitForNotification(std::min(remaining, kRetryIntervalMs));
  }
  std::string holder = DescribeHolder(connection, name);
  return Status::Failed(
      "another migration is running: gave up waiting for the migration lock "
      "after " +
      std::to_string(wait_ms) + " ms; it is held by " +
      (holder.empty() ? std::string("a session that has since ended") : holder) +
      " (use --lock-wait to wait longer)");
}

AdvisoryLock::AdvisoryLock(AdvisoryLock&& other) noexcept
    : connection_(std::move(other.connection_)),
      name_(std::move(other.name_)),
      holder_pid_(other.holder_pid_),
      token_(other.token_),
      held_(other.held_) {
  other.held_ = false;
}

std::string AdvisoryLock::GuardCheck() const {
  std::string pid = std::to_string(holder_pid_);
  // The shared try fails exactly while the holder's session keeps its exclusive token lock; when
  // it succeeds, the error ends the transaction, which frees it again. A server that runs every
  // client on one backend (PGlite's socket server) has the holder's pid here too: its own locks
  // never conflict with it, and that backend ending would end this transaction as well.
  return "IF pg_backend_pid() <> " + pid + " THEN IF pg_try_advisory_xact_lock_shared(" +
         std::to_string(token_) +
         ") THEN RAISE EXCEPTION 'retort: the migration lock was lost: its session (pid " + pid +
         ") ended or released it, so another migrator may be running' USING HINT = 'nothing "
         "of this step ran; run the command again (the lock session is closed by "
         "pg_terminate_backend, by a pooler, or by a server timeout)'; END IF; END IF;";
}

AdvisoryLock::~AdvisoryLock() {
  if (!held_) return;
  (void)connection_.Execute("SELECT pg_advisory_unlock(" + LockKeys(name_) + "); NOTIFY " +
                            kChannel);
}

}  // namespace retort::pg
