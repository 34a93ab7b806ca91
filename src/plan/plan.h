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

#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "base/boxed.h"
#include "diff/diff.h"
#include "diff/renames.h"
#include "plan/dependencies.h"
#include "plan/hazards.h"
#include "schema/model.h"

namespace retort::plan {

// What few steps of a large plan carry (the 100,000 steps of a 10,000-table create script have
// none of it): Step keeps it in one box.
struct StepDetails {
  std::string destructive_note;  // "drops column public.t.c and its data"
  // What the step risks in lint's terms (plan/hazards.h): the findings lint would report for its
  // statements, which `revision --autogenerate` reports without linting what it rendered.
  std::vector<Hazard> hazards;
  // Hazards kept on purpose (an online plan's plain form, a confirmed rename): written as one
  // `-- retort:lint-ignore` directive below `directives`, and not reported.
  std::vector<RuleId> lint_ignore;
  // Comment lines written above the step's first statement (without the leading "-- "): why
  // the step has the form it has, or the online recipe the plan could not apply.
  std::vector<std::string> comments;
  // Migration directives written below the comments (without the leading "-- retort:"):
  // "batch size=10000 key=id". Online plans only.
  std::vector<std::string> directives;
  // A line for the terminal when the file is written: what the author should know.
  std::string note;
  bool operator==(const StepDetails&) const = default;
};

struct Step {
  diff::Change change;
  // False for statements PostgreSQL refuses inside a transaction block.
  bool transactional = true;
  // Data is lost (dropped tables and columns, enum values removed).
  bool destructive = false;

  // Online plans (Options::online) only:
  // The step must not share a transaction with the steps before it (a VALIDATE CONSTRAINT after
  // its NOT VALID, a batched backfill), so the migration runs `-- retort:transaction none`.
  bool commits_apart = false;
  // The directives go above every ALTER TABLE statement of the step, not just the first: a type
  // swap converts several columns, each in a statement of its own.
  bool directives_on_every_alter_table = false;

  // The rarely set fields (StepDetails), read as if they were members.
  const std::string& destructive_note() const { return Details().destructive_note; }
  const std::vector<Hazard>& hazards() const { return Details().hazards; }
  const std::vector<RuleId>& lint_ignore() const { return Details().lint_ignore; }
  const std::vector<std::string>& comments() const { return Details().comments; }
  const std::vector<std::string>& directives() const { return Details().directives; }
  const std::string& note() const { return Details().note; }
  // For setting them: boxes the details on first use.
  StepDetails& mutable_details() { return details_ ? *details_ : details_.emplace(); }

 private:
  const StepDetails& Details() const;
  Boxed<StepDetails> details_;
};

// A drop+add that is probably a rename the author did not confirm (diff::LikelyRenames): the
// DROP step gets a comment naming it and the flag that would rename instead.
struct RenameHint {
  diff::RenameSpec likely;  // in this plan's direction
  std::string flag;         // the `--rename` value to suggest (the upgrade's, in both directions)
  bool note = false;        // also a line for the terminal (the upgrade's)
};

struct Options {
  // Plan changes to tables that exist already so that they keep taking reads and writes:
  // indexes built and dropped CONCURRENTLY, constraints added NOT VALID and validated apart,
  // NOT NULL through a validated CHECK, unique and primary keys over a concurrently built
  // index, new columns with a volatile default or NOT NULL filled by a batched backfill. What has
  // no online form (a type change that rewrites) keeps its plain form, with the recipe as a
  // comment and a lint-ignore naming the rule. Tables created by the same plan need none of it.
  bool online = false;
  // Renames the author confirmed (diff::ApplyRenames): they run first, and the rest of the plan
  // starts from the model as it is after them. Specs that cannot apply are left out
  // (ApplyRenames reports them; callers check first).
  std::vector<diff::RenameSpec> renames{};
  std::vector<RenameHint> rename_hints{};
};

struct Plan {
  std::vector<Step> steps;
  bool empty() const { return steps.empty(); }
};

// The step's hazards that its lint_ignore does not name: what lint reports for its statements.
std::vector<Hazard> ReportedHazards(const Step& step);

// The dependencies Build(from, to, options) orders by; nothing once `stop` is requested (it is
// checked between the steps of the work: Build found the models equal and needs none).
// Threads: only reads its arguments, so it may run on another thread beside a Build over the
// same models; it starts none.
std::optional<Dependencies> BuildDependencies(const schema::Database& from,
                                              const schema::Database& to, const Options& options,
                                              std::stop_token stop = {});

// The plan that turns `from` into `to`: diff::Diff, then the changes ordered by the models'
// dependencies, with the drop and re-creation of the objects that depend on what changes.
// Threads: runs on the caller's alone and starts none. Several threads may run Build at once
// over the same models (it only reads them); running the dependencies beside it is the
// caller's choice (DependencySource).
Plan Build(const schema::Database& from, const schema::Database& to, const Options& options = {},
           const DependencySource& dependencies = {});

}  // namespace retort::plan
