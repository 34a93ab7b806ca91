#include "revision/graph.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <iterator>
#include <limits>
#include <optional>
#include <queue>
#include <utility>

#include "base/strings.h"

namespace retort::revision {
namespace {

// Words that mean something in a target, so no revision id or branch label may take them.
constexpr std::string_view kReservedNames[] = {"head", "heads", "base", "current"};

bool IsReserved(std::string_view name) {
  return std::find(std::begin(kReservedNames), std::end(kReservedNames), name) !=
         std::end(kReservedNames);
}

// '@' separates a branch from a revision and ':' the ends of a range, so a name holding either
// could never be typed back as a target.
bool HasBadCharacter(std::string_view name) {
  return std::any_of(name.begin(), name.end(), [](char c) {
    return c == '@' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
  });
}

std::string Located(const std::string& source, const std::string& message) {
  return source.empty() ? message : source + ": " + message;
}

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// "a", "a and b", "a, b and c".
std::string JoinAnd(const std::vector<std::string>& items) {
  if (items.size() <= 1) return items.empty() ? "" : items.front();
  std::vector<std::string> head(items.begin(), items.end() - 1);
  return Join(head, ", ") + " and " + items.back();
}

std::string Plural(size_t count, std::string_view word) {
  return std::to_string(count) + " " + std::string(word) + (count == 1 ? "" : "s");
}

// "REV+N", "head-N", "+N": a spec followed by a signed step count.
struct Relative {
  std::string_view base;  // empty for "+N" / "-N" (relative to the current revision)
  char sign = '+';
  size_t count = 0;
};

std::optional<Relative> ParseRelative(std::string_view spec) {
  size_t digits = spec.size();
  while (digits > 0 && spec[digits - 1] >= '0' && spec[digits - 1] <= '9') --digits;
  if (digits == spec.size() || digits == 0) return std::nullopt;
  char sign = spec[digits - 1];
  if (sign != '+' && sign != '-') return std::nullopt;
  Relative relative{spec.substr(0, digits - 1), sign, 0};
  std::from_chars_result parsed =
      std::from_chars(spec.data() + digits, spec.data() + spec.size(), relative.count);
  // A count too large to hold is certainly past the end of the graph; walking says so.
  if (parsed.ec == std::errc::result_out_of_range) {
    relative.count = std::numeric_limits<size_t>::max();
  }
  return relative;
}

// "label@rest" split at the first '@'; rest is empty when there is no '@'.
struct BranchSpec {
  std::string_view branch;
  std::string_view rest;
  bool has_branch = false;
};

BranchSpec SplitBranch(std::string_view spec) {
  size_t at = spec.find('@');
  if (at == std::string_view::npos) return {{}, spec, false};
  return {spec.substr(0, at), spec.substr(at + 1), true};
}

using Mask = std::vector<char>;

}  // namespace

// Everything works on positions in nodes_ and masks over them, so that a walk over 10,000
// revisions is linear and never recursive.
class RevisionGraph::Query {
 public:
  enum class Edges { kAll, kParentsOnly };

  // The database's place in the graph: the applied set (closed) and its rows.
  struct State {
    Mask applied;
    std::vector<size_t> rows;  // sorted by id
  };

  // A branch named by a label (or a revision): its revision, the revision's ancestors and its
  // descendants, following parents only (depends_on crosses branches, it doesn't extend them).
  struct Branch {
    std::string name;
    size_t root = 0;
    Mask members;
  };

  explicit Query(const RevisionGraph& graph) : graph_(graph) {}

  size_t Size() const { return graph_.nodes_.size(); }
  const std::string& Id(size_t position) const { return graph_.nodes_[position].id; }

  std::optional<size_t> IndexOf(std::string_view id) const {
    auto found = graph_.index_.find(id);
    if (found == graph_.index_.end()) return std::nullopt;
    return found->second;
  }
  std::optional<size_t> LabelOf(std::string_view label) const {
    auto found = graph_.labels_.find(label);
    if (found == graph_.labels_.end()) return std::nullopt;
    return found->second;
  }

  void SortById(std::vector<size_t>& positions) const {
    std::sort(positions.begin(), positions.end(),
              [this](size_t a, size_t b) { return Id(a) < Id(b); });
  }
  std::vector<std::string> Ids(const std::vector<size_t>& positions) const {
    std::vector<std::string> ids;
    ids.reserve(positions.size());
    for (size_t position : positions) ids.push_back(Id(position));
    return ids;
  }
  std::string IdList(const std::vector<size_t>& positions) const {
    return Join(Ids(positions), ", ");
  }
  std::string Describe(const State& state) const {
    return state.rows.empty() ? "base" : IdList(state.rows);
  }

  Mask Ancestors(const std::vector<size_t>& seeds, Edges edges) const {
    return Closure(seeds, graph_.parents_, edges == Edges::kAll ? &graph_.depends_on_ : nullptr);
  }
  Mask Descendants(const std::vector<size_t>& seeds, Edges edges) const {
    return Closure(seeds, graph_.children_, edges == Edges::kAll ? &graph_.dependents_ : nullptr);
  }

