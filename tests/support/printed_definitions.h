// Index and constraint definitions in a model against PostgreSQL's own printers: retort prints
// most of them itself (catalog/definitions.h), and must print exactly what pg_get_indexdef and
// pg_get_constraintdef print. Used by catalog_test and by every round trip (the example
// projects and the corpus).
#pragma once

#include <string>
#include <vector>

#include "schema/model.h"
#include "support/pg_harness.h"

namespace retort::testing {

// One problem per index or constraint of `database` (inspected from database `db`) whose
// definition differs from the server's, or that the server does not have. A key's
// " WITH (...)", its index's storage parameters, is expected where the model keeps it although
// pg_get_constraintdef leaves it out.
std::vector<std::string> DefinitionsUnlikePostgres(PgHarness* pg, const std::string& db,
                                                   const schema::Database& database);

}  // namespace retort::testing
