// One typed change -> PostgreSQL 15 DDL. Identifiers are always schema-qualified and quoted
// only when PostgreSQL's quote_ident would quote them; definitions are the catalog's own text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "diff/diff.h"
#include "plan/plan.h"
#include "render/render.h"
#include "schema/model.h"

namespace retort::render {

// An identifier as quote_ident prints it: bare when it is lowercase, starts with a letter or
// underscore and is not a keyword PostgreSQL reserves (any category but unreserved).
std::string Ident(std::string_view name);
// schema.name, each part through Ident.
std::string Name(const schema::QualifiedName& name);

// The statements for one change, without the terminating ';'. Most changes are one
// statement; a type swap or a column re-creation is several.
std::vector<std::string> Statements(const diff::Change& change);

// The temporary name a swapped type has until the old one is dropped.
schema::QualifiedName SwapName(const schema::QualifiedName& name);

// A rendered plan: statements each ending in ";\n", separated by blank lines; a destructive
// step has a "-- DESTRUCTIVE: ..." line above its first statement. Starts with
// SET check_function_bodies = off when it creates functions (a SQL function may refer to a
// table created later in the script). A step's comments and directives (online plans) come
// right above its first statement, so that a `-- retort:lint-ignore` or `-- retort:batch`
// applies to it.
struct Script {
  std::string sql;
  // An enum value added by ALTER TYPE ... ADD VALUE that a later statement uses: PostgreSQL
  // refuses that before the ADD VALUE commits.
  bool needs_no_transaction = false;
  int destructive_steps = 0;
  std::vector<std::string> notes;  // plan::Step::note of the steps that have one
  // plan::ReportedHazards of each step, with the step's first statement.
  std::vector<MigrationSql::StatementHazard> hazards;
};
Script RenderPlan(const plan::Plan& plan);

}  // namespace retort::render