  // Members of `set` none of whose children (via parents) are in `set`, sorted by id.
  std::vector<size_t> HeadsOf(const Mask& set) const {
    std::vector<size_t> heads;
    for (size_t i = 0; i < Size(); ++i) {
      if (!set[i]) continue;
      const std::vector<size_t>& children = graph_.children_[i];
      if (std::none_of(children.begin(), children.end(), [&](size_t c) { return set[c] != 0; })) {
        heads.push_back(i);
      }
    }
    SortById(heads);
    return heads;
  }

  std::vector<size_t> AllHeads() const { return HeadsOf(Mask(Size(), 1)); }

  State StateFor(const std::vector<size_t>& rows) const {
    State state;
    state.applied = Ancestors(rows, Edges::kAll);
    state.rows = HeadsOf(state.applied);
    return state;
  }

  Result<State> MakeState(const std::vector<std::string>& rows) const {
    std::vector<size_t> positions;
    std::vector<std::string> errors;
    for (const std::string& row : rows) {
      if (std::optional<size_t> position = IndexOf(row)) {
        positions.push_back(*position);
      } else {
        errors.push_back("the version table names unknown revision " + Quoted(row));
      }
    }
    if (!errors.empty()) return Status::InvalidInput(Join(errors, "\n"));
    return StateFor(positions);
  }

  Result<Branch> MakeBranch(std::string_view name, const State& state) const {
    Branch branch;
    branch.name = std::string(name);
    if (std::optional<size_t> labelled = LabelOf(name)) {
      branch.root = *labelled;
    } else {
      // Alembic lets a revision stand for the branch it is on.
      RETORT_ASSIGN_OR_RETURN(branch.root, Resolve(name, state, nullptr));
    }
    branch.members = Ancestors({branch.root}, Edges::kParentsOnly);
    Mask descendants = Descendants({branch.root}, Edges::kParentsOnly);
    for (size_t i = 0; i < Size(); ++i) branch.members[i] |= descendants[i];
    return branch;
  }

  // The current revision, on `branch` when given: none at base, an error when there are several.
  Result<std::optional<size_t>> Position(std::string_view spec, const State& state,
                                         const Branch* branch) const {
    std::vector<size_t> heads = state.rows;
    if (branch != nullptr) {
      Mask on_branch(Size(), 0);
      for (size_t i = 0; i < Size(); ++i) on_branch[i] = state.applied[i] && branch->members[i];
      heads = HeadsOf(on_branch);
    }
    if (heads.size() > 1) {
      std::string message = Quoted(spec) + " needs a single current revision, but " +
                            IdList(heads) + " are all current";
      if (branch != nullptr) return Status::InvalidInput(message + " on branch " + branch->name);
      return Status::InvalidInput(message + "; qualify it with a branch (label@" +
                                  std::string(spec) + ") or name a revision");
    }
    if (heads.empty()) return std::optional<size_t>();
    return std::optional<size_t>(heads.front());
  }

  // N steps from `start` (base when absent): up through the single child, or down through the
  // first parent.
  Result<size_t> Walk(std::string_view spec, std::optional<size_t> start, const Relative& relative,
                      const Branch* branch) const {
    std::string origin = start ? Id(*start) : "base";
    if (relative.sign == '-') {
      if (!start) return Status::InvalidInput(Quoted(spec) + " goes past base: nothing is applied");
      size_t current = *start;
      for (size_t step = 0; step < relative.count; ++step) {
        if (graph_.parents_[current].empty()) {
          return Status::InvalidInput(Quoted(spec) + " goes past base: " + origin + " has only " +
                                      Plural(step, "revision") + " below it");
        }
        current = graph_.parents_[current].front();
      }
      return current;
    }
    std::optional<size_t> current = start;
    for (size_t step = 0; step < relative.count; ++step) {
      std::vector<size_t> candidates;
      if (current) {
        candidates = graph_.children_[*current];
      } else {
        for (size_t i = 0; i < Size(); ++i) {
          if (graph_.parents_[i].empty()) candidates.push_back(i);
        }
        SortById(candidates);
      }
      if (branch != nullptr) {
        std::erase_if(candidates, [&](size_t c) { return !branch->members[c]; });
      }
      if (candidates.empty()) {
        return Status::InvalidInput(Quoted(spec) + " goes past the head: there " +
                                    (step == 1 ? "is " : "are ") + Plural(step, "revision") +
                                    " after " + origin);
      }
      if (candidates.size() > 1) {
        return Status::InvalidInput(
            Quoted(spec) + " is ambiguous: " + (current ? Id(*current) : std::string("base")) +
            " is followed by " + IdList(candidates) + "; name a branch (label@+N) or a revision");
      }
      current = candidates.front();
    }
    if (!current) return Status::InvalidInput(Quoted(spec) + " names no revision");
    return *current;
  }

  std::string SeveralHeads(const std::vector<size_t>& heads, const Branch* branch) const {
    if (branch != nullptr) {
      return "branch " + branch->name + " has several heads: " + IdList(heads) + "; use '" +
             branch->name + "@heads' or name one of them";
    }
    return "there are several heads: " + IdList(heads) +
           "; use 'heads' for all of them or 'label@head' for one branch";
  }

