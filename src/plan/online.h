// Online plans (plan::Options::online): the steps of an ordered plan that would lock or rewrite
// a table that exists already, rewritten into forms that let reads and writes go on. Internal to
// plan/ (Build calls it); docs/formats.md, "Online plans", describes what the recipes are and why.
#pragma once

#include <array>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.h"
#include "schema/model.h"

namespace retort::plan {

// The tables (and materialized views) of `from` that `steps` do not create again: where a lock
// or a rewrite hurts. A relation the plan creates is new to everyone but the migration.
std::set<schema::QualifiedName> ExistingRelations(const schema::Database& from,
                                                  const std::vector<Step>& steps);

// Rewrites `plan` (the steps from `from` to `to`, in order) in place.
void MakeOnline(Plan& plan, const schema::Database& from, const schema::Database& to);

// The name PostgreSQL gives the index it makes on `table` (a partition, for its parent's index)
// for an index of `shape` (diff::IndexShape: "USING btree (a, lower(b)) INCLUDE (c)") when no
// relation has that name yet: <table>_<columns>_idx in 63 bytes, the longer part cut first
// (makeObjectName). Online plans add _idx1, _idx2, ... past the names taken.
std::string DefaultIndexName(const std::string& table, const std::string& shape);

// Built-in functions known to be IMMUTABLE or STABLE: a column default calling only these is
// evaluated once when the column is added (no rewrite since PostgreSQL 11). Lint's
// volatile-default rule trusts the same list, so what an online plan leaves in one ADD COLUMN
// lint does not report.
inline constexpr std::array<std::string_view, 40> kStableBuiltinFunctions = {
    "now",
    "statement_timestamp",
    "transaction_timestamp",
    "current_date",
    "current_time",
    "localtimestamp",
    "localtime",
    "lower",
    "upper",
    "btrim",
    "ltrim",
    "rtrim",
    "trim",
    "length",
    "abs",
    "round",
    "floor",
    "ceil",
    "concat",
    "concat_ws",
    "md5",
    "to_char",
    "to_json",
    "to_jsonb",
    "json_build_object",
    "jsonb_build_object",
    "json_build_array",
    "jsonb_build_array",
    "make_date",
    "make_time",
    "make_timestamp",
    "make_timestamptz",
    "make_interval",
    "date_trunc",
    "date_part",
    "substring",
    "substr",
    "replace",
    "array_length",
    "current_setting"};

// Whether a column default is evaluated once when the column is added (a constant, a cast of
// one, now() and the other stable built-ins lint knows): PostgreSQL 11+ stores it without
// rewriting the table. Anything else (a volatile or unknown function) is computed per row.
bool DefaultIsStoredOnce(const std::string& expression);

}  // namespace retort::plan
