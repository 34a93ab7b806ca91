#include "revision/graph_drawing.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <utility>

namespace retort::revision {
namespace {

// Edges by position, restricted to the drawn nodes and without repeats.
struct Edges {
  std::vector<std::vector<size_t>> parents;
  std::vector<std::vector<size_t>> depends_on;
  std::vector<bool> has_child;
};

Edges ResolveEdges(const std::vector<DrawNode>& nodes) {
  std::map<std::string, size_t, std::less<>> index;
  for (size_t i = 0; i < nodes.size(); ++i) index.emplace(nodes[i].id, i);
  auto resolve = [&](const std::vector<std::string>& ids) {
    std::vector<size_t> positions;
    for (const std::string& id : ids) {
      auto found = index.find(id);
      if (found == index.end()) continue;
      if (std::find(positions.begin(), positions.end(), found->second) == positions.end())
        positions.push_back(found->second);
    }
    return positions;
  };
  Edges edges;
  edges.has_child.assign(nodes.size(), false);
  for (const DrawNode& node : nodes) {
    edges.parents.push_back(resolve(node.parents));
    edges.depends_on.push_back(resolve(node.depends_on));
    for (size_t parent : edges.parents.back()) edges.has_child[parent] = true;
  }
  return edges;
}

// Reverse post-order of a depth-first walk from the heads: every revision comes before its
// parents and whatever it depends on. What is visited first ends up last, so the heads are
// walked in reverse id order, and a revision's depends_on and later parents before its first
// parent, which then follows it directly. Iterative: histories run to thousands of revisions.
std::vector<size_t> NewestFirst(const std::vector<DrawNode>& nodes, const Edges& edges) {
  std::vector<size_t> heads;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!edges.has_child[i]) heads.push_back(i);
  }
  std::sort(heads.begin(), heads.end(),
            [&](size_t a, size_t b) { return nodes[a].id > nodes[b].id; });
  // Every node is reached: it is a head or, through parents, some head's ancestor.
  std::vector<bool> visited(nodes.size(), false);
  std::vector<size_t> post;
  post.reserve(nodes.size());
  struct Frame {
    size_t node;
    std::vector<size_t> next;  // still to visit, popped from the back
  };
  auto successors = [&](size_t node) {
    std::vector<size_t> next = edges.parents[node];  // first parent at the front: visited last
    const std::vector<size_t>& depends = edges.depends_on[node];
    next.insert(next.end(), depends.rbegin(), depends.rend());
    return next;
  };
  for (size_t head : heads) {
    if (visited[head]) continue;
    visited[head] = true;
    std::vector<Frame> stack{{head, successors(head)}};
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next.empty()) {
        post.push_back(top.node);
        stack.pop_back();
        continue;
      }
      size_t next = top.next.back();
      top.next.pop_back();
      if (visited[next]) continue;
      visited[next] = true;
      stack.push_back({next, successors(next)});
    }
  }
  std::reverse(post.begin(), post.end());
  return post;
}

// A row of art under construction: lane i sits in column 2i, the odd columns hold the moves.
class Row {
 public:
  void Put(size_t column, char c) {
    if (text_.size() <= column) text_.resize(column + 1, ' ');
    text_[column] = c;
  }
  GraphRow Done(std::optional<size_t> node = std::nullopt) {
    size_t end = text_.find_last_not_of(' ');
    text_.resize(end == std::string::npos ? 0 : end + 1);
    return GraphRow{std::move(text_), node};
  }

 private:
  std::string text_;
};

class Drawer {
 public:
  explicit Drawer(std::vector<GraphRow>* rows) : rows_(*rows) {}

