// Inspect reads a large catalog on two sessions that share one snapshot (catalog/query_lanes.h).
// The model must not depend on that: the same database read on one session (inside the
// caller's transaction) and on two gives the same model, and the second session sees exactly
// the snapshot of the first even while the database changes.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "catalog/inspect.h"
#include "catalog/query_lanes.h"
#include "pg/connection.h"
#include "schema/model.h"
#include "schema/model_json.h"
#include "support/pg_harness.h"

namespace retort::catalog {
namespace {

// Enough tables (each with a primary key, an index and a TOAST table) to pass the
// second-session threshold of 1000 user relations, with enough variety that every query
// returns rows: an enum, defaults, a check, a foreign key chain, comments, a view, a function.
constexpr char kLargeSchema[] = R"sql(
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE FUNCTION bump(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
DO $$
BEGIN
  FOR k IN 1..260 LOOP
    EXECUTE format('CREATE TABLE t%s (id bigint PRIMARY KEY, prev_id bigint %s, name text NOT NULL '
                   'DEFAULT ''n'' || %s, feeling mood DEFAULT ''ok'', body jsonb, '
                   'n integer CHECK (n > %s))',
                   k, CASE WHEN k > 1 THEN format('REFERENCES t%s (id)', k - 1) ELSE '' END, k, k);
    EXECUTE format('CREATE INDEX t%s_name_idx ON t%s (lower(name)) WHERE n > 0', k, k);
    EXECUTE format('COMMENT ON TABLE t%s IS ''table %s''', k, k);
  END LOOP;
END $$;
CREATE VIEW v AS SELECT id, bump(n) AS m FROM t1;
)sql";

// The second sessions read everything they can, so that a test knows they took part.
InspectOptions LanesRead() {
  InspectOptions options;
  options.caller_waits_for_lanes = true;
  return options;
}

schema::Database InspectOn(pg::Connection& connection, InspectStats* stats,
                           const InspectOptions& options = LanesRead()) {
  auto database = Inspect(connection, options, stats);
  EXPECT_TRUE(database.ok()) << database.status().message();
  return database.ok() ? std::move(*database) : schema::Database{};
}

TEST(InspectSessions, TwoSessionsReadTheSameModelAsOne) {
  RETORT_REQUIRE_PG(pg);
  std::string db = pg->CreateDatabase("lanes");
  pg->Query(db, kLargeSchema);
  auto connection = pg::Connection::Open(pg->ConnInfo(db));
  ASSERT_TRUE(connection.ok()) << connection.status().message();

  InspectStats parallel_stats;
  schema::Database parallel = InspectOn(*connection, &parallel_stats);
  EXPECT_EQ(parallel_stats.sessions, 2);
  EXPECT_FALSE(connection->InTransaction());

  // Inside the caller's transaction the snapshot cannot be shared: one session reads it all.
  ASSERT_TRUE(connection->Execute("BEGIN").ok());
  InspectStats single_stats;
  schema::Database single = InspectOn(*connection, &single_stats);
  ASSERT_TRUE(connection->Execute("ROLLBACK").ok());
  EXPECT_EQ(single_stats.sessions, 1);
  EXPECT_EQ(single_stats.catalog_queries, parallel_stats.catalog_queries);

  // By default the caller's session reads what the others have not claimed yet: the three
  // sessions' shares differ from run to run, the model does not.
  InspectStats mixed_stats;
  schema::Database mixed = InspectOn(*connection, &mixed_stats, {});
  EXPECT_TRUE(mixed_stats.shared_snapshot);
  EXPECT_GE(mixed_stats.sessions, 1);

  EXPECT_EQ(parallel.tables.size(), 260u);
  EXPECT_EQ(parallel.views.size(), 1u);
  EXPECT_EQ(schema::ToJson(parallel).dump(1), schema::ToJson(single).dump(1));
  EXPECT_EQ(schema::ToJson(mixed).dump(1), schema::ToJson(single).dump(1));
  // Nothing is left running: the second session is gone once Inspect returns.
  EXPECT_EQ(pg->Scalar(db,
                       "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                       "current_database() AND pid <> pg_backend_pid()"),
            "1");  // the connection above
}

// The largest results come through cursors, a chunk at a time, so that they never sit in
// memory whole; how they are cut must not show in the model.
TEST(InspectSessions, ChunkedResultsReadTheSameModelAsWholeOnes) {
  RETORT_REQUIRE_PG(pg);
  std::string db = pg->CreateDatabase("lanes");
  pg->Query(db, kLargeSchema);
  // Generated columns, whose expressions name other columns (possibly in a later chunk), and a
  // default on every table. Every tenth table has what comes from the queries beside columns.sql
  // and after it: a column privilege, a comment, a statistics target and a collation other than
  // its type's.
  pg->Query(db,
            "DO $$ BEGIN FOR k IN 1..40 LOOP EXECUTE format('ALTER TABLE t%s ADD COLUMN twice "
            "integer GENERATED ALWAYS AS (n * 2) STORED', k); END LOOP; END $$;");
  pg->Query(
      db,
      "DO $$ BEGIN CREATE ROLE lanes_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$; "
      "DO $$ BEGIN FOR k IN 10..260 BY 10 LOOP "
      "EXECUTE format('GRANT SELECT (name, body) ON t%s TO lanes_reader', k); "
      "EXECUTE format('COMMENT ON COLUMN t%s.body IS ''body %s''', k, k); "
      "EXECUTE format('ALTER TABLE t%s ALTER COLUMN n SET STATISTICS 300', k); "
      "EXECUTE format('ALTER TABLE t%s ALTER COLUMN name TYPE text COLLATE \"C\"', k); "
      "END LOOP; END $$;");
  auto connection = pg::Connection::Open(pg->ConnInfo(db));
  ASSERT_TRUE(connection.ok()) << connection.status().message();

  InspectStats whole_stats;
  ASSERT_TRUE(connection->Execute("BEGIN").ok());
  schema::Database whole = InspectOn(*connection, &whole_stats);
  ASSERT_TRUE(connection->Execute("ROLLBACK").ok());
  EXPECT_EQ(whole_stats.chunks, whole_stats.catalog_queries);

  InspectOptions small_chunks = LanesRead();
  small_chunks.rows_per_fetch = 37;  // a relation's columns straddle chunks
  InspectStats chunked_stats;
  auto chunked = Inspect(*connection, small_chunks, &chunked_stats);
  ASSERT_TRUE(chunked.ok()) << chunked.status().message();
  EXPECT_EQ(chunked_stats.sessions, 2);
  EXPECT_EQ(chunked_stats.catalog_queries, whole_stats.catalog_queries);
  // 260 tables: columns alone are ~1600 rows, so ~40 chunks of 37.
  EXPECT_GT(chunked_stats.chunks, whole_stats.chunks + 40);
  EXPECT_EQ(schema::ToJson(*chunked).dump(1), schema::ToJson(whole).dump(1));
  int generated = 0;
  for (const schema::Table& table : chunked->tables) {
    for (const schema::Column& column : table.columns) {
      if (column.generated_expr()) {
        EXPECT_EQ(*column.generated_expr(), "(n * 2)") << table.name.name;
        ++generated;
      }
    }
  }
  EXPECT_EQ(generated, 40);
  int granted = 0;
  int commented = 0;
  int collated = 0;
  for (const schema::Table& table : chunked->tables) {
    for (const schema::Column& column : table.columns) {
      if (!column.grants().empty()) {
        EXPECT_EQ(column.grants(), (std::vector<schema::Grant>{{"lanes_reader", "SELECT", false}}))
            << table.name.name << "." << column.name;
        ++granted;
      }
      if (column.comment()) {
        EXPECT_EQ(*column.comment(), "body " + table.name.name.substr(1)) << table.name.name;
        ++commented;
      }
      if (column.collation()) {
        EXPECT_EQ(*column.collation(), "\"C\"") << table.name.name << "." << column.name;
        ++collated;
      }
    }
  }
  EXPECT_EQ(granted, 52);
  EXPECT_EQ(commented, 26);
  EXPECT_EQ(collated, 26);
  int settings = 0;
  for (const schema::UnmodelledObject& object : chunked->unmodelled) {
    if (object.kind != "column setting") continue;
    EXPECT_EQ(object.definition, "STATISTICS 300") << object.identity;
    ++settings;
  }
  EXPECT_EQ(settings, 26);
}

// Over a network a second session costs round trips that a small catalog does not win back;
// over the harness's Unix socket it costs a millisecond, and every catalog gets one.
TEST(InspectSessions, SmallCatalogUsesOneSessionUnlessTheServerIsLocal) {
  RETORT_REQUIRE_PG(pg);
  std::string db = pg->CreateDatabase("lanes");
  pg->Query(db, "CREATE TABLE small (id int PRIMARY KEY, note text)");
  auto connection = pg::Connection::Open(pg->ConnInfo(db));
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  ASSERT_TRUE(connection->IsLocal());

  InspectOptions remote;  // what a connection over a network gets
  remote.second_session_from_relations = 1000;
  InspectStats remote_stats;
  auto alone = Inspect(*connection, remote, &remote_stats);
  ASSERT_TRUE(alone.ok()) << alone.status().message();
  EXPECT_EQ(remote_stats.sessions, 1);
  EXPECT_FALSE(remote_stats.shared_snapshot);

  InspectStats local_stats;
  schema::Database database = InspectOn(*connection, &local_stats, {});
  EXPECT_TRUE(local_stats.shared_snapshot);
  EXPECT_EQ(local_stats.catalog_queries, remote_stats.catalog_queries);
  ASSERT_EQ(database.tables.size(), 1u);
  EXPECT_EQ(database.tables[0].name.name, "small");
  EXPECT_EQ(schema::ToJson(database).dump(1), schema::ToJson(*alone).dump(1));
}

TEST(InspectSessions, OtherSessionSharesTheSnapshot) {
  RETORT_REQUIRE_PG(pg);
  std::string db = pg->CreateDatabase("lanes");
  pg->Query(db, kLargeSchema);
  std::string conninfo = pg->ConnInfo(db);
  auto connection = pg::Connection::Open(conninfo);
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  // A session that keeps creating tables while the catalog is read: whatever it adds after
  // the snapshot is taken must be in neither session's part of the model, so every table the
  // model lists has its columns, constraints and indexes (read by different queries).
  auto writer = pg::Connection::Open(conninfo);
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  ASSERT_TRUE(writer->Execute("SET synchronous_commit = off").ok());
  std::thread churn([&writer] {
    for (int k = 0; k < 200; ++k) {
      std::string name = "late" + std::to_string(k);
      (void)writer->Execute("CREATE TABLE " + name +
                            " (id int PRIMARY KEY, v text); CREATE INDEX " + name + "_v ON " +
                            name + " (v)");
    }
  });
  InspectStats stats;
  schema::Database database = InspectOn(*connection, &stats);
  churn.join();
  EXPECT_EQ(stats.sessions, 2);
  for (const schema::Table& table : database.tables) {
    EXPECT_FALSE(table.columns.empty()) << table.name.name;
    bool has_key = false;
    for (const schema::Constraint& constraint : database.constraints) {
      if (constraint.table == table.name && constraint.type == schema::ConstraintType::kPrimaryKey)
        has_key = true;
    }
    EXPECT_TRUE(has_key) << table.name.name << " has no primary key in the model";
    if (table.name.name.rfind("late", 0) == 0) {
      bool has_index = false;
      for (const schema::Index& index : database.indexes) {
        if (index.table == table.name) has_index = true;
      }
      EXPECT_TRUE(has_index) << table.name.name << " has no index in the model";
    }
  }
}

// The caller's pipeline breaks (its session is gone) before every query is sent: each query,
// sent or not, reports the lost connection. Those never sent ran in pipeline mode before, which
// libpq refuses with "synchronous command execution functions are not allowed in pipeline mode".
TEST(QueryLanes, QueriesNeverSentSayWhyOnTheirOwn) {
  RETORT_REQUIRE_PG(pg);
  std::string db = pg->CreateDatabase("lanes");
  auto connection = pg::Connection::Open(pg->ConnInfo(db));
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  // Waits until the backend has exited, so the next statement finds the connection closed.
  EXPECT_EQ(pg->Scalar(db, "SELECT pg_terminate_backend(" +
                               std::to_string(connection->BackendPid()) + ", 10000)"),
            "t");
  ASSERT_FALSE(connection->Execute("SELECT 1").ok());

  const std::vector<LaneQuery> queries = {{"SELECT 1"}, {"SELECT 2"}, {"SELECT 3"}};
  QueryLanes lanes(*connection, {}, queries);
  for (size_t index = 0; index < queries.size(); ++index) {
    pg::PgOutcome<pg::PgResult> outcome = *lanes.Take(index);
    ASSERT_FALSE(outcome.ok()) << queries[index].sql;
    // libpq's words for a session that is gone, whether the query was sent or not.
    EXPECT_EQ(outcome.error.message, "no connection to the server") << queries[index].sql;
  }
  lanes.Finish();
  EXPECT_EQ(lanes.Sessions(), 1);  // the caller's, whose queries all failed
  EXPECT_FALSE(lanes.WithLanes());
}

// A session to a new database, inside a transaction that exported its snapshot (`snapshot`), as
// QueryLanes needs to start lanes.
Result<pg::Connection> OpenExportingSnapshot(testing::PgHarness* pg, std::string* snapshot) {
  auto connection = pg::Connection::Open(pg->ConnInfo(pg->CreateDatabase("lanes")));
  if (!connection.ok()) return connection.status();
  auto exported =
      connection->Execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT pg_export_snapshot()");
  if (!exported.ok()) return Status::Failed(exported.error.message);
  *snapshot = exported.value->Get(0, 0);
  return connection;
}

// A lane reads a query with rows_per_fetch through a cursor: the rows arrive in order, in chunks
// of that size, and with no byte allowance a lane never holds more than kChunksAhead of them for
// a reader that is slower than the server.
TEST(QueryLanes, LargeResultsComeInBoundedChunks) {
  RETORT_REQUIRE_PG(pg);
  std::string snapshot;
  auto connection = OpenExportingSnapshot(pg, &snapshot);
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  const std::vector<LaneQuery> queries = {
      {"SELECT g, repeat('x', 100) AS filler FROM generate_series(1, 1000) g ORDER BY g", 10},
      {"SELECT 'after'"},
  };
  QueryLanes lanes(*connection, {.snapshot = snapshot, .caller_waits = true, .bytes_ahead = 0},
                   queries);
  int next_value = 1;
  int chunks = 0;
  while (auto chunk = lanes.Take(0)) {
    ASSERT_TRUE(chunk->ok()) << chunk->error.message;
    ++chunks;
    for (int row = 0; row < chunk->value->rows(); ++row) {
      EXPECT_EQ(chunk->value->Get(row, 0), std::to_string(next_value++));
    }
  }
  EXPECT_EQ(next_value, 1001);
  EXPECT_EQ(chunks, 101);  // 100 full chunks, then the empty one that says the rows ended
  auto after = lanes.Take(1);
  ASSERT_TRUE(after && after->ok());
  EXPECT_EQ(after->value->Get(0, 0), "after");
  EXPECT_FALSE(lanes.Take(1).has_value());
  lanes.Finish();
  // On lanes (the caller's own session reads a query whole); one lane may have done it all
  // before the other connected.
  EXPECT_GE(lanes.Sessions(), 1);
  EXPECT_GE(lanes.MostChunksWaiting(), 1u);
  EXPECT_LE(lanes.MostChunksWaiting(), QueryLanes::kChunksAhead);
}

// With a byte allowance the lanes run further ahead, and the results waiting for the reader stay
// within it (give or take the kChunksAhead chunks a query may always have waiting).
TEST(QueryLanes, ChunksWaitingStayWithinTheByteAllowance) {
  RETORT_REQUIRE_PG(pg);
  std::string snapshot;
  auto connection = OpenExportingSnapshot(pg, &snapshot);
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  const std::vector<LaneQuery> queries = {
      {"SELECT g, repeat('x', 1000) AS filler FROM generate_series(1, 2000) g", 20},
      {"SELECT g, repeat('y', 1000) AS filler FROM generate_series(1, 2000) g", 20},
  };
  constexpr size_t kAllowance = 512 * 1024;
  QueryLanes lanes(*connection,
                   {.snapshot = snapshot, .caller_waits = true, .bytes_ahead = kAllowance},
                   queries);
  size_t largest_chunk = 0;
  int rows = 0;
  for (size_t index = 0; index < queries.size(); ++index) {
    while (auto chunk = lanes.Take(index)) {
      ASSERT_TRUE(chunk->ok()) << chunk->error.message;
      largest_chunk = std::max(largest_chunk, chunk->value->MemorySize());
      rows += chunk->value->rows();
    }
  }
  lanes.Finish();
  EXPECT_EQ(rows, 4000);
  ASSERT_GT(largest_chunk, 20u * 1000);  // each chunk holds its 20 rows of 1 kB
  EXPECT_LE(lanes.MostBytesWaiting(),
            kAllowance + QueryLanes::kChunksAhead * queries.size() * largest_chunk);
}

// A reader that leaves a chunked query half read moves on without waiting for the rest, and a
// query that fails on the server fails after the chunks before the failure.
TEST(QueryLanes, ReaderMayLeaveChunkedQueryAndFailuresArrive) {
  RETORT_REQUIRE_PG(pg);
  std::string snapshot;
  auto connection = OpenExportingSnapshot(pg, &snapshot);
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  const std::vector<LaneQuery> queries = {
      {"SELECT g FROM generate_series(1, 100000) g", 100},
      {"SELECT 10 / (g - 250) FROM generate_series(1, 300) g", 100},
  };
  QueryLanes lanes(*connection, {.snapshot = snapshot, .caller_waits = true}, queries);
  auto first = lanes.Take(0);
  ASSERT_TRUE(first && first->ok());
  EXPECT_EQ(first->value->rows(), 100);
  // Query 1: two chunks, then the division by zero at row 250.
  std::vector<bool> outcomes;
  std::string error;
  while (auto chunk = lanes.Take(1)) {
    outcomes.push_back(chunk->ok());
    if (!chunk->ok()) error = chunk->error.message;
  }
  EXPECT_EQ(outcomes, (std::vector<bool>{true, true, false}));
  EXPECT_EQ(error, "division by zero");
  // The lane left on query 0 (its reader gone) ends instead of waiting to deliver: Finish
  // returns.
  lanes.Finish();
  EXPECT_GE(lanes.Sessions(), 1);
}

// A server that accepts connections and never answers them, as PGlite's socket server does while
// another session is open and a saturated pooler may: lanes dialing it wait forever. The caller's
// session reads every query then, large ones a chunk per Take through its own cursor, and Finish
// does not wait for the lanes.
TEST(QueryLanes, CallerReadsEverythingWhileLanesCannotConnect) {
  RETORT_REQUIRE_PG(pg);
  std::string snapshot;
  auto connection = OpenExportingSnapshot(pg, &snapshot);
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  testing::TempDir socket_dir;
  int silent = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(silent, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::string path = socket_dir.path() + "/.s.PGSQL.5999";
  ASSERT_LT(path.size(), sizeof address.sun_path);
  path.copy(address.sun_path, path.size());
  ASSERT_EQ(bind(silent, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(silent, 8), 0);
  pg::Connection::Settings silent_server;
  silent_server.keywords = {{"host", socket_dir.path()}, {"port", "5999"}, {"dbname", "x"}};

  const std::vector<LaneQuery> queries = {
      {"SELECT g FROM generate_series(1, 1000) g ORDER BY g", 300},
      {"SELECT g FROM generate_series(1, 1000) g", 100},
      {"SELECT 'last'"},
  };
  QueryLanes lanes(*connection, {.snapshot = snapshot, .server = silent_server}, queries);
  EXPECT_TRUE(lanes.WithLanes());
  std::vector<int> chunk_rows;
  int next_value = 1;
  while (auto chunk = lanes.Take(0)) {
    ASSERT_TRUE(chunk->ok()) << chunk->error.message;
    chunk_rows.push_back(chunk->value->rows());
    for (int row = 0; row < chunk->value->rows(); ++row) {
      EXPECT_EQ(chunk->value->Get(row, 0), std::to_string(next_value++));
    }
  }
  EXPECT_EQ(chunk_rows, (std::vector<int>{300, 300, 300, 100}));
  // Query 1 left after its first chunk: its cursor is never fetched again.
  auto first = lanes.Take(1);
  ASSERT_TRUE(first && first->ok()) << (first ? first->error.message : "no chunk");
  EXPECT_EQ(first->value->rows(), 100);
  auto last = lanes.Take(2);
  ASSERT_TRUE(last && last->ok()) << (last ? last->error.message : "no chunk");
  EXPECT_EQ(last->value->Get(0, 0), "last");
  EXPECT_FALSE(lanes.Take(2).has_value());
  lanes.Finish();  // returns: the lanes still dialing give up
  EXPECT_EQ(lanes.Sessions(), 1);
  EXPECT_LE(lanes.MostChunksWaiting(), 1u);  // fetched when asked for, not ahead
  // The caller's session is free for other queries, its transaction intact.
  auto after = connection->Execute("SELECT 1");
  EXPECT_TRUE(after.ok()) << after.error.message;
  EXPECT_TRUE(connection->InTransaction());
  close(silent);
}

}  // namespace
}  // namespace retort::catalog