  // One revision; `branch` scopes "head", "current", "+N" and checks membership.
  Result<size_t> Resolve(std::string_view spec, const State& state, const Branch* branch) const {
    if (spec.empty()) return Status::InvalidInput("empty revision");
    auto on_branch = [&](size_t position) -> Result<size_t> {
      if (branch != nullptr && !branch->members[position]) {
        return Status::InvalidInput("revision " + Quoted(Id(position)) + " is not on branch " +
                                    branch->name);
      }
      return position;
    };
    if (std::optional<size_t> exact = IndexOf(spec)) return on_branch(*exact);
    if (branch == nullptr) {
      if (std::optional<size_t> labelled = LabelOf(spec)) return *labelled;
      BranchSpec split = SplitBranch(spec);
      if (split.has_branch) {
        std::optional<Relative> relative = ParseRelative(split.rest);
        if (relative && relative->base.empty() && !LabelOf(split.branch)) {
          // "REV@+N" counts from REV itself, like "REV+N"; only a label means "its current".
          RETORT_ASSIGN_OR_RETURN(size_t start, Resolve(split.branch, state, nullptr));
          return Walk(spec, start, *relative, nullptr);
        }
        RETORT_ASSIGN_OR_RETURN(Branch named, MakeBranch(split.branch, state));
        return Resolve(split.rest, state, &named);
      }
    }
    if (spec == "head" || spec == "heads") {
      std::vector<size_t> heads = branch != nullptr ? HeadsOf(branch->members) : AllHeads();
      if (heads.size() == 1) return heads.front();
      if (heads.empty()) return Status::InvalidInput("there are no revisions");
      return Status::InvalidInput(SeveralHeads(heads, branch));
    }
    if (spec == "current") {
      RETORT_ASSIGN_OR_RETURN(std::optional<size_t> current, Position(spec, state, branch));
      if (!current) {
        return Status::InvalidInput(
            std::string("nothing is applied") +
            (branch != nullptr ? " on branch " + branch->name : std::string()) +
            ", so 'current' names no revision");
      }
      return *current;
    }
    if (spec == "base") return Status::InvalidInput("'base' is not a revision here");
    if (std::optional<Relative> relative = ParseRelative(spec)) {
      std::optional<size_t> start;
      if (relative->base.empty()) {
        RETORT_ASSIGN_OR_RETURN(start, Position(spec, state, branch));
      } else {
        RETORT_ASSIGN_OR_RETURN(start, Resolve(relative->base, state, branch));
      }
      return Walk(spec, start, *relative, branch);
    }
    std::vector<size_t> matches;
    for (auto it = graph_.index_.lower_bound(spec);
         it != graph_.index_.end() && StartsWith(it->first, spec); ++it) {
      matches.push_back(it->second);
    }
    if (matches.size() == 1) return on_branch(matches.front());
    if (matches.size() > 1) {
      return Status::InvalidInput("ambiguous revision prefix " + Quoted(spec) + ": it matches " +
                                  IdList(matches));
    }
    return Status::InvalidInput("unknown revision " + Quoted(spec));
  }

  // The step count of "+N", "-N", "label@+N" and "label@-N": the forms that count from the
  // current revision rather than from a named one.
  std::optional<Relative> FromCurrent(std::string_view spec) const {
    if (IndexOf(spec) || LabelOf(spec)) return std::nullopt;
    BranchSpec split = SplitBranch(spec);
    if (split.has_branch && !LabelOf(split.branch)) return std::nullopt;
    std::optional<Relative> relative = ParseRelative(split.rest);
    if (!relative || !relative->base.empty()) return std::nullopt;
    return relative;
  }

  // Like Resolve, plus the forms that name several revisions: "heads", "label@heads", "current".
  Result<std::vector<size_t>> ResolveMany(std::string_view spec, const State& state) const {
    if (!IndexOf(spec) && !LabelOf(spec)) {
      if (spec == "heads") return AllHeads();
      if (spec == "current") return state.rows;
      BranchSpec split = SplitBranch(spec);
      if (split.has_branch && split.rest == "heads") {
        RETORT_ASSIGN_OR_RETURN(Branch named, MakeBranch(split.branch, state));
        return HeadsOf(named.members);
      }
    }
    RETORT_ASSIGN_OR_RETURN(size_t position, Resolve(spec, state, nullptr));
    return std::vector<size_t>{position};
  }

  // What `downgrade label@base` removes: the branch's applied revisions, everything that depends
  // on them, and its ancestors unless an applied revision off the branch still needs them.
  Mask BranchRemoval(const Branch& branch, const State& state) const {
    Mask inside = Descendants({branch.root}, Edges::kAll);
    Mask ancestors = Ancestors({branch.root}, Edges::kParentsOnly);
    std::vector<size_t> outside;
    for (size_t i = 0; i < Size(); ++i) {
      inside[i] = state.applied[i] && (inside[i] || ancestors[i]);
      if (state.applied[i] && !inside[i]) outside.push_back(i);
    }
    Mask needed = Ancestors(outside, Edges::kAll);
    for (size_t i = 0; i < Size(); ++i) inside[i] = inside[i] && !needed[i];
    return inside;
  }

