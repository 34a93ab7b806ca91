#include "revision/graph_drawing.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace retort::revision {
namespace {

// The drawing as text: each revision's row followed by its id, the other rows as they are.
std::string Drawn(const std::vector<DrawNode>& nodes) {
  GraphDrawing drawing = DrawGraph(nodes);
  std::string text;
  for (const GraphRow& row : drawing.rows) {
    text += row.art;
    if (row.node) text += " " + nodes[*row.node].id;
    text += "\n";
  }
  return text;
}

TEST(GraphDrawing, LinearIsOneLaneNewestFirst) {
  EXPECT_EQ(Drawn({{"a"}, {"b", {"a"}}, {"c", {"b"}}}),
            "* c\n"
            "* b\n"
            "* a\n");
}

TEST(GraphDrawing, ABranchGetsALaneThatJoinsAtTheBranchPoint) {
  EXPECT_EQ(Drawn({{"a"}, {"b", {"a"}}, {"c", {"b"}}, {"x", {"a"}}}),
            "* c\n"
            "* b\n"
            "| * x\n"
            "|/\n"
            "* a\n");
}

TEST(GraphDrawing, DiamondSplitsAtTheMergeAndJoinsAtTheBase) {
  EXPECT_EQ(Drawn({{"a"}, {"b", {"a"}}, {"c", {"a"}}, {"d", {"b", "c"}}}),
            "* d\n"
            "|\\\n"
            "* | b\n"
            "| * c\n"
            "|/\n"
            "* a\n");
}

TEST(GraphDrawing, OctopusMergeFansOutLikeGit) {
  EXPECT_EQ(Drawn({{"a"}, {"b", {"a"}}, {"c", {"a"}}, {"d", {"a"}}, {"m", {"b", "c", "d"}}}),
            "*-. m\n"
            "|\\ \\\n"
            "* | | b\n"
            "| * | c\n"
            "| | * d\n"
            "| |/\n"
            "|/\n"
            "* a\n");
}

TEST(GraphDrawing, LanesRightOfAnOctopusStepAsideFirst) {
  // t merges m and q; m, in the left lane, merges three parents while q waits on the right.
  EXPECT_EQ(Drawn({{"a"},
                   {"b", {"a"}},
                   {"c", {"a"}},
                   {"d", {"a"}},
                   {"m", {"b", "c", "d"}},
                   {"q", {"a"}},
                   {"t", {"m", "q"}}}),
            "* t\n"
            "|\\\n"
            "|  \\\n"
            "*-. | m\n"
            "|\\ \\ \\\n"
            "* | | | b\n"
            "| * | | c\n"
            "| | * | d\n"
            "| | | * q\n"
            "| | |/\n"
            "| |/\n"
            "|/\n"
            "* a\n");
}

TEST(GraphDrawing, TwoUnrelatedRootsFollowEachOther) {
  EXPECT_EQ(Drawn({{"a1"}, {"a2", {"a1"}}, {"b1"}, {"b2", {"b1"}}}),
            "* a2\n"
            "* a1\n"
            "* b2\n"
            "* b1\n");
}

TEST(GraphDrawing, ABaseLeftOfOtherLanesMovesThemLeft) {
  EXPECT_EQ(Drawn({{"a1"}, {"b1"}, {"m", {"a1", "b1"}}}),
            "* m\n"
            "|\\\n"
            "* | a1\n"
            " /\n"
            "* b1\n");
}

TEST(GraphDrawing, LanesJoinAcrossTheLanesBetween) {
  // x and y both wait for a while z's lane, between them, waits for r (drawn after a, which
  // depends on it).
  EXPECT_EQ(Drawn({{"r"},
                   {"a", {}, {"r"}},
                   {"x", {"a"}},
                   {"z", {"r"}},
                   {"y", {"a"}},
                   {"m", {"x", "z", "y"}}}),
            "*-. m\n"
            "|\\ \\\n"
            "* | | x\n"
            "| * | z\n"
            "| | * y\n"
            "|_|/\n"
            "* | a\n"
            " /\n"
            "* r\n");
}

TEST(GraphDrawing, DependsOnOrdersButDrawsNoLane) {
  // b depends on a across two lines: a is drawn below b although its id sorts first.
  GraphDrawing drawing = DrawGraph({{"a"}, {"b", {}, {"a"}}});
  ASSERT_EQ(drawing.order.size(), 2u);
  EXPECT_EQ(drawing.order[0], 1u);
  EXPECT_EQ(Drawn({{"a"}, {"b", {}, {"a"}}}), "* b\n* a\n");
}

TEST(GraphDrawing, ParentsOutsideTheDrawnSetAreLeftOut) {
  EXPECT_EQ(Drawn({{"b", {"a"}}, {"c", {"b", "elsewhere"}}}), "* c\n* b\n");
}

TEST(GraphDrawing, TheSameGraphInAnotherOrderDrawsTheSame) {
  std::vector<DrawNode> nodes = {
      {"a"}, {"b", {"a"}}, {"c", {"a"}}, {"d", {"b", "c"}}, {"e", {"a"}}};
  std::vector<DrawNode> reversed(nodes.rbegin(), nodes.rend());
  EXPECT_EQ(Drawn(nodes), Drawn(reversed));
}

}  // namespace
}  // namespace retort::revision
