#include "pg/connection.h"

#include <libpq-fe.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <string_view>

#include "base/strings.h"

namespace retort::pg {

namespace {

std::string Field(const PGresult* result, int code) {
  const char* value = PQresultErrorField(result, code);
  return value ? value : "";
}

PgError ErrorFromResult(const PGresult* result, pg_conn* connection) {
  PgError error;
  if (result != nullptr) {
    error.sqlstate = Field(result, PG_DIAG_SQLSTATE);
    error.message = Field(result, PG_DIAG_MESSAGE_PRIMARY);
    error.detail = Field(result, PG_DIAG_MESSAGE_DETAIL);
    error.hint = Field(result, PG_DIAG_MESSAGE_HINT);
    error.context = Field(result, PG_DIAG_CONTEXT);
    std::string position = Field(result, PG_DIAG_STATEMENT_POSITION);
    if (!position.empty()) error.position = std::atoi(position.c_str());
  }
  if (error.message.empty()) error.message = std::string(Trim(PQerrorMessage(connection)));
  if (error.message.empty()) error.message = "unknown error";
  return error;
}

// In pipeline mode: the rest of one statement's results, up to the null that ends them.
void SkipRestOfResults(pg_conn* connection) {
  while (PGresult* rest = PQgetResult(connection)) PQclear(rest);
}

// In pipeline mode, after the last statement before a sync: up to the sync's own result (a
// broken connection gives null instead).
void SkipToSync(pg_conn* connection) {
  while (PGresult* raw = PQgetResult(connection)) {
    bool sync = PQresultStatus(raw) == PGRES_PIPELINE_SYNC;
    PQclear(raw);
    if (sync) break;
  }
}

PgOutcome<PgResult> Finish(PGresult* raw, pg_conn* connection) {
  PgOutcome<PgResult> outcome;
  ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY ||
      status == PGRES_COPY_IN || status == PGRES_COPY_OUT) {
    outcome.value.emplace(raw);
  } else {
    outcome.error = ErrorFromResult(raw, connection);
    PQclear(raw);
  }
  return outcome;
}

}  // namespace

std::string PgError::ToString() const {
  std::string text = "ERROR:  " + message;
  if (!sqlstate.empty()) text += " (SQLSTATE " + sqlstate + ")";
  if (!detail.empty()) text += "\nDETAIL:  " + detail;
  if (!hint.empty()) text += "\nHINT:  " + hint;
  if (!context.empty()) text += "\nCONTEXT:  " + context;
  return text;
}

Status PgError::ToStatus(const std::string& prefix) const {
  return Status::Failed(prefix + ToString(), ServerError{sqlstate, detail, hint, position});
}

PgResult::PgResult(pg_result* result) : result_(result) {}

void PgResult::Deleter::operator()(pg_result* result) const { PQclear(result); }

int PgResult::rows() const { return result_ ? PQntuples(result_.get()) : 0; }
int PgResult::columns() const { return result_ ? PQnfields(result_.get()) : 0; }
std::string PgResult::ColumnName(int column) const {
  const char* name = result_ ? PQfname(result_.get(), column) : nullptr;
  return name ? name : "";
}
bool PgResult::IsNull(int row, int column) const {
  return PQgetisnull(result_.get(), row, column) != 0;
}
std::string PgResult::Get(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<size_t>(PQgetlength(result_.get(), row, column)));
}
std::string_view PgResult::View(int row, int column) const {
  return std::string_view(PQgetvalue(result_.get(), row, column),
                          static_cast<size_t>(PQgetlength(result_.get(), row, column)));
}
std::optional<std::string> PgResult::GetOptional(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Get(row, column);
}
size_t PgResult::MemorySize() const { return result_ ? PQresultMemorySize(result_.get()) : 0; }
long PgResult::AffectedRows() const {
  if (!result_) return 0;
  const char* tuples = PQcmdTuples(result_.get());
  return (tuples && *tuples) ? std::atol(tuples) : 0;
}

void Connection::Deleter::operator()(pg_conn* connection) const { PQfinish(connection); }

Connection::Connection(pg_conn* connection) : connection_(connection) {
  PQsetNoticeProcessor(
      connection, [](void*, const char*) {}, nullptr);
}

Result<Connection> Connection::Open(const std::string& conninfo,
                                    const std::string& application_name) {
  return OpenDatabase(conninfo, "", application_name);
}