  // `downgrade -N` / `label@-N`: the N revisions down the current revision's first-parent line,
  // and whatever depends on them.
  Result<Mask> LineRemoval(std::string_view spec, size_t count, const State& state,
                           const Branch* branch) const {
    Mask removal(Size(), 0);
    if (count == 0) return removal;
    RETORT_ASSIGN_OR_RETURN(std::optional<size_t> start, Position(spec, state, branch));
    Mask allowed = branch != nullptr ? BranchRemoval(*branch, state) : state.applied;
    std::vector<size_t> line;
    std::optional<size_t> current = start;
    while (current && allowed[*current] && line.size() < count) {
      line.push_back(*current);
      const std::vector<size_t>& parents = graph_.parents_[*current];
      current = parents.empty() ? std::nullopt : std::optional<size_t>(parents.front());
    }
    if (line.size() < count) {
      std::string where = branch != nullptr ? " on branch " + branch->name : std::string();
      return Status::InvalidInput(Quoted(spec) + " goes past base: only " +
                                  Plural(line.size(), "revision") +
                                  (line.size() == 1 ? " is" : " are") + " applied" + where +
                                  (line.empty() ? std::string() : " (" + IdList(line) + ")"));
    }
    Mask descendants = Descendants({line.back()}, Edges::kAll);
    for (size_t i = 0; i < Size(); ++i) removal[i] = descendants[i] && state.applied[i];
    return removal;
  }

  // Runs `revisions` from `state`, recording the rows around every step. Rows change locally (a
  // step touches only the revision and its parents), which keeps long plans linear.
  Path Simulate(const State& state, const std::vector<size_t>& revisions,
                Direction direction) const {
    Path plan;
    Mask applied = state.applied;
    std::set<std::string> rows;
    for (size_t row : state.rows) rows.insert(Id(row));
    auto snapshot = [&rows] { return std::vector<std::string>(rows.begin(), rows.end()); };
    plan.steps.reserve(revisions.size());
    for (size_t revision : revisions) {
      Move step;
      step.revision = Id(revision);
      step.direction = direction;
      step.rows_before = snapshot();
      if (direction == Direction::kUp) {
        applied[revision] = 1;
        for (size_t parent : graph_.parents_[revision]) rows.erase(Id(parent));
        rows.insert(Id(revision));
      } else {
        applied[revision] = 0;
        rows.erase(Id(revision));
        for (size_t parent : graph_.parents_[revision]) {
          const std::vector<size_t>& siblings = graph_.children_[parent];
          if (applied[parent] && std::none_of(siblings.begin(), siblings.end(),
                                              [&](size_t c) { return applied[c] != 0; })) {
            rows.insert(Id(parent));
          }
        }
      }
      step.rows_after = snapshot();
      plan.steps.push_back(std::move(step));
    }
    plan.final_rows = snapshot();
    return plan;
  }

  std::vector<size_t> InOrder(const Mask& set, bool newest_first) const {
    std::vector<size_t> ordered;
    for (size_t position : graph_.topological_) {
      if (set[position]) ordered.push_back(position);
    }
    if (newest_first) std::reverse(ordered.begin(), ordered.end());
    return ordered;
  }

  // One end of a range: the revisions it names ("label@base" names the branch's bases).
  Result<std::vector<size_t>> RangeEnd(std::string_view spec, const State& state) const {
    BranchSpec split = SplitBranch(spec);
    if (split.has_branch && split.rest == "base") {
      RETORT_ASSIGN_OR_RETURN(Branch named, MakeBranch(split.branch, state));
      std::vector<size_t> bases;
      for (size_t i = 0; i < Size(); ++i) {
        if (named.members[i] && graph_.parents_[i].empty()) bases.push_back(i);
      }
      return bases;
    }
    return ResolveMany(spec, state);
  }

  static std::vector<std::string> CycleErrors(const RevisionGraph& graph, const Mask& stuck);

 private:
  Mask Closure(const std::vector<size_t>& seeds, const std::vector<std::vector<size_t>>& edges,
               const std::vector<std::vector<size_t>>* more_edges) const {
    Mask seen(Size(), 0);
    std::vector<size_t> stack;
    auto visit = [&](size_t position) {
      if (!seen[position]) {
        seen[position] = 1;
        stack.push_back(position);
      }
    };
    for (size_t seed : seeds) visit(seed);
    while (!stack.empty()) {
      size_t current = stack.back();
      stack.pop_back();
      for (size_t next : edges[current]) visit(next);
      if (more_edges != nullptr) {
        for (size_t next : (*more_edges)[current]) visit(next);
      }
    }
    return seen;
  }

