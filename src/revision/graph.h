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
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace retort::revision {

// Defaulted members let tests write Node{"b", {"a"}} under -Wextra.
struct Node {
  std::string id;
  std::vector<std::string> parents = {};
  std::vector<std::string> branch_labels = {};
  std::vector<std::string> depends_on = {};  // revision ids or branch labels
  std::string source = {};                   // "path:line" for error messages; may be empty
};

enum class Direction { kUp, kDown };

// One migration to run, with the version-table rows before and after it, so that the
// bookkeeping SQL (history/) is a pure function of the move. (A plan::Step, by contrast, is one
// schema change of a generated migration.)
struct Move {
  std::string revision;
  Direction direction = Direction::kUp;
  std::vector<std::string> rows_before;  // sorted
  std::vector<std::string> rows_after;   // sorted
};

// The moves from the current rows to a target's, in the order they run.
struct Path {
  std::vector<Move> steps;
  std::vector<std::string> final_rows;  // sorted; equals the last step's rows_after
};

class RevisionGraph {
 public:
  // Validates and indexes the nodes. InvalidInput (naming `source`s), every problem on its own
  // line, for: duplicate ids, unknown parents or depends_on, a branch label used twice or equal
  // to a revision id, cycles ("cycle: a -> b -> a", parent first), and ids or labels that could
  // not be typed back as a target (empty, "head", "heads", "base", "current", or holding '@', ':'
  // or whitespace).
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
  // "label" (the labelled revision), "label@REV" (REV, which must be on the branch), "head-N",
  // "REV-N"/"label@head-N" (N steps down the first parent), "REV+N" (N steps up through the only
  // child), "current", "-N"/"+N"/"label@-N"/"label@+N" (from the current revision; on a label's
  // branch, from that branch's current revision). `current_rows` are the version-table rows;
  // an unknown row is InvalidInput. A label's branch is the labelled revision, its ancestors and
  // its descendants through parents (depends_on crosses branches without joining them).
  Result<std::string> ResolveRevision(std::string_view spec,
                                      const std::vector<std::string>& current_rows) const;

  // The revision a new revision revises (`revision [--head HEAD]`): nothing for a new root
  // (HEAD "base", or no revisions yet), else HEAD resolved ("head" when not given). Without
  // HEAD, several heads are InvalidInput naming them: which one is for the user to say.
  Result<std::optional<std::string>> ResolveNewRevisionParent(
      const std::optional<std::string>& head) const;

  // Plans `upgrade TARGET`: "head", "heads", "label@heads", a revision spec, "+N" / "label@+N"
  // (N more revisions beyond the current one) / "REV@+N" / "REV+N" (N beyond REV). Applies the
  // target's ancestors (parents and depends_on) that are not applied yet; already-applied targets
  // give an empty plan. Steps run base-first, in TopologicalOrder().
  Result<Path> PlanUpgrade(const std::vector<std::string>& current_rows,
                           std::string_view target) const;

  // Plans `downgrade TARGET`: "base", "label@base" (the branch's applied revisions, whatever
  // depends on them, and its ancestors no applied revision off the branch needs), a revision spec
  // (it must be applied; everything applied that descends from it, depends_on included, is
  // removed), "-N" / "label@-N" (the N revisions down the current revision's first-parent line,
  // plus whatever descends from them). Steps run head-first (reverse TopologicalOrder()).
  Result<Path> PlanDowngrade(const std::vector<std::string>& current_rows,
                             std::string_view target) const;

  // Rows after `stamp TARGET...` ("base", "label@base", "heads", specs): with `purge` the rows
  // become exactly the targets' rows; without, current rows that are neither ancestors nor
  // descendants of a target are kept ("base" clears them, "label@base" clears one branch).
  Result<std::vector<std::string>> StampRows(const std::vector<std::string>& current_rows,
                                             const std::vector<std::string>& targets,
                                             bool purge) const;

  // `history -r A:B`: revisions descending from A and ancestors of B (inclusive; either side may
  // be empty, "base", "head", "heads", "current", "label@base", "label@heads" or a spec), newest
  // first. "current" at base means the start of history on the left and nothing on the right.
  Result<std::vector<std::string>> Range(std::string_view range,
                                         const std::vector<std::string>& current_rows) const;

 private:
  class Query;  // the algorithms, in graph.cc
  RevisionGraph() = default;

  std::vector<Node> nodes_;
  std::map<std::string, size_t, std::less<>> index_;   // id -> position in nodes_
  std::map<std::string, size_t, std::less<>> labels_;  // branch label -> position in nodes_
  // Edges by position in nodes_, resolved once so that walks over large graphs never look up ids.
  std::vector<std::vector<size_t>> parents_;     // in the order the revision lists them
  std::vector<std::vector<size_t>> depends_on_;  // labels resolved to their revision
  std::vector<std::vector<size_t>> children_;    // via parents only; sorted by id
  std::vector<std::vector<size_t>> dependents_;  // reverse of depends_on_
  std::vector<size_t> topological_;              // TopologicalOrder(), as positions
};

}  // namespace retort::revision
