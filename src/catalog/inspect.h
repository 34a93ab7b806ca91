// Reads a live database's schema into the model with a small, fixed number of set-based
// catalog queries (src/catalog/queries/*.sql, embedded at build time), never one per table.
#pragma once

#include <string>
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
};

Result<schema::Database> Inspect(pg::Connection& connection, const InspectOptions& options);

}  // namespace retort::catalog