  const RevisionGraph& graph_;
};

// The revisions left over by the topological sort are on cycles or downstream of one. Each
// strongly connected component (Tarjan, iterative) holds at least one cycle; report the shortest
// cycle through its smallest id, in upgrade order ("a -> b" = b revises or depends on a).
std::vector<std::string> RevisionGraph::Query::CycleErrors(const RevisionGraph& graph,
                                                           const Mask& stuck) {
  const size_t size = graph.nodes_.size();
  std::vector<std::vector<size_t>> next(size);
  for (size_t i = 0; i < size; ++i) {
    if (!stuck[i]) continue;
    for (const std::vector<size_t>* edges : {&graph.children_[i], &graph.dependents_[i]}) {
      for (size_t target : *edges) {
        if (stuck[target]) next[i].push_back(target);
      }
    }
  }
  std::vector<size_t> roots;
  for (size_t i = 0; i < size; ++i) {
    if (stuck[i]) roots.push_back(i);
  }
  auto by_id = [&graph](size_t a, size_t b) { return graph.nodes_[a].id < graph.nodes_[b].id; };
  std::sort(roots.begin(), roots.end(), by_id);

  constexpr size_t kUnvisited = std::numeric_limits<size_t>::max();
  std::vector<size_t> order(size, kUnvisited);
  std::vector<size_t> low(size, 0);
  Mask on_stack(size, 0);
  std::vector<size_t> stack;
  std::vector<std::vector<size_t>> components;
  size_t counter = 0;
  for (size_t root : roots) {
    if (order[root] != kUnvisited) continue;
    std::vector<std::pair<size_t, size_t>> calls;  // (revision, next edge to follow)
    auto enter = [&](size_t position) {
      order[position] = low[position] = counter++;
      stack.push_back(position);
      on_stack[position] = 1;
      calls.emplace_back(position, 0);
    };
    enter(root);
    while (!calls.empty()) {
      size_t current = calls.back().first;
      size_t edge = calls.back().second;
      if (edge < next[current].size()) {
        ++calls.back().second;
        size_t target = next[current][edge];
        if (order[target] == kUnvisited) {
          enter(target);
        } else if (on_stack[target]) {
          low[current] = std::min(low[current], order[target]);
        }
        continue;
      }
      calls.pop_back();
      if (!calls.empty()) {
        size_t caller = calls.back().first;
        low[caller] = std::min(low[caller], low[current]);
      }
      if (low[current] == order[current]) {
        std::vector<size_t> component;
        size_t member;
        do {
          member = stack.back();
          stack.pop_back();
          on_stack[member] = 0;
          component.push_back(member);
        } while (member != current);
        components.push_back(std::move(component));
      }
    }
  }

  std::vector<std::pair<std::string, std::string>> cycles;  // (first id, message)
  for (const std::vector<size_t>& component : components) {
    Mask in_component(size, 0);
    for (size_t member : component) in_component[member] = 1;
    size_t start = *std::min_element(component.begin(), component.end(), by_id);
    // Breadth-first from `start` finds the shortest way back to it.
    std::vector<size_t> came_from(size, kUnvisited);
    std::queue<size_t> queue;
    queue.push(start);
    came_from[start] = start;
    std::optional<size_t> last;
    while (!queue.empty() && !last) {
      size_t current = queue.front();
      queue.pop();
      for (size_t target : next[current]) {
        if (!in_component[target]) continue;
        if (target == start) {
          last = current;
          break;
        }
        if (came_from[target] == kUnvisited) {
          came_from[target] = current;
          queue.push(target);
        }
      }
    }
    if (!last) continue;  // a single revision that is merely downstream of a cycle
    std::vector<std::string> path;
    for (size_t at = *last; at != start; at = came_from[at]) path.push_back(graph.nodes_[at].id);
    path.push_back(graph.nodes_[start].id);
    std::reverse(path.begin(), path.end());
    path.push_back(graph.nodes_[start].id);
    cycles.emplace_back(graph.nodes_[start].id,
                        Located(graph.nodes_[start].source, "cycle: " + Join(path, " -> ")));
  }
  std::sort(cycles.begin(), cycles.end());
  std::vector<std::string> errors;
  for (auto& cycle : cycles) errors.push_back(std::move(cycle.second));
  return errors;
}

Result<RevisionGraph> RevisionGraph::Build(std::vector<Node> nodes) {
  RevisionGraph graph;
  graph.nodes_ = std::move(nodes);
  const std::vector<Node>& all = graph.nodes_;
  const size_t size = all.size();
  std::vector<std::string> errors;

  // Ids. Later duplicates are left out of everything below; the duplicate is the error to fix.
  Mask canonical(size, 0);
  std::map<std::string, std::vector<size_t>, std::less<>> duplicates;  // id -> every position
  std::vector<std::string> duplicated;  // in order of first appearance
  for (size_t i = 0; i < size; ++i) {
    const Node& node = all[i];
    if (node.id.empty()) {
      errors.push_back(Located(node.source, "revision without an id"));
      continue;
    }
    if (IsReserved(node.id) || HasBadCharacter(node.id)) {
      errors.push_back(Located(node.source, "revision id " + Quoted(node.id) +
                                                " is reserved or holds '@', ':' or a space"));
    }
    auto [first, inserted] = graph.index_.emplace(node.id, i);
    if (inserted) {
      canonical[i] = 1;
      continue;
    }
    std::vector<size_t>& positions = duplicates[node.id];
    if (positions.empty()) {
      positions.push_back(first->second);
      duplicated.push_back(node.id);
    }
    positions.push_back(i);
  }
  for (const std::string& id : duplicated) {
    std::vector<std::string> sources;
    for (size_t i : duplicates[id]) {
      if (!all[i].source.empty()) sources.push_back(all[i].source);
    }
    errors.push_back("duplicate revision id " + Quoted(id) +
                     (sources.empty() ? std::string() : " in " + JoinAnd(sources)));
  }

  // Branch labels.
  for (size_t i = 0; i < size; ++i) {
    if (!canonical[i]) continue;
    const Node& node = all[i];
    for (const std::string& label : node.branch_labels) {
      std::string what = "branch label " + Quoted(label) + " of revision " + Quoted(node.id);
      if (label.empty() || IsReserved(label) || HasBadCharacter(label)) {
        errors.push_back(
            Located(node.source, what + " is empty, reserved or holds '@', ':' or a space"));
        continue;
      }
      if (auto revision = graph.index_.find(label); revision != graph.index_.end()) {
        const Node& other = all[revision->second];
        errors.push_back(Located(
            node.source, what + " is also a revision id" +
                             (other.source.empty() ? std::string() : " (" + other.source + ")")));
        continue;
      }
      auto [existing, inserted] = graph.labels_.emplace(label, i);
      if (!inserted && existing->second != i) {
        const Node& other = all[existing->second];
        errors.push_back(Located(
            node.source, what + " is already used by revision " + Quoted(other.id) +
                             (other.source.empty() ? std::string() : " (" + other.source + ")")));
      }
    }
  }

  // Edges.
  graph.parents_.assign(size, {});
  graph.depends_on_.assign(size, {});
  graph.children_.assign(size, {});
  graph.dependents_.assign(size, {});
  for (size_t i = 0; i < size; ++i) {
    if (!canonical[i]) continue;
    const Node& node = all[i];
    for (const std::string& parent : node.parents) {
      auto found = graph.index_.find(parent);
      if (found == graph.index_.end()) {
        errors.push_back(Located(node.source, "revision " + Quoted(node.id) +
                                                  " revises unknown revision " + Quoted(parent)));
      } else if (std::find(graph.parents_[i].begin(), graph.parents_[i].end(), found->second) !=
                 graph.parents_[i].end()) {
        errors.push_back(Located(
            node.source, "revision " + Quoted(node.id) + " revises " + Quoted(parent) + " twice"));
      } else {
        graph.parents_[i].push_back(found->second);
        graph.children_[found->second].push_back(i);
      }
    }
    for (const std::string& dependency : node.depends_on) {
      std::optional<size_t> target;
      if (auto found = graph.index_.find(dependency); found != graph.index_.end()) {
        target = found->second;
      } else if (auto labelled = graph.labels_.find(dependency); labelled != graph.labels_.end()) {
        target = labelled->second;
      }
      if (!target) {
        errors.push_back(Located(
            node.source,
            "revision " + Quoted(node.id) + " depends on unknown revision " + Quoted(dependency)));
      } else if (std::find(graph.depends_on_[i].begin(), graph.depends_on_[i].end(), *target) ==
                 graph.depends_on_[i].end()) {
        graph.depends_on_[i].push_back(*target);
        graph.dependents_[*target].push_back(i);
      }
    }
  }
  // index_ is ordered by id, so ranks compare like ids without comparing strings again.
  std::vector<size_t> rank(size, 0);
  std::vector<size_t> by_rank;
  by_rank.reserve(graph.index_.size());
  for (const auto& [id, position] : graph.index_) {
    rank[position] = by_rank.size();
    by_rank.push_back(position);
  }
  for (std::vector<size_t>& children : graph.children_) {
    std::sort(children.begin(), children.end(),
              [&rank](size_t a, size_t b) { return rank[a] < rank[b]; });
  }

  // Kahn's algorithm, smallest id first among the ready revisions.
  std::vector<size_t> waiting_for(size, 0);
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;  // ranks
  for (size_t position : by_rank) {
    waiting_for[position] = graph.parents_[position].size() + graph.depends_on_[position].size();
    if (waiting_for[position] == 0) ready.push(rank[position]);
  }
  graph.topological_.reserve(by_rank.size());
  while (!ready.empty()) {
    size_t current = by_rank[ready.top()];
    ready.pop();
    graph.topological_.push_back(current);
    for (const std::vector<size_t>* edges :
         {&graph.children_[current], &graph.dependents_[current]}) {
      for (size_t next : *edges) {
        if (--waiting_for[next] == 0) ready.push(rank[next]);
      }
    }
  }
  if (graph.topological_.size() < by_rank.size()) {
    Mask stuck = canonical;
    for (size_t done : graph.topological_) stuck[done] = 0;
    std::vector<std::string> cycles = Query::CycleErrors(graph, stuck);
    errors.insert(errors.end(), cycles.begin(), cycles.end());
  }

  if (!errors.empty()) return Status::InvalidInput(Join(errors, "\n"));
  return graph;
}

const Node* RevisionGraph::Find(std::string_view id) const {
  auto found = index_.find(id);
  return found == index_.end() ? nullptr : &nodes_[found->second];
}

std::vector<std::string> RevisionGraph::Heads() const {
  Query query(*this);
  return query.Ids(query.AllHeads());
}

std::vector<std::string> RevisionGraph::Bases() const {
  std::vector<std::string> bases;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (parents_[i].empty()) bases.push_back(nodes_[i].id);
  }
  std::sort(bases.begin(), bases.end());
  return bases;
}

