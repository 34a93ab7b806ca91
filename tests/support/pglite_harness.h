// Test harness for PGlite: PostgreSQL compiled to WebAssembly, run by node with the pgvector
// extension and served over the wire protocol (tests/pglite/server.mjs), so that libpq and the
// retort binary connect to it like to any server. It is how the pgvector example is tested:
// Debian packages no pgvector for its PostgreSQL.
//
// Each server is one node process with one in-memory database. Whatever database name a client
// asks for, it gets that one, and all clients share one session (pglite-socket multiplexes them
// onto PGlite's single backend): a server cannot hold scratch databases, and advisory locks
// exclude nobody. Tests that need two databases use two servers.
//
// When node or tests/pglite/node_modules (npm ci) is missing, tests skip locally with the reason
// and fail when CI=true, as with PgHarness.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace retort::testing {

class PgliteServer {
 public:
  // The process-wide server number `slot` (0, 1, ...), started on first use and stopped at exit.
  // Returns nullptr when it cannot run; it has then recorded a test failure (ADD_FAILURE) when
  // that must not be skipped -- CI=true, or node and the packages present but the server would
  // not start. Use RETORT_REQUIRE_PGLITE.
  static PgliteServer* Get(int slot = 0);
  static std::string UnavailableReason();
  static bool UnavailableIsFailure();

  PgliteServer(const PgliteServer&) = delete;
  PgliteServer& operator=(const PgliteServer&) = delete;

  // postgresql://postgres@127.0.0.1:<port>/postgres
  std::string Url() const;
  std::string ConnInfo() const;
  int port() const { return port_; }

  // Runs SQL (several statements allowed) and returns the last result's rows (cells as text,
  // NULL as "<null>"). A failure fails the calling test and returns an empty result.
  std::vector<std::vector<std::string>> Query(const std::string& sql);
  std::string Scalar(const std::string& sql);  // first cell of the first row, "" when none

  // Empties the database: drops every schema but the system ones (with everything in them,
  // extensions included) and recreates `public` as initdb makes it.
  void Reset();

 private:
  PgliteServer() = default;
  int port_ = 0;
  int pid_ = 0;
  int stdin_fd_ = -1;  // the server stops when this closes
  std::string log_path_;
  friend struct PgliteAccess;
};

// First line of a test body that needs PGlite server `slot`:
//   TEST(Pgvector, Upgrades) { RETORT_REQUIRE_PGLITE(server, 0); server->Reset(); ... }
// Declares `PgliteServer* var`; skips (or, where that must fail, returns after the recorded
// failure) when PGlite cannot run. Only usable in functions returning void.
#define RETORT_REQUIRE_PGLITE(var, slot)                                             \
  ::retort::testing::PgliteServer* var = ::retort::testing::PgliteServer::Get(slot); \
  if (var == nullptr) {                                                              \
    if (::retort::testing::PgliteServer::UnavailableIsFailure()) return;             \
    GTEST_SKIP() << "PGlite unavailable: "                                           \
                 << ::retort::testing::PgliteServer::UnavailableReason();            \
  }

}  // namespace retort::testing
