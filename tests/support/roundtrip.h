// Round trips of a whole schema (issue 5's acceptance, grown by issue 12): the schema S, loaded
// into a database with devdb::ApplySqlFiles, is read with every index and constraint definition
// exactly as PostgreSQL prints it (support/printed_definitions.h), and must survive
//   (a) the SQL rendered from diff(empty -> S), applied to an empty database, rebuilds S: equal
//       models and `pg_dump --schema-only` equal up to line order;
//   (b) a second diff, S against the rebuilt database, is empty;
//   (c) the rendered downgrade takes the rebuilt database back to an empty one (its pg_dump
//       equals an empty database's).
// Used by roundtrip_test (the example projects) and corpus_test (schemas Debian ships).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "schema/model.h"
#include "support/pg_harness.h"

namespace retort::testing {

struct RoundTripResult {
  bool loaded = false;                // the files applied; nothing else ran when they did not
  schema::Database desired;           // S as the catalog reads it
  std::vector<std::string> problems;  // each failed check, with the evidence; empty: all held
  size_t upgrade_lines = 0;
  std::string timings;  // " load 12ms, inspect ..." (printed, never asserted on)
};

// Runs round trips on one cluster, each on a fresh database for S. The empty reference (its
// model and pg_dump) is read once, and the database the upgrade is applied to is used again by
// the next round trip whenever its downgrade left it exactly as empty as the reference.
class RoundTripper {
 public:
  explicit RoundTripper(PgHarness* pg) : pg_(pg) {}
  RoundTripper(const RoundTripper&) = delete;
  RoundTripper& operator=(const RoundTripper&) = delete;

  // Loads `files` (in order) into a new database and checks (a), (b) and (c). A file that does
  // not apply is a problem too.
  RoundTripResult Run(const std::vector<std::string>& files);

 private:
  bool EnsureEmptyReference();

  PgHarness* pg_;
  std::string empty_name_;
  std::optional<schema::Database> empty_model_;
  std::vector<std::string> empty_dump_;
  std::string reusable_target_;  // "" when the next round trip needs a new one
};

// Extensions the files create (CREATE EXTENSION, read with a regular expression: this only
// decides whether to skip) that the server `pg` runs cannot.
std::vector<std::string> UnavailableExtensions(PgHarness* pg,
                                               const std::vector<std::string>& files);

// Objects of each kind in `database`: the modelled kinds, then one row per named-only kind
// (UnmodelledObject::kind), each as (kind, count, modelled).
struct KindCount {
  std::string kind;
  size_t count = 0;
  bool modelled = true;
};
std::vector<KindCount> CountObjects(const schema::Database& database);

}  // namespace retort::testing
