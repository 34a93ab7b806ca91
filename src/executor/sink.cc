#include "executor/sink.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <string_view>

#include "base/strings.h"
#include "sqltext/split.h"

namespace retort::executor {

namespace {

// "file:12: statement 2 of 3 in revision r1 failed: ...", with the line of the error's
// position when the server gave one.
Status StatementFailed(const std::string& sql, const Origin& origin, const pg::PgError& error) {
  int line = origin.line;
  if (error.position > 0) {
    line += LineOfOffset(sql, static_cast<size_t>(error.position - 1)) - 1;
  }
  return Status::Failed(
      origin.file + ":" + std::to_string(line) + ": statement " +
          std::to_string(origin.statement_number) + " of " +
          std::to_string(origin.statement_count) + " in revision " + origin.revision +
          " failed:\n" + error.ToString() + "\nSTATEMENT:  " +
          Excerpt(std::string_view(sql).substr(std::min(origin.own_prefix, sql.size())), 120),
      ServerError{error.sqlstate, error.detail, error.hint, error.position});
}

// Retort's own SQL (several statements, each ending in ';') as single statements, which is
// what the extended protocol of a pipeline takes. Split by PostgreSQL's own scanner (libpg_query),
// never by hand: string literals (a migration's source in its history row) and DO blocks hold
// semicolons too.
Result<std::vector<std::string_view>> SplitControl(std::string_view sql) {
  RETORT_ASSIGN_OR_RETURN(auto tokens, sqltext::Tokenize(sql, "retort's bookkeeping SQL", 1));
  std::vector<std::string_view> statements;
  constexpr size_t kNone = std::string_view::npos;  // between statements
  size_t begin = kNone;
  for (const sqltext::Token& token : tokens) {
    if (token.is_comment) continue;
    if (token.end - token.begin == 1 && sql[token.begin] == ';') {
      if (begin != kNone) statements.push_back(sql.substr(begin, token.begin - begin));
      begin = kNone;
    } else if (begin == kNone) {
      begin = token.begin;
    }
  }
  if (begin != kNone) statements.push_back(sql.substr(begin));
  return statements;
}

// "statement 2/3 of r1": short, the progress line has little room.
std::string Describe(const Origin& origin) {
  return "statement " + std::to_string(origin.statement_number) + "/" +
         std::to_string(origin.statement_count) + " of " + origin.revision;
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

Status Sink::RunSegmentByPiece(const Segments& segments, size_t i, const std::vector<Piece>& pieces,
                               SegmentFailure* failed) {
  segments.waiting(i);
  size_t failed_piece = 0;
  Status status = Sink::RunAll(pieces, &failed_piece);
  if (!status.ok()) {
    *failed = SegmentFailure{i, pieces[failed_piece].what};
    return status;
  }
  segments.committed(i);
  return Status::Ok();
}

Status Sink::RunSegments(const Segments& segments, SegmentFailure* failed) {
  for (size_t i = 0; i < segments.count; ++i) {
    RETORT_RETURN_IF_ERROR(RunSegmentByPiece(segments, i, segments.build(i), failed));
  }
  return Status::Ok();
}

std::optional<LiveSink::Flattened> LiveSink::Flatten(const std::vector<Piece>& pieces) {
  Flattened flat;
  for (size_t i = 0; i < pieces.size(); ++i) {
    const Piece& piece = pieces[i];
    if (piece.kind == Piece::Kind::kNote) continue;
    if (piece.kind == Piece::Kind::kStatement) {
      // COPY has a protocol of its own, which a pipeline cannot carry.
      if (IsCopy(piece.sql)) return std::nullopt;
      flat.statements.push_back(piece.sql);
      flat.piece_of.push_back(i);
      continue;
    }
    if (!piece.statements.empty()) {
      for (const std::string& statement : piece.statements) {
        flat.statements.push_back(statement);
        flat.piece_of.push_back(i);
      }
      continue;
    }
    auto split = SplitControl(piece.sql);
    if (!split.ok()) return std::nullopt;
    for (std::string_view statement : *split) {
      flat.statements.push_back(statement);
      flat.piece_of.push_back(i);
    }
  }
  return flat;
}

size_t LiveSink::PieceOf(const Flattened& flat, size_t index, const std::vector<Piece>& pieces) {
  return index < flat.piece_of.size() ? flat.piece_of[index] : pieces.size() - 1;
}

std::unique_ptr<StatementProgress::Watch> LiveSink::WatchRevision(
    const std::vector<Piece>& pieces) {
  if (!progress_) return nullptr;
  auto first = std::find_if(pieces.begin(), pieces.end(), [](const Piece& piece) {
    return piece.kind == Piece::Kind::kStatement;
  });
  if (first == pieces.end()) return nullptr;
  // Several statements in one round trip: whichever runs long, the line names the revision.
  return progress_->Start("revision " + first->origin.revision);
}

Status LiveSink::PieceFailed(const Piece& piece, const pg::PgError& error) {
  if (piece.kind == Piece::Kind::kStatement) return StatementFailed(piece.sql, piece.origin, error);
  return error.ToStatus(piece.what.empty() ? "" : piece.what + " failed:\n");
}

Status LiveSink::RunAll(const std::vector<Piece>& pieces, size_t* failed) {
  std::optional<Flattened> flat = Flatten(pieces);
  if (!flat) return Sink::RunAll(pieces, failed);
  last_affected_rows_ = 0;
  std::optional<pg::Connection::PipelineFailure> failure;
  {
    auto watch = WatchRevision(pieces);
    failure = connection_.Pipeline(flat->statements);
  }
  if (!failure) return Status::Ok();
  *failed = PieceOf(*flat, failure->index, pieces);
  return PieceFailed(pieces[*failed], failure->error);
}

Status LiveSink::RunSegments(const Segments& segments, SegmentFailure* failed) {
  last_affected_rows_ = 0;
  struct Sent {
    std::vector<Piece> pieces;
    Flattened flat;
  };
  size_t begin = 0;  // the first segment of the current pipeline
  while (begin < segments.count) {
    std::deque<Sent> sent;        // front: segment `begin + read`
    std::optional<size_t> alone;  // a segment that has to run outside the pipeline
    std::unique_ptr<StatementProgress::Watch> watch;
    auto statements_of = [&](size_t i) -> std::optional<std::vector<std::string_view>> {
      std::vector<Piece> pieces = segments.build(begin + i);
      std::optional<Flattened> flat = Flatten(pieces);
      if (!flat) {
        alone = begin + i;
        sent.push_back(Sent{std::move(pieces), {}});
        return std::nullopt;
      }
      std::vector<std::string_view> statements = flat->statements;
      sent.push_back(Sent{std::move(pieces), std::move(*flat)});
      return statements;
    };
    auto before_reading = [&](size_t i) {
      segments.waiting(begin + i);
      watch = WatchRevision(sent.front().pieces);
    };
    auto completed = [&](size_t i) {
      watch.reset();
      sent.pop_front();
      segments.committed(begin + i);
    };
    pg::Connection::SegmentsOutcome outcome = connection_.PipelineSegments(
        segments.count - begin, kSegmentsAhead, statements_of, before_reading, completed);
    watch.reset();
    if (outcome.failure) {
      size_t segment = outcome.failure->segment;
      const Sent& failing = sent[segment - outcome.completed];
      const pg::Connection::PipelineFailure& failure = outcome.failure->failure;
      size_t piece = PieceOf(failing.flat, failure.index, failing.pieces);
      *failed = SegmentFailure{begin + segment, failing.pieces[piece].what};
      return PieceFailed(failing.pieces[piece], failure.error);
    }
    begin += outcome.completed;
    if (!alone) {
      // Without a failure the pipeline ends only after the last segment or before `alone`.
      if (begin < segments.count) {
        return Status::Failed("the pipeline to the server ended after " + std::to_string(begin) +
                              " of " + std::to_string(segments.count) +
                              " migrations without an error");
      }
      break;
    }
    // The pipeline stopped before `alone`, which was built already: run it one piece at a time.
    RETORT_RETURN_IF_ERROR(RunSegmentByPiece(segments, *alone, sent.back().pieces, failed));
    begin = *alone + 1;
  }
  return Status::Ok();
}

Status LiveSink::Statement(const std::string& sql, const Origin& origin) {
  auto watch = progress_ ? progress_->Start(Describe(origin)) : nullptr;
  auto outcome = connection_.Execute(sql);
  watch.reset();
  last_affected_rows_ = outcome.ok() ? outcome.value->AffectedRows() : 0;
  if (outcome.ok()) return Status::Ok();
  return StatementFailed(sql, origin, outcome.error);
}

Status LiveSink::Control(const std::string& sql) {
  auto outcome = connection_.Execute(sql);
  if (outcome.ok()) return Status::Ok();
  return outcome.error.ToStatus();
}

Result<pg::PgResult> LiveSink::Query(const std::string& sql) { return connection_.Query(sql); }

void LiveSink::ShowStatementProgress(LiveLine& line, StatementProgress::Display display) {
  progress_ = std::make_unique<StatementProgress>(connection_, line, display);
}

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
