// Online plans (plan::Options::online): the steps of an ordered plan that would lock or rewrite
// a table that exists already, rewritten into forms that let reads and writes go on. Internal to
// plan/ (Build calls it); docs/formats.md, "Online plans", describes what the recipes are and why.
#pragma once

#include <string>

#include "plan/plan.h"
#include "schema/model.h"

namespace retort::plan {

// Rewrites `plan` (the steps from `from` to `to`, in order) in place.
void MakeOnline(Plan& plan, const schema::Database& from, const schema::Database& to);

// Whether a column default is evaluated once when the column is added (a constant, a cast of
// one, now() and the other stable built-ins lint knows): PostgreSQL 11+ stores it without
// rewriting the table. Anything else (a volatile or unknown function) is computed per row.
bool DefaultIsStoredOnce(const std::string& expression);

}  // namespace retort::plan