std::vector<std::string> RevisionGraph::Children(std::string_view id) const {
  auto found = index_.find(id);
  if (found == index_.end()) return {};
  return Query(*this).Ids(children_[found->second]);
}

std::vector<std::string> RevisionGraph::BranchPoints() const {
  std::vector<std::string> points;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (children_[i].size() > 1) points.push_back(nodes_[i].id);
  }
  std::sort(points.begin(), points.end());
  return points;
}

std::vector<std::string> RevisionGraph::TopologicalOrder() const {
  return Query(*this).Ids(topological_);
}

namespace {

std::vector<size_t> KnownPositions(const std::map<std::string, size_t, std::less<>>& index,
                                   const auto& ids) {
  std::vector<size_t> positions;
  for (const std::string& id : ids) {
    if (auto found = index.find(id); found != index.end()) positions.push_back(found->second);
  }
  return positions;
}

std::set<std::string> IdSet(const std::vector<Node>& nodes, const Mask& mask) {
  std::set<std::string> ids;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (mask[i]) ids.insert(nodes[i].id);
  }
  return ids;
}

}  // namespace

std::set<std::string> RevisionGraph::Ancestors(const std::vector<std::string>& ids) const {
  Query query(*this);
  return IdSet(nodes_, query.Ancestors(KnownPositions(index_, ids), Query::Edges::kAll));
}