Result<Connection> Connection::OpenDatabase(const std::string& conninfo, const std::string& dbname,
                                            const std::string& application_name) {
  // fallback_application_name lets a user's own application_name (URL or PGAPPNAME) win. Only
  // the first dbname is expanded as a conninfo; a later one overrides the database it names.
  const char* keywords[] = {"dbname", "fallback_application_name",
                            dbname.empty() ? nullptr : "dbname", nullptr};
  const char* values[] = {conninfo.c_str(), application_name.c_str(), dbname.c_str(), nullptr};
  pg_conn* raw = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (raw == nullptr) return Status::Failed("cannot connect: out of memory");
  if (PQstatus(raw) != CONNECTION_OK) {
    // libpq's message names host and port, never the password -- except its URI parse errors,
    // which quote the whole URI. config/ rejects malformed URLs first; this is the backstop.
    std::string message = std::string(Trim(PQerrorMessage(raw)));
    PQfinish(raw);
    for (size_t at = message.find(conninfo); !conninfo.empty() && at != std::string::npos;
         at = message.find(conninfo, at)) {
      message.replace(at, conninfo.size(), "(the connection string)");
    }
    // libpq checks option values before it dials ("invalid port number", "invalid integer value
    // ... for connection option", "invalid sslmode value"): those are the user's typo, not a
    // failure of the server, and retrying will not help.
    if (StartsWith(message, "invalid ")) {
      return Status::InvalidInput("bad connection setting: " + message);
    }
    return Status::Failed("cannot connect to the database: " + message);
  }
  return Connection(raw);
}

Result<Connection> Connection::OpenAnother() const {
  RETORT_ASSIGN_OR_RETURN(Settings settings, SettingsForAnother());
  return Open(settings);
}

Result<Connection::Settings> Connection::SettingsForAnother() const {
  pg_conn* self = connection_.get();
  Settings settings;
  auto add = [&settings](const char* keyword, const char* value) {
    if (value == nullptr || *value == '\0') return;
    settings.keywords.emplace_back(keyword, value);
  };
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfo(self),
                                                                       &PQconninfoFree);
  if (!options) return Status::Failed("cannot connect: out of memory");
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    std::string_view keyword = option->keyword;
    if (keyword == "host" || keyword == "hostaddr" || keyword == "port" ||
        keyword == "application_name" || keyword == "fallback_application_name") {
      continue;
    }
    add(option->keyword, option->val);
  }
  // The server this session reached, not the list of candidates the conninfo may name.
  add("host", PQhost(self));
  add("hostaddr", PQhostaddr(self));
  add("port", PQport(self));
  add("application_name", PQparameterStatus(self, "application_name"));
  return settings;
}

namespace {

// Settings as the two null-terminated arrays libpq's *Params functions take; the strings stay
// owned by `settings`.
struct KeywordArrays {
  explicit KeywordArrays(const Connection::Settings& settings) {
    for (const auto& [keyword, value] : settings.keywords) {
      keywords.push_back(keyword.c_str());
      values.push_back(value.c_str());
    }
    keywords.push_back(nullptr);
    values.push_back(nullptr);
  }
  std::vector<const char*> keywords;
  std::vector<const char*> values;
};

Status AnotherSessionFailed(pg_conn* raw) {
  return Status::Failed("cannot open another session: " + std::string(Trim(PQerrorMessage(raw))));
}

}  // namespace

Result<Connection> Connection::Open(const Settings& settings) {
  KeywordArrays arrays(settings);
  std::unique_ptr<pg_conn, Deleter> raw(
      PQconnectdbParams(arrays.keywords.data(), arrays.values.data(), /*expand_dbname=*/0));
  if (raw == nullptr) return Status::Failed("cannot connect: out of memory");
  if (PQstatus(raw.get()) != CONNECTION_OK) return AnotherSessionFailed(raw.get());
  return Connection(raw.release());
}

Result<Connection> Connection::Open(const Settings& settings, int give_up_fd) {
  KeywordArrays arrays(settings);
  std::unique_ptr<pg_conn, Deleter> raw(
      PQconnectStartParams(arrays.keywords.data(), arrays.values.data(), /*expand_dbname=*/0));
  if (raw == nullptr) return Status::Failed("cannot connect: out of memory");
  if (PQstatus(raw.get()) == CONNECTION_BAD) return AnotherSessionFailed(raw.get());
  // libpq's protocol for a connection it does not block on: start as if the last poll asked to
  // write, wait for what each PQconnectPoll asks (its socket may change between hosts).
  PostgresPollingStatusType polling = PGRES_POLLING_WRITING;
  while (polling != PGRES_POLLING_OK) {
    if (polling == PGRES_POLLING_FAILED) return AnotherSessionFailed(raw.get());
    short wanted = polling == PGRES_POLLING_READING ? POLLIN : POLLOUT;
    pollfd waiting[2] = {{PQsocket(raw.get()), wanted, 0}, {give_up_fd, POLLIN, 0}};
    if (poll(waiting, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return Status::Failed(std::string("cannot open another session: poll: ") +
                            std::strerror(errno));
    }
    if (waiting[1].revents != 0) {
      return Status::Failed("cannot open another session: given up before the server answered");
    }
    polling = PQconnectPoll(raw.get());
  }
  return Connection(raw.release());
}

PgOutcome<PgResult> Connection::Execute(const std::string& sql) {
  // PQexec keeps only the last result of a multi-statement string, which is what we want.
  return Finish(PQexec(connection_.get(), sql.c_str()), connection_.get());
}

PgOutcome<PgResult> Connection::ExecuteParams(
    const std::string& sql, const std::vector<std::optional<std::string>>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) values.push_back(param ? param->c_str() : nullptr);
  return Finish(PQexecParams(connection_.get(), sql.c_str(), static_cast<int>(values.size()),
                             nullptr, values.data(), nullptr, nullptr, 0),
                connection_.get());
}

