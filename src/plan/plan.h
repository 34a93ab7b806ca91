// Typed changes -> an ordered list of steps, each flagged with what it risks.
//
// The order follows phases (pg-schema-diff / Atlas style): schemas and extensions; the drops
// that must happen before anything changes (triggers, policies, views, functions, constraints
// and indexes being replaced or rebuilt); types; sequences; functions; tables and their
// columns; constraints, indexes and foreign keys; views; triggers; policies; comments; grants;
// then the remaining drops in reverse dependency order. Within a phase, objects are ordered by
// the pg_depend edges of the model (Database::dependencies): creations by the `to` edges,
// drops by the `from` edges.
//
// Views, functions, triggers and policies that depend on something the plan drops or changes
// (a column whose type changes, a dropped column, a replaced view or function, a swapped type)
// are dropped before it and created again after it, even when their own definition is equal.
#pragma once

#include <string>
#include <vector>

#include "diff/diff.h"
#include "schema/model.h"

namespace retort::plan {

struct Step {
  diff::Change change;
  // False for statements PostgreSQL refuses inside a transaction block.
  bool transactional = true;
  // Data is lost (dropped tables and columns, enum values removed).
  bool destructive = false;
  std::string destructive_note;  // "drops column public.t.c and its data"
  // Why the step is risky even when nothing is lost: rewrites, long locks, possible failures.
  std::string hazard;
};

struct Plan {
  std::vector<Step> steps;
  bool empty() const { return steps.empty(); }
};

// The plan that turns `from` into `to`: diff::Diff, then the changes ordered by the models'
// dependencies, with the drop and re-creation of the objects that depend on what changes.
Plan Build(const schema::Database& from, const schema::Database& to);

}  // namespace retort::plan
