// The revision DAG drawn as text, the way `git log --graph` draws commits: one row per revision
// (a `*` in its lane), with rows of `|`, `/`, `\` and `_` between them where lanes branch, merge
// or end. Pure: the caller prints the rows and puts its own text after each revision's `*`.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace retort::revision {

// One revision to draw. Parents and depends_on that are not among the drawn nodes are left out
// (a range of the history draws as if it began there).
struct DrawNode {
  std::string id;
  std::vector<std::string> parents = {};     // in the order the revision lists them
  std::vector<std::string> depends_on = {};  // revision ids; an ordering constraint, not a lane
};

struct GraphRow {
  std::string art;             // lane characters, no trailing spaces
  std::optional<size_t> node;  // the revision this row shows (index into the input); none for
                               // the rows that only move lanes
};

struct GraphDrawing {
  std::vector<size_t> order;  // the nodes newest first, as drawn (indexes into the input)
  std::vector<GraphRow> rows;
};

// Draws `nodes` (ids unique, any order, acyclic) newest first. The order keeps a line of first
// parents together below the revision that starts it (a depth-first walk, git's --topo-order),
// heads by id, so the same graph always draws the same bytes. Lane by lane:
//   - a revision that no drawn revision has as parent starts a new lane at the right;
//   - a merge's first parent continues its lane and every other parent gets a lane to its right
//     (`|\`); three or more parents spread from `*-.`, `*---.` as in git;
//   - lanes that wait for the same parent (a branch point) join before that parent's row (`|/`,
//     or `|_|/` across the lanes between them);
//   - the lane of a revision without drawn parents ends, and the lanes right of it move left.
GraphDrawing DrawGraph(const std::vector<DrawNode>& nodes);

}  // namespace retort::revision
