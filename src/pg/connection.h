// The only place that includes libpq-fe.h. Move-only RAII handles for connections and results,
// and PgError, which keeps everything the server said about a failure.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

struct pg_conn;
struct pg_result;

namespace retort::pg {

// A failed statement as the server reported it (libpqxx's sql_error, with SQLSTATE kept).
struct PgError {
  std::string sqlstate;  // e.g. "55P03" lock_not_available; empty for connection failures
  std::string message;   // primary message
  std::string detail;
  std::string hint;
  std::string context;
  int position = 0;  // 1-based character position in the statement, 0 when unknown

  // "ERROR:  message\nDETAIL: ...\nHINT: ..." as psql prints it.
  std::string ToString() const;
  // Status::Failed with `prefix` then ToString() as its message, keeping the SQLSTATE, detail,
  // hint and position apart.
  Status ToStatus(const std::string& prefix = "") const;
};

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(pg_result* result);

  int rows() const;
  int columns() const;
  std::string ColumnName(int column) const;
  bool IsNull(int row, int column) const;
  std::string Get(int row, int column) const;  // "" for NULL
  // The cell without a copy, valid as long as this result lives; "" for NULL.
  std::string_view View(int row, int column) const;
  std::optional<std::string> GetOptional(int row, int column) const;
  long AffectedRows() const;  // from the command tag; 0 when none
  // What libpq holds for this result, in bytes (PQresultMemorySize).
  size_t MemorySize() const;

 private:
  struct Deleter {
    void operator()(pg_result* result) const;
  };
  std::unique_ptr<pg_result, Deleter> result_;
};

// A query outcome: rows, or the server's error.
template <typename T>
struct PgOutcome {
  std::optional<T> value;
  PgError error;
  bool ok() const { return value.has_value(); }
};

class Connection {
 public:
  // Connects with a libpq conninfo string or URI. The error never contains the password.
  static Result<Connection> Open(const std::string& conninfo,
                                 const std::string& application_name = "retort");
  // The same server as `conninfo`, but database `dbname` (scratch databases of a dev server).
  static Result<Connection> OpenDatabase(const std::string& conninfo, const std::string& dbname,
                                         const std::string& application_name = "retort");
  // Another session as the same user to the same server and database as this one (the host
  // it reached, when the conninfo listed several), e.g. to read the catalog in parallel.
  Result<Connection> OpenAnother() const;
  // OpenAnother in two halves, for a caller that connects on another thread while this session
  // keeps running queries: a libpq connection may be used by one thread at a time, so its
  // settings are copied out (no I/O) on the thread that uses it, and Open() dials from anywhere.
  struct Settings {
    std::vector<std::pair<std::string, std::string>> keywords;  // libpq keyword, value
  };
  Result<Settings> SettingsForAnother() const;
  static Result<Connection> Open(const Settings& settings);
  // Open(settings) that gives up as soon as `give_up_fd` is readable, however long the server
  // takes to answer (one that accepts connections and then holds them, like PGlite's socket
  // server with a session open, or a saturated pooler). Ignores connect_timeout.
  static Result<Connection> Open(const Settings& settings, int give_up_fd);

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements (simple query protocol). Returns the last result's rows.
  PgOutcome<PgResult> Execute(const std::string& sql);
  // Runs one statement with text parameters ($1, $2, ...), extended protocol.
  PgOutcome<PgResult> ExecuteParams(const std::string& sql,
                                    const std::vector<std::optional<std::string>>& params);

  // Pipeline mode by hand, for one thread that sends statements ahead of reading their replies:
  // each statement goes out with a sync of its own (one failing does not skip the next; inside
  // a transaction block it still aborts the transaction). Replies are read in the order sent.
  bool EnterPipeline();
  bool SendPipelined(std::string_view statement);
  PgOutcome<PgResult> ReadPipelined();
  void ExitPipeline();

  // Runs single statements (no parameters) in one round trip, each on its own: one failing
  // does not stop the others (each is followed by a sync). One outcome per statement, in order.
  std::vector<PgOutcome<PgResult>> ExecuteEach(const std::vector<std::string>& statements);

  // Sends `statements` (one statement each, no parameters) in pipeline mode: all of them go out
  // before the first reply is read, so they cost one round trip. The server stops at the first
  // error and skips the rest. Returns nothing when all ran, else the index of the statement that
  // failed (or, when the connection broke, the first one whose reply never came) and the error;
  // its position is within that statement. Statements that need a reply's data before the next
  // is sent, or COPY, do not belong here.
  struct PipelineFailure {
    size_t index = 0;
    PgError error;
  };
  std::optional<PipelineFailure> Pipeline(const std::vector<std::string_view>& statements);

  // Segments of statements in one pipeline, each ended by a sync, so that each is a unit the
  // server runs, or skips after an error, on its own. Up to `window` segments are sent ahead of
  // the one whose replies are being read, so the server never waits for the client between them.
  // `statements_of(i)` gives segment i's statements when it is about to be sent (they need to
  // stay valid during that call only), or nothing to stop before segment i. `before_reading(i)`
  // is called before blocking on segment i's replies, `completed(i)` once they all succeeded, in
  // order. After the first failure nothing more is sent; segments already sent are read and
  // dropped (the caller makes later segments fail on their own when an earlier one failed, as a
  // migration's guard does). Returns how many segments completed and the first failure.
  struct SegmentFailure {
    size_t segment = 0;
    PipelineFailure failure;
  };
  struct SegmentsOutcome {
    size_t completed = 0;
    std::optional<SegmentFailure> failure;
  };
  SegmentsOutcome PipelineSegments(
      size_t count, size_t window,
      const std::function<std::optional<std::vector<std::string_view>>(size_t)>& statements_of,
      const std::function<void(size_t)>& before_reading,
      const std::function<void(size_t)>& completed);

  // Convenience for internal bookkeeping queries: the error becomes Status::Failed.
  Result<PgResult> Query(const std::string& sql);
  Result<PgResult> QueryParams(const std::string& sql,
                               const std::vector<std::optional<std::string>>& params);

  int BackendPid() const;
  int ServerVersion() const;  // e.g. 150018
  std::string User() const;
  std::string Database() const;
  // Where we connected: "db on host:port" without credentials, safe to print.
  std::string Describe() const;
  // Connected over a Unix-domain socket or a loopback address: another session to the same
  // server costs about a millisecond, not network round trips and a TLS handshake.
  bool IsLocal() const;
  // Asks the server to cancel the running statement (from another thread).
  void Cancel();
  bool InTransaction() const;
  // Waits up to `timeout_ms` for a NOTIFY on a channel this session LISTENs to. True when one
  // arrived; false on timeout or a broken connection. Holds no snapshot while waiting.
  bool WaitForNotification(long timeout_ms);

 private:
  struct Deleter {
    void operator()(pg_conn* connection) const;
  };
  // Takes a connected session; its notices (NOTICE, WARNING) are not printed.
  explicit Connection(pg_conn* connection);

  std::unique_ptr<pg_conn, Deleter> connection_;
};

// Rolls back in its destructor unless Commit() succeeded (libpqxx's transaction_base).
class Transaction {
 public:
  static Result<Transaction> Begin(Connection& connection);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();

  PgOutcome<PgResult> Commit();
  void Rollback();

 private:
  explicit Transaction(Connection* connection) : connection_(connection) {}
  Connection* connection_;  // borrowed; null once finished
};

// Quotes an identifier / literal for SQL text.
std::string QuoteIdent(const std::string& identifier);
std::string QuoteLiteral(const std::string& literal);

}  // namespace retort::pg
