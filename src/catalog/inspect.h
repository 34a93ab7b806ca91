// Reads a live database's schema into the model with a small, fixed number of set-based
// catalog queries (src/catalog/queries/*.sql, embedded at build time), never one per table.
//
// The queries run in one read-only REPEATABLE READ transaction (or inside the caller's open
// transaction) with search_path set to `public`, so PostgreSQL's own printers
// (format_type, pg_get_expr, pg_get_*def) qualify every name outside public and pg_catalog
// the same way whatever the session's search_path is: a column of extension type citext
// installed in public reads "citext", a table in schema app reads "app.t". SQL built from the
// model therefore expects public on the search_path.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "pg/connection.h"
#include "schema/model.h"

namespace retort::catalog {

struct InspectOptions {
  // retort's own bookkeeping (version and history tables), left out of the model.
  std::vector<schema::QualifiedName> exclude_tables;
  // Whole schemas to leave out (e.g. retort_backup). pg_catalog, information_schema, pg_toast
  // and pg_temp* are always left out, and so is every object an extension owns.
  std::vector<std::string> exclude_schemas;
  // Rows per chunk of the four results that grow with the schema (columns, constraints, indexes,
  // dependencies) when a second session reads them (catalog/query_lanes.h): bounds the memory
  // the results take while they wait for the reader. Tests make it small to read in many chunks.
  int rows_per_fetch = 2500;
  // From how many user relations (tables, indexes, TOAST tables, ...) on second sessions read
  // the catalog beside the caller's. Unset: from the first over a local connection
  // (pg::Connection::IsLocal, where a session costs a millisecond and halves the server's
  // planning of the catalog queries), from 1,000 over a network (where it costs round trips
  // that a small catalog, pipelined on the one session, does not win back). Tests set it to
  // reach either path.
  std::optional<int> second_session_from_relations;
  // The caller's session reads a catalog query only when no second session is left to read it
  // (catalog/query_lanes.h, LaneOptions::caller_waits). Tests set it so that the second sessions
  // read everything, as they mostly do on a large catalog.
  bool caller_waits_for_lanes = false;
};

// One catalog query: its file name under src/catalog/queries (without .sql) and its text.
struct CatalogQuery {
  std::string_view name;
  std::string_view sql;
};

// Every query Inspect runs, in the order it runs them; each runs exactly once per Inspect,
// whatever the size of the database.
std::span<const CatalogQuery> CatalogQueries();

// What one Inspect did, for tests and benchmarks.
struct InspectStats {
  int catalog_queries = 0;  // statements that read the catalog (not BEGIN/SET/COMMIT)
  // Sessions that read the snapshot: up to 3 outside the caller's transaction (the caller's
  // and two sharing its snapshot), 1 inside it or over a network on a small catalog.
  int sessions = 0;
  // Second sessions were started to share the caller's snapshot (whether or not they got to
  // read anything before the caller's session had read it all).
  bool shared_snapshot = false;
  // Results read: one per query, more for a query read in chunks.
  int chunks = 0;
};

// Reads the schema of the database `connection` is connected to. The model is sorted
// (Database::Sort). Leaves the session as it found it (search_path, transaction state).
Result<schema::Database> Inspect(pg::Connection& connection, const InspectOptions& options,
                                 InspectStats* stats = nullptr);

}  // namespace retort::catalog