bool Connection::EnterPipeline() { return PQenterPipelineMode(connection_.get()) != 0; }

bool Connection::SendPipelined(std::string_view statement) {
  pg_conn* connection = connection_.get();
  std::string text(statement);
  return PQsendQueryParams(connection, text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) !=
             0 &&
         PQpipelineSync(connection) != 0;
}

PgOutcome<PgResult> Connection::ReadPipelined() {
  pg_conn* connection = connection_.get();
  PgOutcome<PgResult> outcome = Finish(PQgetResult(connection), connection);
  SkipRestOfResults(connection);
  SkipToSync(connection);
  return outcome;
}

void Connection::ExitPipeline() { (void)PQexitPipelineMode(connection_.get()); }

std::vector<PgOutcome<PgResult>> Connection::ExecuteEach(
    const std::vector<std::string>& statements) {
  std::vector<PgOutcome<PgResult>> outcomes(statements.size());
  if (statements.empty()) return outcomes;
  size_t sent = 0;
  if (EnterPipeline()) {
    for (const std::string& statement : statements) {
      if (!SendPipelined(statement)) break;
      ++sent;
    }
  }
  for (size_t i = 0; i < sent; ++i) outcomes[i] = ReadPipelined();
  for (size_t i = sent; i < statements.size(); ++i) {
    outcomes[i].error = ErrorFromResult(nullptr, connection_.get());
  }
  ExitPipeline();
  return outcomes;
}

std::optional<Connection::PipelineFailure> Connection::Pipeline(
    const std::vector<std::string_view>& statements) {
  SegmentsOutcome outcome = PipelineSegments(
      1, 1, [&](size_t) { return std::optional(statements); }, [](size_t) {}, [](size_t) {});
  if (!outcome.failure) return std::nullopt;
  return std::move(outcome.failure->failure);
}

Connection::SegmentsOutcome Connection::PipelineSegments(
    size_t count, size_t window,
    const std::function<std::optional<std::vector<std::string_view>>(size_t)>& statements_of,
    const std::function<void(size_t)>& before_reading,
    const std::function<void(size_t)>& completed) {
  pg_conn* connection = connection_.get();
  SegmentsOutcome outcome;
  // Results arrive in order, so the first failure read is the earliest, except that a send that
  // broke is noted before the replies of the segments ahead of it are read.
  auto fail = [&outcome](size_t segment, PipelineFailure failure) {
    if (!outcome.failure || segment < outcome.failure->segment) {
      outcome.failure = SegmentFailure{segment, std::move(failure)};
    }
  };
  auto broken = [connection](size_t index) {
    return PipelineFailure{index, ErrorFromResult(nullptr, connection)};
  };
  if (count == 0) return outcome;
  if (PQenterPipelineMode(connection) == 0) {
    fail(0, broken(0));
    return outcome;
  }
  window = std::max<size_t>(window, 1);
  struct InFlight {
    size_t statements = 0;  // sent
    bool synced = false;
  };
  std::deque<InFlight> in_flight;  // the segments sent and not yet read
  size_t next = 0;                 // the next segment to send
  bool stopped = false;            // nothing more is sent
  std::string text;
  auto send = [&]() {
    std::optional<std::vector<std::string_view>> statements = statements_of(next);
    if (!statements) {
      stopped = true;
      return;
    }
    size_t sent = 0;
    for (std::string_view statement : *statements) {
      text.assign(statement);
      if (PQsendQueryParams(connection, text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) ==
          0) {
        break;
      }
      ++sent;
    }
    // A segment that was only partly sent still ends with a sync, so the replies of what went
    // out can be read and the session leaves pipeline mode in a known state.
    bool synced = PQpipelineSync(connection) != 0;
    in_flight.push_back(InFlight{sent, synced});
    if (sent < statements->size() || !synced) {
      fail(next, broken(sent));
      stopped = true;
    }
    ++next;
  };
  for (size_t reading = 0; reading < count; ++reading) {
    while (!stopped && !outcome.failure && next < count && next < reading + window) send();
    if (in_flight.empty()) break;
    // No failure in this segment or before it (fail() keeps the earliest, and the first within
    // a segment).
    auto ok_so_far = [&] { return !outcome.failure || outcome.failure->segment > reading; };
    if (ok_so_far()) before_reading(reading);
    InFlight segment = in_flight.front();
    in_flight.pop_front();
    bool broke = false;
    for (size_t i = 0; i < segment.statements && !broke; ++i) {
      PGresult* raw = PQgetResult(connection);
      if (raw == nullptr) {
        fail(reading, broken(i));
        broke = true;
        continue;
      }
      if (PQresultStatus(raw) == PGRES_FATAL_ERROR) {
        fail(reading, PipelineFailure{i, ErrorFromResult(raw, connection)});
      }
      PQclear(raw);
      SkipRestOfResults(connection);
    }
    if (segment.synced) SkipToSync(connection);
    if (ok_so_far()) {
      ++outcome.completed;
      completed(reading);
    }
  }
  (void)PQexitPipelineMode(connection);
  return outcome;
}

