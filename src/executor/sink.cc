#include "executor/sink.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include "base/strings.h"
#include "sqltext/split.h"

namespace retort::executor {

namespace {

// "CREATE INDEX ix ON t (a)" trimmed to one line of at most 120 bytes, for messages.
std::string Excerpt(std::string_view sql) {
  std::string first_line(sql.substr(0, sql.find('\n')));
  if (first_line.size() > 120) first_line = first_line.substr(0, 117) + "...";
  return first_line;
}

// "file:12: statement 2 of 3 in revision r1 failed: ...", with the line of the error's
// position when the server gave one.
Status StatementFailed(const std::string& sql, const Origin& origin, const pg::PgError& error) {
  int line = origin.line;
  if (error.position > 0) {
    line += LineOfOffset(sql, static_cast<size_t>(error.position - 1)) - 1;
  }
  return Status::Failed(
      origin.file + ":" + std::to_string(line) + ": statement " +
      std::to_string(origin.statement_number) + " of " + std::to_string(origin.statement_count) +
      " in revision " + origin.revision + " failed:\n" + error.ToString() + "\nSTATEMENT:  " +
      Excerpt(std::string_view(sql).substr(std::min(origin.own_prefix, sql.size()))));
}

bool IsIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Retort's own SQL as single statements, found by a scan that knows the lexical forms retort
// writes: '...' literals with '' inside (QuoteLiteral, never E'' or U&''), "..." identifiers,
// $tag$ dollar quotes (DO blocks), comments. Nothing when the text holds a form it does not
// know (SplitControl then asks PostgreSQL's scanner). The history row carries the migration's
// whole source as a literal, so this runs over every file once more: the scanner of libpg_query
// costs several times as much.
std::optional<std::vector<std::string_view>> SplitOwnSql(std::string_view sql) {
  std::vector<std::string_view> statements;
  size_t begin = 0;
  auto finish = [&](size_t end) {
    std::string_view statement = Trim(sql.substr(begin, end - begin));
    if (!statement.empty()) statements.push_back(statement);
  };
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      size_t close = i + 1;
      while (true) {
        close = sql.find(c, close);
        if (close == std::string_view::npos) return std::nullopt;
        if (close + 1 < sql.size() && sql[close + 1] == c) {
          close += 2;  // a doubled quote inside
          continue;
        }
        break;
      }
      // E'...' and U&'...' read backslashes and escapes differently.
      if (c == '\'' && i > 0 && (sql[i - 1] == 'e' || sql[i - 1] == 'E' || sql[i - 1] == '&') &&
          (i < 2 || !IsIdentifierChar(sql[i - 2]) || sql[i - 1] == '&')) {
        return std::nullopt;
      }
      i = close + 1;
    } else if (c == '$' && i + 1 < sql.size() &&
               !std::isdigit(static_cast<unsigned char>(sql[i + 1])) &&
               (i == 0 || !IsIdentifierChar(sql[i - 1]))) {
      size_t tag_end = i + 1;
      while (tag_end < sql.size() && IsIdentifierChar(sql[tag_end])) ++tag_end;
      if (tag_end >= sql.size() || sql[tag_end] != '$') return std::nullopt;
      std::string_view tag = sql.substr(i, tag_end - i + 1);
      size_t close = sql.find(tag, tag_end + 1);
      if (close == std::string_view::npos) return std::nullopt;
      i = close + tag.size();
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t newline = sql.find('\n', i);
      i = newline == std::string_view::npos ? sql.size() : newline + 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      return std::nullopt;  // nested block comments: the scanner's job
    } else if (c == ';') {
      finish(i);
      begin = ++i;
    } else {
      ++i;
    }
  }
  finish(sql.size());
  return statements;
}

// Retort's own SQL (several statements, each ending in ';') as single statements, which is
// what the extended protocol of a pipeline takes. Split by PostgreSQL's scanner when SplitOwnSql
// meets a form it does not know, since string literals (a migration's source in its history
// row) and DO blocks hold semicolons too.
Result<std::vector<std::string_view>> SplitControl(std::string_view sql) {
  if (auto statements = SplitOwnSql(sql)) return *statements;
  RETORT_ASSIGN_OR_RETURN(auto tokens, sqltext::Tokenize(sql, "retort's bookkeeping SQL", 1));
  std::vector<std::string_view> statements;
  std::optional<size_t> begin;
  for (const sqltext::Token& token : tokens) {
    if (token.is_comment) continue;
    if (token.end - token.begin == 1 && sql[token.begin] == ';') {
      if (begin) statements.push_back(sql.substr(*begin, token.begin - *begin));
      begin.reset();
    } else if (!begin) {
      begin = token.begin;
    }
  }
  if (begin) statements.push_back(sql.substr(*begin));
  return statements;
}

bool IsCopy(std::string_view sql) { return sql.size() >= 4 && ToLower(sql.substr(0, 4)) == "copy"; }

}  // namespace

Status Sink::RunAll(const std::vector<Piece>& pieces, size_t* failed) {
  for (size_t i = 0; i < pieces.size(); ++i) {
    const Piece& piece = pieces[i];
    Status status = Status::Ok();
    switch (piece.kind) {
      case Piece::Kind::kNote:
        Note(piece.sql);
        break;
      case Piece::Kind::kControl:
        status = Control(piece.sql);
        break;
      case Piece::Kind::kStatement:
        status = Statement(piece.sql, piece.origin);
        break;
    }
    if (!status.ok()) {
      *failed = i;
      return status;
    }
  }
  return Status::Ok();
}

Status LiveSink::RunAll(const std::vector<Piece>& pieces, size_t* failed) {
  std::vector<std::string_view> statements;
  std::vector<size_t> piece_of;  // index into `pieces` of each entry of `statements`
  for (size_t i = 0; i < pieces.size(); ++i) {
    const Piece& piece = pieces[i];
    if (piece.kind == Piece::Kind::kNote) continue;
    if (piece.kind == Piece::Kind::kStatement) {
      // COPY has a protocol of its own, which a pipeline cannot carry.
      if (IsCopy(piece.sql)) return Sink::RunAll(pieces, failed);
      statements.push_back(piece.sql);
      piece_of.push_back(i);
      continue;
    }
    auto split = SplitControl(piece.sql);
    if (!split.ok()) return Sink::RunAll(pieces, failed);
    for (std::string_view statement : *split) {
      statements.push_back(statement);
      piece_of.push_back(i);
    }
  }
  last_affected_rows_ = 0;
  std::optional<pg::Connection::PipelineFailure> failure = connection_.Pipeline(statements);
  last_sqlstate_ = failure ? failure->error.sqlstate : "";
  if (!failure) return Status::Ok();
  *failed = failure->index < piece_of.size() ? piece_of[failure->index] : pieces.size() - 1;
  const Piece& piece = pieces[*failed];
  if (piece.kind == Piece::Kind::kStatement) {
    return StatementFailed(piece.sql, piece.origin, failure->error);
  }
  return Status::Failed(failure->error.ToString());
}

Status LiveSink::Statement(const std::string& sql, const Origin& origin) {
  auto outcome = connection_.Execute(sql);
  last_sqlstate_ = outcome.ok() ? "" : outcome.error.sqlstate;
  last_affected_rows_ = outcome.ok() ? outcome.value->AffectedRows() : 0;
  if (outcome.ok()) return Status::Ok();
  return StatementFailed(sql, origin, outcome.error);
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