std::set<std::string> RevisionGraph::Descendants(const std::vector<std::string>& ids) const {
  Query query(*this);
  return IdSet(nodes_, query.Descendants(KnownPositions(index_, ids), Query::Edges::kAll));
}

std::vector<std::string> RevisionGraph::RowsFor(const std::set<std::string>& applied) const {
  Query query(*this);
  Mask mask(nodes_.size(), 0);
  for (size_t position : KnownPositions(index_, applied)) mask[position] = 1;
  return query.Ids(query.HeadsOf(mask));
}

Result<std::optional<std::string>> RevisionGraph::ResolveNewRevisionParent(
    const std::optional<std::string>& head) const {
  std::string spec = head.value_or("head");
  if (spec == "base" || nodes_.empty()) return std::optional<std::string>();
  if (!head && Heads().size() > 1) {
    return Status::InvalidInput(
        "several heads (" + Join(Heads(), ", ") +
        "): pass --head REV (or label@head) to say which one the new revision revises, or "
        "`retort merge heads` first");
  }
  RETORT_ASSIGN_OR_RETURN(std::string parent, ResolveRevision(spec, {}));
  return std::optional<std::string>(std::move(parent));
}

Result<std::string> RevisionGraph::ResolveRevision(
    std::string_view spec, const std::vector<std::string>& current_rows) const {
  Query query(*this);
  RETORT_ASSIGN_OR_RETURN(Query::State state, query.MakeState(current_rows));
  RETORT_ASSIGN_OR_RETURN(size_t position, query.Resolve(spec, state, nullptr));
  return query.Id(position);
}

Result<Path> RevisionGraph::PlanUpgrade(const std::vector<std::string>& current_rows,
                                        std::string_view target) const {
  Query query(*this);
  RETORT_ASSIGN_OR_RETURN(Query::State state, query.MakeState(current_rows));
  if (target.empty()) return Status::InvalidInput("upgrade needs a target, e.g. 'head'");
  if (target == "base") return query.Simulate(state, {}, Direction::kUp);
  if (std::optional<Relative> relative = query.FromCurrent(target)) {
    if (relative->sign == '-') {
      return Status::InvalidInput("upgrade " + Quoted(target) +
                                  " would go down; use 'downgrade' for -N");
    }
    if (relative->count == 0) return query.Simulate(state, {}, Direction::kUp);
  }
  RETORT_ASSIGN_OR_RETURN(std::vector<size_t> targets, query.ResolveMany(target, state));
  Mask wanted = query.Ancestors(targets, Query::Edges::kAll);
  for (size_t i = 0; i < nodes_.size(); ++i) wanted[i] = wanted[i] && !state.applied[i];
  return query.Simulate(state, query.InOrder(wanted, false), Direction::kUp);
}