Result<PgResult> Connection::Query(const std::string& sql) {
  auto outcome = Execute(sql);
  if (!outcome.ok()) return outcome.error.ToStatus();
  return std::move(*outcome.value);
}

Result<PgResult> Connection::QueryParams(const std::string& sql,
                                         const std::vector<std::optional<std::string>>& params) {
  auto outcome = ExecuteParams(sql, params);
  if (!outcome.ok()) return outcome.error.ToStatus();
  return std::move(*outcome.value);
}

int Connection::BackendPid() const { return PQbackendPID(connection_.get()); }
int Connection::ServerVersion() const { return PQserverVersion(connection_.get()); }
std::string Connection::User() const { return PQuser(connection_.get()); }
std::string Connection::Database() const { return PQdb(connection_.get()); }

std::string Connection::Describe() const {
  std::string host = PQhost(connection_.get());
  return "database \"" + Database() + "\" on " + host + ":" + PQport(connection_.get());
}

bool Connection::IsLocal() const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(PQsocket(connection_.get()), reinterpret_cast<sockaddr*>(&address), &length) !=
      0) {
    return false;
  }
  switch (address.ss_family) {
    case AF_UNIX:
      return true;
    case AF_INET:
      return (ntohl(reinterpret_cast<const sockaddr_in*>(&address)->sin_addr.s_addr) >> 24) == 127;
    case AF_INET6:
      return IN6_IS_ADDR_LOOPBACK(&reinterpret_cast<const sockaddr_in6*>(&address)->sin6_addr);
    default:
      return false;
  }
}

void Connection::Cancel() {
  PGcancel* cancel = PQgetCancel(connection_.get());
  if (cancel == nullptr) return;
  char buffer[256];
  PQcancel(cancel, buffer, sizeof buffer);
  PQfreeCancel(cancel);
}

bool Connection::InTransaction() const {
  return PQtransactionStatus(connection_.get()) != PQTRANS_IDLE;
}

bool Connection::WaitForNotification(long timeout_ms) {
  pg_conn* connection = connection_.get();
  auto take = [connection]() {
    bool any = false;
    while (PGnotify* notify = PQnotifies(connection)) {
      PQfreemem(notify);
      any = true;
    }
    return any;
  };
  if (PQconsumeInput(connection) == 0) return false;
  if (take()) return true;
  pollfd descriptor{PQsocket(connection), POLLIN, 0};
  if (descriptor.fd < 0) return false;
  int ready = ::poll(&descriptor, 1, static_cast<int>(timeout_ms));
  if (ready <= 0) return false;
  if (PQconsumeInput(connection) == 0) return false;
  return take();
}

Result<Transaction> Transaction::Begin(Connection& connection) {
  auto outcome = connection.Execute("BEGIN");
  if (!outcome.ok()) return outcome.error.ToStatus();
  return Transaction(&connection);
}

Transaction::Transaction(Transaction&& other) noexcept : connection_(other.connection_) {
  other.connection_ = nullptr;
}

Transaction::~Transaction() { Rollback(); }

PgOutcome<PgResult> Transaction::Commit() {
  PgOutcome<PgResult> outcome = connection_->Execute("COMMIT");
  connection_ = nullptr;
  return outcome;
}

void Transaction::Rollback() {
  if (connection_ == nullptr) return;
  (void)connection_->Execute("ROLLBACK");
  connection_ = nullptr;
}

std::string QuoteIdent(const std::string& identifier) { return QuoteIdentifier(identifier); }
std::string QuoteLiteral(const std::string& literal) { return retort::QuoteLiteral(literal); }

}  // namespace retort::pg