  void Draw(size_t node, const std::vector<size_t>& parents) {
    size_t lane = TakeLane(node);
    size_t extra = parents.empty() ? 0 : parents.size() - 1;
    // Three or more parents fan out from `*-.`: the lanes to the right first step aside.
    size_t shift = extra >= 2 && lane + 1 < lanes_.size() ? extra - 1 : 0;
    for (size_t step = 0; step < shift; ++step) {
      Row row;
      for (size_t i = 0; i <= lane; ++i) row.Put(2 * i, '|');
      for (size_t i = lane + 1; i < lanes_.size(); ++i) row.Put(2 * (i + step) + 1, '\\');
      rows_.push_back(row.Done());
    }
    Row commit;
    for (size_t i = 0; i < lane; ++i) commit.Put(2 * i, '|');
    commit.Put(2 * lane, '*');
    if (extra >= 2) {
      for (size_t column = 2 * lane + 1; column + 2 < 2 * (lane + extra); ++column)
        commit.Put(column, '-');
      commit.Put(2 * (lane + extra) - 2, '.');
    }
    for (size_t i = lane + 1; i < lanes_.size(); ++i) commit.Put(2 * (i + shift), '|');
    rows_.push_back(commit.Done(node));

    if (parents.empty()) {
      EndLane(lane);
      return;
    }
    lanes_[lane] = parents.front();
    if (extra == 0) return;
    Row fan;
    for (size_t i = 0; i <= lane; ++i) fan.Put(2 * i, '|');
    for (size_t k = 0; k < extra; ++k) fan.Put(2 * (lane + k) + 1, '\\');
    for (size_t i = lane + 1; i < lanes_.size(); ++i) fan.Put(2 * (i + extra) - 1, '\\');
    rows_.push_back(fan.Done());
    lanes_.insert(lanes_.begin() + static_cast<std::ptrdiff_t>(lane) + 1, parents.begin() + 1,
                  parents.end());
  }

 private:
  // The lane waiting for `node` (the leftmost, the others joining it), or a new one at the right.
  size_t TakeLane(size_t node) {
    std::vector<size_t> waiting;
    for (size_t i = 0; i < lanes_.size(); ++i) {
      if (lanes_[i] == node) waiting.push_back(i);
    }
    if (waiting.empty()) {
      lanes_.push_back(node);
      return lanes_.size() - 1;
    }
    // Right to left, each into the next waiting lane to its left: the fewest lanes crossed.
    for (size_t k = waiting.size() - 1; k > 0; --k) Join(waiting[k], waiting[k - 1]);
    return waiting.front();
  }

  // Lane `from` runs into lane `into` (to its left): `|/`, or `|_|/` over the lanes between.
  void Join(size_t from, size_t into) {
    Row row;
    for (size_t i = 0; i < from; ++i) row.Put(2 * i, '|');
    for (size_t column = 2 * into + 1; column + 2 < 2 * from; column += 2) row.Put(column, '_');
    row.Put(2 * from - 1, '/');
    for (size_t i = from + 1; i < lanes_.size(); ++i) row.Put(2 * i - 1, '/');
    rows_.push_back(row.Done());
    lanes_.erase(lanes_.begin() + static_cast<std::ptrdiff_t>(from));
  }

  // A base's lane stops; the lanes right of it move one to the left.
  void EndLane(size_t lane) {
    if (lane + 1 < lanes_.size()) {
      Row row;
      for (size_t i = 0; i < lane; ++i) row.Put(2 * i, '|');
      for (size_t i = lane + 1; i < lanes_.size(); ++i) row.Put(2 * i - 1, '/');
      rows_.push_back(row.Done());
    }
    lanes_.erase(lanes_.begin() + static_cast<std::ptrdiff_t>(lane));
  }

  std::vector<GraphRow>& rows_;
  std::vector<size_t> lanes_;  // the node each lane waits for, left to right
};

}  // namespace

GraphDrawing DrawGraph(const std::vector<DrawNode>& nodes) {
  Edges edges = ResolveEdges(nodes);
  GraphDrawing drawing;
  drawing.order = NewestFirst(nodes, edges);
  Drawer drawer(&drawing.rows);
  for (size_t node : drawing.order) drawer.Draw(node, edges.parents[node]);
  return drawing;
}

}  // namespace retort::revision