Result<Path> RevisionGraph::PlanDowngrade(const std::vector<std::string>& current_rows,
                                          std::string_view target) const {
  Query query(*this);
  RETORT_ASSIGN_OR_RETURN(Query::State state, query.MakeState(current_rows));
  if (target.empty()) return Status::InvalidInput("downgrade needs a target, e.g. '-1' or 'base'");
  Mask removal;
  BranchSpec split = SplitBranch(target);
  std::optional<Relative> relative = query.FromCurrent(target);
  bool named = Find(target) != nullptr || labels_.count(target) > 0;
  if (target == "base") {
    removal = state.applied;
  } else if (!named && split.has_branch && split.rest == "base") {
    RETORT_ASSIGN_OR_RETURN(Query::Branch branch, query.MakeBranch(split.branch, state));
    removal = query.BranchRemoval(branch, state);
  } else if (relative) {
    if (relative->sign == '+') {
      return Status::InvalidInput("downgrade " + Quoted(target) +
                                  " would go up; use 'upgrade' for +N");
    }
    std::optional<Query::Branch> branch;
    if (split.has_branch) {
      RETORT_ASSIGN_OR_RETURN(branch, query.MakeBranch(split.branch, state));
    }
    RETORT_ASSIGN_OR_RETURN(
        removal, query.LineRemoval(target, relative->count, state, branch ? &*branch : nullptr));
  } else {
    RETORT_ASSIGN_OR_RETURN(size_t destination, query.Resolve(target, state, nullptr));
    if (!state.applied[destination]) {
      return Status::InvalidInput("revision " + Quoted(query.Id(destination)) +
                                  " is not applied; current: " + query.Describe(state));
    }
    removal = query.Descendants({destination}, Query::Edges::kAll);
    removal[destination] = 0;
    for (size_t i = 0; i < nodes_.size(); ++i) removal[i] = removal[i] && state.applied[i];
  }
  return query.Simulate(state, query.InOrder(removal, true), Direction::kDown);
}

Result<std::vector<std::string>> RevisionGraph::StampRows(
    const std::vector<std::string>& current_rows, const std::vector<std::string>& targets,
    bool purge) const {
  Query query(*this);
  RETORT_ASSIGN_OR_RETURN(Query::State state, query.MakeState(current_rows));
  if (targets.empty()) return Status::InvalidInput("stamp needs a target, e.g. 'head' or 'base'");
  std::vector<size_t> rows = purge ? std::vector<size_t>() : state.rows;
  std::vector<size_t> stamped;
  for (const std::string& target : targets) {
    BranchSpec split = SplitBranch(target);
    bool named = Find(target) != nullptr || labels_.count(target) > 0;
    if (target == "base") {
      rows.clear();
    } else if (!named && split.has_branch && split.rest == "base") {
      RETORT_ASSIGN_OR_RETURN(Query::Branch branch, query.MakeBranch(split.branch, state));
      Query::State before = query.StateFor(rows);
      Mask removal = query.BranchRemoval(branch, before);
      for (size_t i = 0; i < nodes_.size(); ++i) {
        before.applied[i] = before.applied[i] && !removal[i];
      }
      rows = query.HeadsOf(before.applied);
    } else {
      RETORT_ASSIGN_OR_RETURN(std::vector<size_t> named_revisions,
                              query.ResolveMany(target, state));
      stamped.insert(stamped.end(), named_revisions.begin(), named_revisions.end());
    }
  }
  if (!purge && !stamped.empty()) {
    // A kept row on a stamped line would contradict the stamp (stamp can move backwards).
    Mask above = query.Descendants(stamped, Query::Edges::kAll);
    Mask below = query.Ancestors(stamped, Query::Edges::kAll);
    std::erase_if(rows, [&](size_t row) { return above[row] || below[row]; });
  }
  rows.insert(rows.end(), stamped.begin(), stamped.end());
  return query.Ids(query.StateFor(rows).rows);
}

Result<std::vector<std::string>> RevisionGraph::Range(
    std::string_view range, const std::vector<std::string>& current_rows) const {
  Query query(*this);
  RETORT_ASSIGN_OR_RETURN(Query::State state, query.MakeState(current_rows));
  Mask lower(nodes_.size(), 1);
  Mask upper(nodes_.size(), 1);
  if (!range.empty()) {
    size_t colon = range.find(':');
    if (colon == std::string_view::npos) {
      return Status::InvalidInput(Quoted(range) +
                                  " is not a range; use START:END (either side may be empty)");
    }
    std::string_view from = range.substr(0, colon);
    std::string_view to = range.substr(colon + 1);
    // "current" at base starts from the very beginning.
    bool from_everything =
        from.empty() || from == "base" || (from == "current" && state.rows.empty() && !Find(from));
    if (!from_everything) {
      RETORT_ASSIGN_OR_RETURN(std::vector<size_t> starts, query.RangeEnd(from, state));
      lower = query.Descendants(starts, Query::Edges::kAll);
    }
    if (to == "base") {
      upper.assign(nodes_.size(), 0);
    } else if (!to.empty() && to != "heads") {
      RETORT_ASSIGN_OR_RETURN(std::vector<size_t> ends, query.RangeEnd(to, state));
      upper = query.Ancestors(ends, Query::Edges::kAll);
    }
  }
  for (size_t i = 0; i < nodes_.size(); ++i) lower[i] = lower[i] && upper[i];
  return query.Ids(query.InOrder(lower, true));
}

}  // namespace retort::revision
