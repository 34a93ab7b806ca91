// Where a run's SQL goes: a live session, or a script a DBA reads and runs with psql (--sql).
// Offline mode is the same path with a different sink, as in Alembic.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "executor/statement_progress.h"
#include "pg/connection.h"

namespace retort::executor {

// Where a statement came from, for error messages.
struct Origin {
  std::string file;
  int line = 0;
  std::string revision;
  int statement_number = 0;  // 1-based; 0 for bookkeeping
  int statement_count = 0;
  // Leading bytes of the text that are retort's own (a batch's "BEGIN;", sent in the same round
  // trip): left out of error excerpts, which quote the user's statement.
  size_t own_prefix = 0;
};

// One part of a migration's work, for Sink::Run.
struct Piece {
  enum class Kind { kNote, kControl, kStatement };
  Kind kind = Kind::kControl;
  std::string sql;  // the note's text for kNote
  Origin origin;    // kStatement only
  // kControl: `sql` as the single statements it was joined from (JoinStatements), when its
  // producer built them apart; a live pipeline sends these instead of scanning `sql` for them.
  std::vector<std::string> statements = {};
  // What the piece is, for messages ("the version bookkeeping of r1"); empty for notes.
  std::string what = {};
};

// Consecutive migrations, each a transaction of its own, for Sink::RunSegments. Each segment's
// pieces must begin with a guard that fails unless the segment before it committed: a live
// session sends later segments before earlier ones have run.
struct Segments {
  size_t count = 0;
  std::function<std::vector<Piece>(size_t)> build;  // segment i's pieces, built when sent
  std::function<void(size_t)> waiting;              // segment i is the one now running
  std::function<void(size_t)> committed;            // segment i committed
};
struct SegmentFailure {
  size_t segment = 0;
  std::string what;  // the failed piece's `what`
};

class Sink {
 public:
  virtual ~Sink() = default;
  // Runs `pieces` in order (Statement, Control or Note each) and stops at the first that fails;
  // `failed` then holds its index. A live session sends them all in one round trip.
  virtual Status RunAll(const std::vector<Piece>& pieces, size_t* failed);
  // Runs segments in order and stops at the first that fails (`failed` then says which). A live
  // session keeps several segments in one pipeline ahead of the one running.
  virtual Status RunSegments(const Segments& segments, SegmentFailure* failed);

  // One statement of a migration, without its terminating ';'.
  virtual Status Statement(const std::string& sql, const Origin& origin) = 0;
  // Retort's own SQL (BEGIN, SET LOCAL, bookkeeping), complete with terminators; may hold
  // several statements.
  virtual Status Control(const std::string& sql) = 0;
  // A human note: a comment in a script, nothing on a live session.
  virtual void Note(const std::string& text) = 0;
  // Abandons the open transaction, if any. Never fails: a broken connection rolls back too.
  virtual void Abort() = 0;
  virtual bool IsLive() const = 0;
  // Retort's own read on the live session (catalog checks, replica positions, estimates). A
  // script has no session: Failed (also the default for sinks that offer no reads).
  virtual Result<pg::PgResult> Query(const std::string& sql);
  // Rows the last successful Statement affected (from its command tag; 0 in a script).
  virtual long LastAffectedRows() const { return 0; }
  // Whether the session is inside a transaction block (a migration's own BEGIN, outside one of
  // retort's); always false in a script.
  virtual bool InTransaction() const { return false; }
  // From now on, shows how each statement that runs long is doing on `log` (a live session
  // only: StatementProgress); a script has nothing to show.
  virtual void ShowStatementProgress(LiveLine& /*line*/, StatementProgress::Display /*display*/) {}

 protected:
  // Segment i, its pieces built, one piece at a time (Sink::RunAll), told to `segments` as it
  // starts and commits.
  Status RunSegmentByPiece(const Segments& segments, size_t i, const std::vector<Piece>& pieces,
                           SegmentFailure* failed);
};

class LiveSink : public Sink {
 public:
  explicit LiveSink(pg::Connection& connection) : connection_(connection) {}
  Status Statement(const std::string& sql, const Origin& origin) override;
  Status Control(const std::string& sql) override;
  // The pieces in one pipeline (pg::Connection::Pipeline): the server runs them as it would one
  // by one, and the first error skips the rest, but nothing waits for a reply in between.
  Status RunAll(const std::vector<Piece>& pieces, size_t* failed) override;
  // Segments in one pipeline, up to kSegmentsAhead of the one running; a segment with a COPY
  // runs alone between two pipelines.
  Status RunSegments(const Segments& segments, SegmentFailure* failed) override;
  static constexpr size_t kSegmentsAhead = 16;
  void Note(const std::string&) override {}
  void Abort() override;
  bool IsLive() const override { return true; }
  Result<pg::PgResult> Query(const std::string& sql) override;
  long LastAffectedRows() const override { return last_affected_rows_; }
  bool InTransaction() const override { return connection_.InTransaction(); }
  void ShowStatementProgress(LiveLine& line, StatementProgress::Display display) override;

 private:
  pg::Connection& connection_;
  std::unique_ptr<StatementProgress> progress_;  // null unless ShowStatementProgress was called
  // Pieces flattened into the statements a pipeline takes, or nothing when they need to run one
  // by one (a COPY, or SQL the scanner rejects).
  struct Flattened {
    std::vector<std::string_view> statements;
    std::vector<size_t> piece_of;  // index into the pieces of each statement
  };
  static std::optional<Flattened> Flatten(const std::vector<Piece>& pieces);
  // The piece that statement `index` of `flat` came from; the last one when the connection broke
  // before any reply named a statement.
  static size_t PieceOf(const Flattened& flat, size_t index, const std::vector<Piece>& pieces);
  Status PieceFailed(const Piece& piece, const pg::PgError& error);
  // Shows how the statements of `pieces` are doing, under their revision's name, while the
  // returned watch lives (null without ShowStatementProgress, or without a statement).
  std::unique_ptr<StatementProgress::Watch> WatchRevision(const std::vector<Piece>& pieces);

  long last_affected_rows_ = 0;
};

class ScriptSink : public Sink {
 public:
  explicit ScriptSink(std::ostream& out) : out_(out) {}
  // The script's first lines: `title` as a comment, then `\set ON_ERROR_STOP on`, so that psql
  // stops at the first failed statement (exit 3) instead of going on to the bookkeeping.
  void Start(const std::string& title);
  Status Statement(const std::string& sql, const Origin& origin) override;
  Status Control(const std::string& sql) override;
  void Note(const std::string& text) override;
  void Abort() override {}
  bool IsLive() const override { return false; }

 private:
  std::ostream& out_;
};

}  // namespace retort::executor
