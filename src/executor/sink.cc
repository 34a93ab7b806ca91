#include "executor/sink.h"

#include <algorithm>
#include <string_view>

#include "base/strings.h"

namespace retort::executor {

namespace {

// "CREATE INDEX ix ON t (a)" trimmed to one line of at most 120 bytes, for messages.
std::string Excerpt(std::string_view sql) {
  std::string first_line(sql.substr(0, sql.find('\n')));
  if (first_line.size() > 120) first_line = first_line.substr(0, 117) + "...";
  return first_line;
}

}  // namespace

Status LiveSink::Statement(const std::string& sql, const Origin& origin) {
  auto outcome = connection_.Execute(sql);
  last_sqlstate_ = outcome.ok() ? "" : outcome.error.sqlstate;
  last_affected_rows_ = outcome.ok() ? outcome.value->AffectedRows() : 0;
  if (outcome.ok()) return Status::Ok();
  int line = origin.line;
  if (outcome.error.position > 0) {
    line += LineOfOffset(sql, static_cast<size_t>(outcome.error.position - 1)) - 1;
  }
  return Status::Failed(
      origin.file + ":" + std::to_string(line) + ": statement " +
      std::to_string(origin.statement_number) + " of " + std::to_string(origin.statement_count) +
      " in revision " + origin.revision + " failed:\n" + outcome.error.ToString() +
      "\nSTATEMENT:  " +
      Excerpt(std::string_view(sql).substr(std::min(origin.own_prefix, sql.size()))));
}

Status LiveSink::Control(const std::string& sql) {
  auto outcome = connection_.Execute(sql);
  last_sqlstate_ = outcome.ok() ? "" : outcome.error.sqlstate;
  if (outcome.ok()) return Status::Ok();
  return Status::Failed(outcome.error.ToString());
}

Result<pg::PgResult> LiveSink::Query(const std::string& sql) { return connection_.Query(sql); }

void LiveSink::Abort() {
  if (connection_.InTransaction()) (void)connection_.Execute("ROLLBACK");
}

Status ScriptSink::Statement(const std::string& sql, const Origin&) {
  out_ << sql << ";\n\n";
  return Status::Ok();
}

Status ScriptSink::Control(const std::string& sql) {
  out_ << sql;
  if (!sql.empty() && sql.back() != '\n') out_ << '\n';
  return Status::Ok();
}

Result<pg::PgResult> Sink::Query(const std::string&) {
  return Status::Failed("this run has no database session to query");
}

void ScriptSink::Start(const std::string& title) {
  Note(title);
  out_ << "\\set ON_ERROR_STOP on\n";
}

void ScriptSink::Note(const std::string& text) {
  for (const std::string& line : Split(Trim(text), '\n')) out_ << "-- " << line << '\n';
}

}  // namespace retort::executor
