// Status and Result<T>: the one error style for every boundary between modules.
//
// An expected failure (bad input, a database error, a lock timeout) is a value, never an
// exception. The Code says which exit code the CLI maps it to; the message is written for the
// user and already names the file and line where there is one.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace retort {

enum class Code {
  kOk = 0,
  kInvalidInput,  // bad config, files, arguments, unknown revisions: exit 2
  kFailed,        // a failure while running (database error, lock timeout): exit 1
  kDifferences,   // `check`/`drift` found differences: exit 3
};

// What the database server said about a failure, kept apart from the message written for the
// user, so that callers decide by SQLSTATE (a lock timeout is retried) instead of reading text.
struct ServerError {
  std::string sqlstate;  // five characters, e.g. "55P03"
  std::string detail;
  std::string hint;
  int position = 0;  // 1-based offset into the statement; 0 when the server gave none
};

class [[nodiscard]] Status {
 public:
  Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidInput(std::string message) {
    return Status(Code::kInvalidInput, std::move(message));
  }
  static Status Failed(std::string message) { return Status(Code::kFailed, std::move(message)); }
  // A failure the server reported: `message` is the text for the user (it shows the error).
  static Status Failed(std::string message, ServerError server_error) {
    Status status(Code::kFailed, std::move(message));
    status.server_error_ = std::move(server_error);
    return status;
  }
  static Status Differences(std::string message) {
    return Status(Code::kDifferences, std::move(message));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // The server's error behind a failure, when one did.
  const std::optional<ServerError>& server_error() const { return server_error_; }
  // Its SQLSTATE, or "" when the failure did not come from the server.
  const std::string& sqlstate() const {
    static const std::string kNone;
    return server_error_ ? server_error_->sqlstate : kNone;
  }

  // Prefixes context ("while applying 3f2a9c: ") to the message, keeping the code and the
  // server's error.
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    Status status(code_, context + message_);
    status.server_error_ = server_error_;
    return status;
  }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  Code code_ = Code::kOk;
  std::string message_;
  std::optional<ServerError> server_error_;
};

// A value or the Status that explains why there is none. REQUIRES: a Result made from a Status
// carries a non-ok one.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : state_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(state_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(state_);
  }

  T& value() & {
    assert(ok());
    return std::get<T>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace retort

// Early return for Status-returning functions.
#define RETORT_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::retort::Status retort_status_ = (expr);        \
    if (!retort_status_.ok()) return retort_status_; \
  } while (false)

#define RETORT_CONCAT_INNER(a, b) a##b
#define RETORT_CONCAT(a, b) RETORT_CONCAT_INNER(a, b)

// `RETORT_ASSIGN_OR_RETURN(auto graph, RevisionGraph::Build(...));`
// It expands to several statements (it declares `lhs`), so after an `if` it needs braces.
#define RETORT_ASSIGN_OR_RETURN(lhs, expr) \
  RETORT_ASSIGN_OR_RETURN_IMPL(RETORT_CONCAT(retort_result_, __LINE__), lhs, expr)
#define RETORT_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
