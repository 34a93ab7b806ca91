// history --graph, --format dot, --format mermaid: the revisions of a history report drawn.
#include <map>

#include "base/strings.h"
#include "commands/commands.h"
#include "revision/graph_drawing.h"

namespace retort::commands {

namespace {

// The report's revisions as the drawing takes them, depends_on on branch labels resolved to the
// labelled revision (when it is in the report: the drawing leaves out what is not).
std::vector<revision::DrawNode> DrawNodes(const HistoryReport& report) {
  std::map<std::string, std::string, std::less<>> labelled;
  for (const RevisionInfo& info : report.revisions) {
    for (const std::string& label : info.branch_labels) labelled.emplace(label, info.id);
  }
  std::vector<revision::DrawNode> nodes;
  for (const RevisionInfo& info : report.revisions) {
    revision::DrawNode node{info.id, info.parents, {}};
    for (const std::string& target : info.depends_on) {
      auto label = labelled.find(target);
      node.depends_on.push_back(label == labelled.end() ? target : label->second);
    }
    nodes.push_back(std::move(node));
  }
  return nodes;
}

struct Edge {
  size_t from;  // positions in the report
  size_t to;
  bool depends_on;  // an ordering edge, not a parent
};

// The edges between revisions of the report, in drawing order: edges to revisions outside it
// (a range) are left out, as the drawing leaves them out.
std::vector<Edge> EdgesOf(const std::vector<revision::DrawNode>& nodes,
                          const revision::GraphDrawing& drawing) {
  std::map<std::string, size_t, std::less<>> position_of;
  for (size_t i = 0; i < nodes.size(); ++i) position_of.emplace(nodes[i].id, i);
  std::vector<Edge> edges;
  auto add = [&](size_t from, const std::string& to, bool depends_on) {
    auto target = position_of.find(to);
    if (target != position_of.end()) edges.push_back({from, target->second, depends_on});
  };
  for (size_t position : drawing.order) {
    for (const std::string& parent : nodes[position].parents) add(position, parent, false);
    for (const std::string& target : nodes[position].depends_on) add(position, target, true);
  }
  return edges;
}

// "3f2a9c1b7d4e (docs) (head) (current)": the id, branch labels and markers of plain `history`
// ("(base)" too: two unrelated lines are drawn one below the other, as git draws them).
std::string Title(const RevisionInfo& info) {
  std::string text = info.id;
  if (!info.branch_labels.empty()) text += " (" + Join(info.branch_labels, ", ") + ")";
  if (info.is_head) text += " (head)";
  if (info.is_current) text += " (current)";
  if (info.is_base) text += " (base)";
  if (!info.depends_on.empty()) text += " (depends on " + Join(info.depends_on, ", ") + ")";
  return text;
}

std::string Text(const HistoryReport& report, const revision::GraphDrawing& drawing) {
  std::string out;
  for (const revision::GraphRow& row : drawing.rows) {
    out += row.art;
    if (row.node) {
      const RevisionInfo& info = report.revisions[*row.node];
      out += " " + Title(info) + ", " + info.message;
    }
    out += "\n";
  }
  return out;
}

// A DOT string literal: backslashes and quotes escaped, a line break as \n.
std::string DotQuoted(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    if (c == '\n') {
      quoted += "\\n";
      continue;
    }
    quoted += c;
  }
  return quoted + "\"";
}

std::string Dot(const HistoryReport& report, const std::vector<revision::DrawNode>& nodes,
                const revision::GraphDrawing& drawing) {
  std::string out =
      "digraph retort_history {\n"
      "  node [shape=box, fontname=\"monospace\"];\n";
  for (size_t position : drawing.order) {
    const RevisionInfo& info = report.revisions[position];
    out += "  " + DotQuoted(info.id) + " [label=" + DotQuoted(Title(info) + "\n" + info.message) +
           (info.is_current ? ", style=bold" : "") + "];\n";
  }
  for (const Edge& edge : EdgesOf(nodes, drawing)) {
    out += "  " + DotQuoted(nodes[edge.from].id) + " -> " + DotQuoted(nodes[edge.to].id) +
           (edge.depends_on ? " [style=dashed, label=\"depends on\"]" : "") + ";\n";
  }
  return out + "}\n";
}

// Text inside a quoted mermaid label: mermaid's entity codes for the characters it would read
// as markup (its codes start with '#', so '#' itself is one of them).
std::string MermaidText(std::string_view text) {
  static const std::map<char, std::string_view> kEntities = {
      {'#', "#35;"}, {'"', "#quot;"}, {'<', "#lt;"}, {'>', "#gt;"}, {'`', "#96;"}, {'\n', " "}};
  std::string escaped;
  for (char c : text) {
    auto entity = kEntities.find(c);
    if (entity == kEntities.end()) {
      escaped += c;
    } else {
      escaped += entity->second;
    }
  }
  return escaped;
}

std::string Mermaid(const HistoryReport& report, const std::vector<revision::DrawNode>& nodes,
                    const revision::GraphDrawing& drawing) {
  // Revision ids may hold characters mermaid's node names cannot: nodes are named r0, r1, ...
  // in drawing order.
  std::map<std::string, std::string, std::less<>> names;
  for (size_t i = 0; i < drawing.order.size(); ++i) {
    names.emplace(nodes[drawing.order[i]].id, "r" + std::to_string(i));
  }
  std::string out = "graph TD\n";
  std::vector<std::string> current;
  for (size_t position : drawing.order) {
    const RevisionInfo& info = report.revisions[position];
    const std::string& name = names.at(info.id);
    out += "  " + name + "[\"" + MermaidText(Title(info)) + "<br>" + MermaidText(info.message) +
           "\"]\n";
    if (info.is_current) current.push_back(name);
  }
  for (const Edge& edge : EdgesOf(nodes, drawing)) {
    out += "  " + names.at(nodes[edge.from].id) +
           (edge.depends_on ? " -.->|depends on| " : " --> ") + names.at(nodes[edge.to].id) + "\n";
  }
  if (!current.empty()) {
    out += "  classDef current stroke-width:3px\n";
    out += "  class " + Join(current, ",") + " current\n";
  }
  return out;
}

}  // namespace

std::string DrawHistory(const HistoryReport& report, GraphFormat format) {
  std::vector<revision::DrawNode> nodes = DrawNodes(report);
  revision::GraphDrawing drawing = revision::DrawGraph(nodes);
  switch (format) {
    case GraphFormat::kText:
      return Text(report, drawing);
    case GraphFormat::kDot:
      return Dot(report, nodes, drawing);
    case GraphFormat::kMermaid:
      return Mermaid(report, nodes, drawing);
  }
  return "";
}

}  // namespace retort::commands
