// RevisionGraph: the migrations as a DAG, and the plans that move a database along it.
// Pure: built from values, no files, no database (tests build graphs from literals).
//
// Vocabulary (Alembic's):
//  - parents (`revises`) are the edges of the graph; a revision with several parents is a merge,
//    one with several children a branch point; a revision without parents is a base.
//  - depends_on adds ordering edges across branches without making the target a parent.
//  - the *applied set* of a database is the closure (parents + depends_on, transitively) of the
//    rows in its version table; the *rows* are the heads of the applied set: applied revisions
//    none of whose children (via parents only) are applied.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace retort::revision {

struct Node {
  std::string id;
  std::vector<std::string> parents;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::string source;  // "path:line" for error messages; may be empty
};

enum class Direction { kUp, kDown };

// One migration to run, with the version-table rows before and after it, so that the
// bookkeeping SQL (history/) is a pure function of the step.
struct Step {
  std::string revision;
  Direction direction = Direction::kUp;
  std::vector<std::string> rows_before;  // sorted
  std::vector<std::string> rows_after;   // sorted
};

struct Plan {
  std::vector<Step> steps;
  std::vector<std::string> final_rows;  // sorted; equals the last step's rows_after
};

class RevisionGraph {
 public:
  // Validates and indexes the nodes. InvalidInput (naming `source`s) for: duplicate ids, unknown
  // parents or depends_on, a branch label used twice or equal to a revision id, cycles (naming
  // the revisions on the cycle).
  static Result<RevisionGraph> Build(std::vector<Node> nodes);

  const Node* Find(std::string_view id) const;  // exact id; nullptr when absent
  const std::vector<Node>& nodes() const { return nodes_; }
  std::vector<std::string> Heads() const;                        // sorted
  std::vector<std::string> Bases() const;                        // sorted
  std::vector<std::string> Children(std::string_view id) const;  // sorted
  std::vector<std::string> BranchPoints() const;                 // revisions with >1 child, sorted

  // Every revision, each after all its parents and depends_on (ties broken by id).
  std::vector<std::string> TopologicalOrder() const;

  // Closure of `ids` over parents and depends_on, including `ids` themselves.
  std::set<std::string> Ancestors(const std::vector<std::string>& ids) const;
  // Every revision whose ancestors include one of `ids`, including `ids` themselves.
  std::set<std::string> Descendants(const std::vector<std::string>& ids) const;
  // Heads of a closed applied set (see vocabulary), sorted.
  std::vector<std::string> RowsFor(const std::set<std::string>& applied) const;

  // Resolves one revision spec to an id: full id, unique prefix (ambiguous prefixes list the
  // candidates), "head" (error naming every head when there are several), "label@head",
  // "label" (the labelled revision), "head-N", "REV-N"/"label@head-N" (N steps down the first
  // parent). `current` are the version-table rows, for "current".
  Result<std::string> ResolveRevision(std::string_view spec,
                                      const std::vector<std::string>& current_rows) const;

  // Plans `upgrade TARGET`: "head", "heads", a revision spec, "+N" / "label@+N" / "REV@+N" /
  // "REV+N" (N more revisions beyond the current one / REV). Already-applied targets give an
  // empty plan. Steps run base-first.
  Result<Plan> PlanUpgrade(const std::vector<std::string>& current_rows,
                           std::string_view target) const;

  // Plans `downgrade TARGET`: "base", "label@base", a revision spec (everything applied that
  // descends from it is removed; it must be applied), "-N" / "label@-N" (remove N revisions).
  // Steps run head-first.
  Result<Plan> PlanDowngrade(const std::vector<std::string>& current_rows,
                             std::string_view target) const;

  // Rows after `stamp TARGET...` ("base", "heads", specs): with `purge` the rows become exactly
  // the targets' rows; without, rows on branches the targets don't touch are kept.
  Result<std::vector<std::string>> StampRows(const std::vector<std::string>& current_rows,
                                             const std::vector<std::string>& targets,
                                             bool purge) const;

  // `history -r A:B`: revisions descending from A and ancestors of B (inclusive; either side may
  // be empty, "base", "head", "heads", "current" or a spec), newest first.
  Result<std::vector<std::string>> Range(std::string_view range,
                                         const std::vector<std::string>& current_rows) const;

 private:
  std::vector<Node> nodes_;
  std::map<std::string, size_t, std::less<>> index_;
  std::map<std::string, std::vector<std::string>, std::less<>> children_;
};

}  // namespace retort::revision
