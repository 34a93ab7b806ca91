#include "revision/graph.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace retort::revision {
namespace {

using Ids = std::vector<std::string>;

#define ASSIGN_OR_FAIL(lhs, expr) ASSIGN_OR_FAIL_IMPL(RETORT_CONCAT(result_, __LINE__), lhs, expr)
#define ASSIGN_OR_FAIL_IMPL(tmp, lhs, expr)        \
  auto tmp = (expr);                               \
  ASSERT_TRUE(tmp.ok()) << tmp.status().message(); \
  lhs = std::move(tmp).value()

// r0 - r1 - a1 - a2 - m - after
//        \            /
//         b1 --------
std::vector<Node> BranchAndMerge() {
  return {
      Node{"r0", {}, {}, {}, "v/r0.sql:1"},  Node{"r1", {"r0"}, {}, {}, "v/r1.sql:1"},
      Node{"a1", {"r1"}, {"alpha"}, {}, ""}, Node{"a2", {"a1"}, {}, {}, ""},
      Node{"b1", {"r1"}, {"beta"}, {}, ""},  Node{"m", {"a2", "b1"}, {}, {}, ""},
      Node{"z9", {"m"}, {}, {}, ""},
  };
}

// Two independent lines; b2 depends on a1 across them.
std::vector<Node> TwoBases() {
  return {
      Node{"a1", {}, {"alpha"}, {}, ""},
      Node{"a2", {"a1"}, {}, {}, ""},
      Node{"b1", {}, {"beta"}, {}, ""},
      Node{"b2", {"b1"}, {}, {"a1"}, ""},
  };
}

std::vector<Node> Linear() {
  return {Node{"a", {}}, Node{"b", {"a"}}, Node{"c", {"b"}}, Node{"d", {"c"}}};
}

Ids Revisions(const Path& plan) {
  Ids revisions;
  for (const Move& step : plan.steps) revisions.push_back(step.revision);
  return revisions;
}

std::string ErrorOf(std::vector<Node> nodes) {
  Result<RevisionGraph> graph = RevisionGraph::Build(std::move(nodes));
  EXPECT_FALSE(graph.ok());
  EXPECT_EQ(graph.status().code(), Code::kInvalidInput);
  return graph.status().message();
}

// --- Build -------------------------------------------------------------------------------------

TEST(RevisionGraphBuildTest, IndexesHeadsBasesChildrenAndBranchPoints) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  ASSERT_NE(graph.Find("a2"), nullptr);
  EXPECT_EQ(graph.Find("a2")->parents, Ids{"a1"});
  EXPECT_EQ(graph.Find("a"), nullptr);
  EXPECT_EQ(graph.nodes().size(), 7u);
  EXPECT_EQ(graph.Heads(), Ids{"z9"});
  EXPECT_EQ(graph.Bases(), Ids{"r0"});
  EXPECT_EQ(graph.Children("r1"), (Ids{"a1", "b1"}));
  EXPECT_EQ(graph.Children("z9"), Ids{});
  EXPECT_EQ(graph.BranchPoints(), Ids{"r1"});
}

TEST(RevisionGraphBuildTest, DependsOnDoesNotMakeChildrenOrHeads) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  EXPECT_EQ(graph.Heads(), (Ids{"a2", "b2"}));
  EXPECT_EQ(graph.Bases(), (Ids{"a1", "b1"}));
  EXPECT_EQ(graph.Children("a1"), Ids{"a2"});
  EXPECT_TRUE(graph.BranchPoints().empty());
}

TEST(RevisionGraphBuildTest, DuplicateIdNamesBothSources) {
  std::string error =
      ErrorOf({Node{"abc", {}, {}, {}, "v/1.sql:1"}, Node{"abc", {}, {}, {}, "v/2.sql:1"}});
  EXPECT_EQ(error, "duplicate revision id 'abc' in v/1.sql:1 and v/2.sql:1");
}

TEST(RevisionGraphBuildTest, DuplicateIdWithoutSources) {
  EXPECT_EQ(ErrorOf({Node{"abc", {}}, Node{"abc", {}}}), "duplicate revision id 'abc'");
}

TEST(RevisionGraphBuildTest, UnknownParentNamesSourceAndMissingId) {
  EXPECT_EQ(ErrorOf({Node{"a", {}}, Node{"b", {"nope"}, {}, {}, "v/b.sql:2"}}),
            "v/b.sql:2: revision 'b' revises unknown revision 'nope'");
}

TEST(RevisionGraphBuildTest, UnknownDependsOnNamesSourceAndMissingId) {
  EXPECT_EQ(ErrorOf({Node{"a", {}}, Node{"b", {"a"}, {}, {"ghost"}, "v/b.sql:3"}}),
            "v/b.sql:3: revision 'b' depends on unknown revision 'ghost'");
}

TEST(RevisionGraphBuildTest, BranchLabelUsedTwice) {
  std::string error = ErrorOf(
      {Node{"a", {}, {"docs"}, {}, "v/a.sql:1"}, Node{"b", {"a"}, {"docs"}, {}, "v/b.sql:1"}});
  EXPECT_EQ(error,
            "v/b.sql:1: branch label 'docs' of revision 'b' is already used by revision 'a' "
            "(v/a.sql:1)");
}

TEST(RevisionGraphBuildTest, BranchLabelEqualToRevisionId) {
  std::string error = ErrorOf({Node{"a", {}}, Node{"b", {"a"}, {"a"}, {}, "v/b.sql:1"}});
  EXPECT_EQ(error, "v/b.sql:1: branch label 'a' of revision 'b' is also a revision id");
}

TEST(RevisionGraphBuildTest, ReservedNamesAreRejected) {
  EXPECT_NE(ErrorOf({Node{"head", {}}}).find("'head' is reserved"), std::string::npos);
  EXPECT_NE(ErrorOf({Node{"a", {}, {"heads"}}}).find("branch label 'heads'"), std::string::npos);
  EXPECT_NE(ErrorOf({Node{"a@b", {}}}).find("'a@b'"), std::string::npos);
}

TEST(RevisionGraphBuildTest, CycleNamesItsRevisionsInOrder) {
  std::string error = ErrorOf({Node{"root", {}}, Node{"a", {"c"}, {}, {}, "v/a.sql:1"},
                               Node{"b", {"a"}}, Node{"c", {"b"}}, Node{"tail", {"c"}}});
  EXPECT_EQ(error, "v/a.sql:1: cycle: a -> b -> c -> a");
}

TEST(RevisionGraphBuildTest, SelfParentIsACycle) {
  EXPECT_EQ(ErrorOf({Node{"a", {"a"}}}), "cycle: a -> a");
}

TEST(RevisionGraphBuildTest, CycleThroughDependsOn) {
  EXPECT_EQ(ErrorOf({Node{"a", {}, {}, {"b"}}, Node{"b", {"a"}}}), "cycle: a -> b -> a");
}

TEST(RevisionGraphBuildTest, ReportsEveryProblemOnItsOwnLine) {
  std::string error =
      ErrorOf({Node{"a", {}, {}, {}, "v/1.sql:1"}, Node{"a", {}, {}, {}, "v/2.sql:1"},
               Node{"b", {"x"}, {}, {}, "v/3.sql:1"}, Node{"c", {"d"}}, Node{"d", {"c"}}});
  EXPECT_EQ(error,
            "duplicate revision id 'a' in v/1.sql:1 and v/2.sql:1\n"
            "v/3.sql:1: revision 'b' revises unknown revision 'x'\n"
            "cycle: c -> d -> c");
}

TEST(RevisionGraphBuildTest, DependsOnMayNameABranchLabel) {
  ASSIGN_OR_FAIL(RevisionGraph graph,
                 RevisionGraph::Build({Node{"a1", {}, {"alpha"}}, Node{"b1", {}, {}, {"alpha"}}}));
  EXPECT_EQ(graph.Ancestors({"b1"}), (std::set<std::string>{"a1", "b1"}));
}

// --- Topology ----------------------------------------------------------------------------------

TEST(RevisionGraphTopologyTest, TopologicalOrderBreaksTiesById) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  EXPECT_EQ(graph.TopologicalOrder(), (Ids{"r0", "r1", "a1", "a2", "b1", "m", "z9"}));
}

TEST(RevisionGraphTopologyTest, TopologicalOrderPlacesDependenciesFirst) {
  // "a1" sorts first but depends on "z1", which must come before it.
  ASSIGN_OR_FAIL(RevisionGraph graph,
                 RevisionGraph::Build({Node{"a1", {}, {}, {"z1"}}, Node{"z1", {}}}));
  EXPECT_EQ(graph.TopologicalOrder(), (Ids{"z1", "a1"}));
}

TEST(RevisionGraphTopologyTest, AncestorsAndDescendantsFollowDependsOn) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  EXPECT_EQ(graph.Ancestors({"b2"}), (std::set<std::string>{"a1", "b1", "b2"}));
  EXPECT_EQ(graph.Descendants({"a1"}), (std::set<std::string>{"a1", "a2", "b2"}));
  EXPECT_EQ(graph.Ancestors({"unknown"}), std::set<std::string>{});
}

TEST(RevisionGraphTopologyTest, RowsForKeepsOnlyRevisionsWithoutAppliedChildren) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  EXPECT_EQ(graph.RowsFor({"r0", "r1", "a1", "b1"}), (Ids{"a1", "b1"}));
  EXPECT_EQ(graph.RowsFor(graph.Ancestors({"m"})), Ids{"m"});
  EXPECT_EQ(graph.RowsFor({}), Ids{});
}

TEST(RevisionGraphTopologyTest, DependencyTargetStaysARow) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  EXPECT_EQ(graph.RowsFor(graph.Ancestors({"b2"})), (Ids{"a1", "b2"}));
}

// --- ResolveRevision ---------------------------------------------------------------------------

TEST(RevisionGraphResolveTest, FullIdAndUniquePrefix) {
  ASSIGN_OR_FAIL(RevisionGraph graph,
                 RevisionGraph::Build({Node{"3f2a9c", {}}, Node{"3f7b00", {"3f2a9c"}}}));
  EXPECT_EQ(*graph.ResolveRevision("3f2a9c", {}), "3f2a9c");
  EXPECT_EQ(*graph.ResolveRevision("3f2", {}), "3f2a9c");
  EXPECT_EQ(*graph.ResolveRevision("3f7", {}), "3f7b00");
}

TEST(RevisionGraphResolveTest, AmbiguousPrefixListsCandidates) {
  ASSIGN_OR_FAIL(RevisionGraph graph,
                 RevisionGraph::Build({Node{"3f2a9c", {}}, Node{"3f7b00", {"3f2a9c"}}}));
  Result<std::string> resolved = graph.ResolveRevision("3f", {});
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.status().code(), Code::kInvalidInput);
  EXPECT_EQ(resolved.status().message(),
            "ambiguous revision prefix '3f': it matches 3f2a9c, 3f7b00");
}

TEST(RevisionGraphResolveTest, UnknownRevision) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  Result<std::string> resolved = graph.ResolveRevision("xyz", {});
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.status().code(), Code::kInvalidInput);
  EXPECT_EQ(resolved.status().message(), "unknown revision 'xyz'");
}

TEST(RevisionGraphResolveTest, HeadNeedsASingleHead) {
  ASSIGN_OR_FAIL(RevisionGraph linear, RevisionGraph::Build(Linear()));
  EXPECT_EQ(*linear.ResolveRevision("head", {}), "d");
  ASSIGN_OR_FAIL(RevisionGraph two, RevisionGraph::Build(TwoBases()));
  Result<std::string> resolved = two.ResolveRevision("head", {});
  ASSERT_FALSE(resolved.ok());
  EXPECT_NE(resolved.status().message().find("a2, b2"), std::string::npos);
}

TEST(RevisionGraphResolveTest, LabelsNameTheirRevisionAndTheirBranchHead) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  EXPECT_EQ(*graph.ResolveRevision("alpha", {}), "a1");
  EXPECT_EQ(*graph.ResolveRevision("alpha@head", {}), "a2");
  EXPECT_EQ(*graph.ResolveRevision("beta@head", {}), "b2");
  EXPECT_EQ(*graph.ResolveRevision("beta@b1", {}), "b1");
  Result<std::string> off_branch = graph.ResolveRevision("beta@a2", {});
  ASSERT_FALSE(off_branch.ok());
  EXPECT_EQ(off_branch.status().message(), "revision 'a2' is not on branch beta");
}

TEST(RevisionGraphResolveTest, MinusNWalksDownFirstParents) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  EXPECT_EQ(*graph.ResolveRevision("head-1", {}), "m");
  EXPECT_EQ(*graph.ResolveRevision("head-2", {}), "a2");  // m's first parent
  EXPECT_EQ(*graph.ResolveRevision("a2-2", {}), "r1");
  EXPECT_EQ(*graph.ResolveRevision("beta@head-1", {}), "m");
  EXPECT_EQ(*graph.ResolveRevision("head-0", {}), "z9");
  Result<std::string> too_far = graph.ResolveRevision("r1-2", {});
  ASSERT_FALSE(too_far.ok());
  EXPECT_EQ(too_far.status().message(), "'r1-2' goes past base: r1 has only 1 revision below it");
}

TEST(RevisionGraphResolveTest, PlusNWalksUpTheSingleChild) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  EXPECT_EQ(*graph.ResolveRevision("a1+2", {}), "m");
  Result<std::string> ambiguous = graph.ResolveRevision("r1+1", {});
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_NE(ambiguous.status().message().find("a1, b1"), std::string::npos);
}

TEST(RevisionGraphResolveTest, CurrentNeedsOneRow) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  EXPECT_EQ(*graph.ResolveRevision("current", {"a1"}), "a1");
  EXPECT_EQ(*graph.ResolveRevision("current-1", {"a1"}), "r1");
  EXPECT_FALSE(graph.ResolveRevision("current", {}).ok());
  Result<std::string> several = graph.ResolveRevision("current", {"a1", "b1"});
  ASSERT_FALSE(several.ok());
  EXPECT_NE(several.status().message().find("a1, b1"), std::string::npos);
}

TEST(RevisionGraphResolveTest, UnknownVersionTableRowIsAnError) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  Result<std::string> resolved = graph.ResolveRevision("head", {"gone"});
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.status().code(), Code::kInvalidInput);
  EXPECT_NE(resolved.status().message().find("'gone'"), std::string::npos);
}

// --- PlanUpgrade -------------------------------------------------------------------------------

TEST(RevisionGraphUpgradeTest, LinearHeadFromBase) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  ASSIGN_OR_FAIL(Path plan, graph.PlanUpgrade({}, "head"));
  EXPECT_EQ(Revisions(plan), (Ids{"a", "b", "c", "d"}));
  ASSERT_EQ(plan.steps.size(), 4u);
  EXPECT_EQ(plan.steps[0].direction, Direction::kUp);
  EXPECT_EQ(plan.steps[0].rows_before, Ids{});
  EXPECT_EQ(plan.steps[0].rows_after, Ids{"a"});
  EXPECT_EQ(plan.steps[3].rows_before, Ids{"c"});
  EXPECT_EQ(plan.steps[3].rows_after, Ids{"d"});
  EXPECT_EQ(plan.final_rows, Ids{"d"});
}

TEST(RevisionGraphUpgradeTest, HeadWithSeveralHeadsNamesThemAndSuggestsAlternatives) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  Result<Path> plan = graph.PlanUpgrade({}, "head");
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), Code::kInvalidInput);
  const std::string& message = plan.status().message();
  EXPECT_NE(message.find("a2, b2"), std::string::npos);
  EXPECT_NE(message.find("'heads'"), std::string::npos);
  EXPECT_NE(message.find("'label@head'"), std::string::npos);
}

TEST(RevisionGraphNewParentTest, NoneForANewRootElseTheResolvedHead) {
  ASSIGN_OR_FAIL(RevisionGraph empty, RevisionGraph::Build({}));
  ASSIGN_OR_FAIL(std::optional<std::string> first, empty.ResolveNewRevisionParent(std::nullopt));
  EXPECT_EQ(first, std::nullopt);

  ASSIGN_OR_FAIL(RevisionGraph linear, RevisionGraph::Build(Linear()));
  ASSIGN_OR_FAIL(std::optional<std::string> head, linear.ResolveNewRevisionParent(std::nullopt));
  EXPECT_EQ(head, "d");
  ASSIGN_OR_FAIL(std::optional<std::string> base, linear.ResolveNewRevisionParent("base"));
  EXPECT_EQ(base, std::nullopt);
  // Any revision spec: whether a non-head may be revised is the caller's to decide (--splice).
  ASSIGN_OR_FAIL(std::optional<std::string> older, linear.ResolveNewRevisionParent("head-2"));
  EXPECT_EQ(older, "b");
  EXPECT_EQ(linear.ResolveNewRevisionParent("nope").status().code(), Code::kInvalidInput);
}

TEST(RevisionGraphNewParentTest, SeveralHeadsNeedOneNamed) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  Result<std::optional<std::string>> unnamed = graph.ResolveNewRevisionParent(std::nullopt);
  ASSERT_FALSE(unnamed.ok());
  EXPECT_EQ(unnamed.status().code(), Code::kInvalidInput);
  EXPECT_NE(unnamed.status().message().find("several heads (a2, b2)"), std::string::npos);
  ASSIGN_OR_FAIL(std::optional<std::string> named, graph.ResolveNewRevisionParent("beta@head"));
  EXPECT_EQ(named, "b2");
  // "head" written out is a spec like any other: resolving it names the heads too.
  EXPECT_FALSE(graph.ResolveNewRevisionParent("head").ok());
}

TEST(RevisionGraphUpgradeTest, HeadsAppliesEveryBranch) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  ASSIGN_OR_FAIL(Path plan, graph.PlanUpgrade({}, "heads"));
  EXPECT_EQ(Revisions(plan), (Ids{"a1", "a2", "b1", "b2"}));
  EXPECT_EQ(plan.final_rows, (Ids{"a2", "b2"}));
}

TEST(RevisionGraphUpgradeTest, BranchAndMergeRowsOnEveryStep) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  ASSIGN_OR_FAIL(Path plan, graph.PlanUpgrade({"r1"}, "m"));
  ASSERT_EQ(Revisions(plan), (Ids{"a1", "a2", "b1", "m"}));
  EXPECT_EQ(plan.steps[0].rows_before, Ids{"r1"});
  EXPECT_EQ(plan.steps[0].rows_after, Ids{"a1"});
  EXPECT_EQ(plan.steps[1].rows_after, Ids{"a2"});
  EXPECT_EQ(plan.steps[2].rows_before, Ids{"a2"});
  EXPECT_EQ(plan.steps[2].rows_after, (Ids{"a2", "b1"}));
  // The merge turns two rows into one.
  EXPECT_EQ(plan.steps[3].rows_before, (Ids{"a2", "b1"}));
  EXPECT_EQ(plan.steps[3].rows_after, Ids{"m"});
  EXPECT_EQ(plan.final_rows, Ids{"m"});
}

TEST(RevisionGraphUpgradeTest, ToARevisionAppliesOnlyItsAncestors) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  ASSIGN_OR_FAIL(Path plan, graph.PlanUpgrade({"r0"}, "b1"));
  EXPECT_EQ(Revisions(plan), (Ids{"r1", "b1"}));
  EXPECT_EQ(plan.final_rows, Ids{"b1"});
}

TEST(RevisionGraphUpgradeTest, FromSeveralRowsFillsTheMissingBranch) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  ASSIGN_OR_FAIL(Path plan, graph.PlanUpgrade({"a1", "b1"}, "head"));
  EXPECT_EQ(Revisions(plan), (Ids{"a2", "m", "z9"}));
  EXPECT_EQ(plan.steps[0].rows_before, (Ids{"a1", "b1"}));
  EXPECT_EQ(plan.steps[0].rows_after, (Ids{"a2", "b1"}));
}

TEST(RevisionGraphUpgradeTest, AlreadyAppliedOrAncestorTargetIsAnEmptyPlan) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  ASSIGN_OR_FAIL(Path at_target, graph.PlanUpgrade({"d"}, "head"));
  EXPECT_TRUE(at_target.steps.empty());
  EXPECT_EQ(at_target.final_rows, Ids{"d"});
  ASSIGN_OR_FAIL(Path below, graph.PlanUpgrade({"c"}, "a"));
  EXPECT_TRUE(below.steps.empty());
  EXPECT_EQ(below.final_rows, Ids{"c"});
}

TEST(RevisionGraphUpgradeTest, PlusNFromCurrentAndFromBase) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  ASSIGN_OR_FAIL(Path from_b, graph.PlanUpgrade({"b"}, "+2"));
  EXPECT_EQ(Revisions(from_b), (Ids{"c", "d"}));
  ASSIGN_OR_FAIL(Path from_base, graph.PlanUpgrade({}, "+1"));
  EXPECT_EQ(Revisions(from_base), Ids{"a"});
}

TEST(RevisionGraphUpgradeTest, PlusNPastTheHeadFails) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  Result<Path> plan = graph.PlanUpgrade({"c"}, "+2");
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().message(), "'+2' goes past the head: there is 1 revision after c");
}

TEST(RevisionGraphUpgradeTest, PlusNAtABranchPointNamesTheChildren) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  Result<Path> plan = graph.PlanUpgrade({"r1"}, "+1");
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("r1 is followed by a1, b1"), std::string::npos);
}

TEST(RevisionGraphUpgradeTest, PlusNWithSeveralRowsNeedsABranch) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  Result<Path> plan = graph.PlanUpgrade({"a1", "b1"}, "+1");
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("a1, b1"), std::string::npos);
  EXPECT_NE(plan.status().message().find("label@+1"), std::string::npos);
}

TEST(RevisionGraphUpgradeTest, LabelPlusNFollowsThatBranch) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  // At r1 (the branch point) "alpha@+2" can only mean a1 then a2.
  ASSIGN_OR_FAIL(Path plan, graph.PlanUpgrade({"r1"}, "alpha@+2"));
  EXPECT_EQ(Revisions(plan), (Ids{"a1", "a2"}));
  // With both branches applied, beta's position is b1.
  ASSIGN_OR_FAIL(Path beta, graph.PlanUpgrade({"a1", "b1"}, "beta@+1"));
  EXPECT_EQ(Revisions(beta), (Ids{"a2", "m"}));  // m also needs a2
}

TEST(RevisionGraphUpgradeTest, LabelPlusNFromNothingStartsAtTheBranchBase) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  ASSIGN_OR_FAIL(Path plan, graph.PlanUpgrade({}, "beta@+1"));
  EXPECT_EQ(Revisions(plan), Ids{"b1"});
}

TEST(RevisionGraphUpgradeTest, RevisionPlusNIsRelativeToThatRevision) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  ASSIGN_OR_FAIL(Path plus, graph.PlanUpgrade({}, "a+2"));
  EXPECT_EQ(Revisions(plus), (Ids{"a", "b", "c"}));
  ASSIGN_OR_FAIL(Path at_plus, graph.PlanUpgrade({"a"}, "b@+1"));
  EXPECT_EQ(Revisions(at_plus), (Ids{"b", "c"}));
}

TEST(RevisionGraphUpgradeTest, PlusZeroIsAnEmptyPlan) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  ASSIGN_OR_FAIL(Path from_base, graph.PlanUpgrade({}, "+0"));
  EXPECT_TRUE(from_base.steps.empty());
  ASSIGN_OR_FAIL(Path from_b, graph.PlanUpgrade({"b"}, "+0"));
  EXPECT_TRUE(from_b.steps.empty());
  EXPECT_EQ(from_b.final_rows, Ids{"b"});
}

TEST(RevisionGraphUpgradeTest, LabelHeadsAndLabelHead) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  ASSIGN_OR_FAIL(Path heads, graph.PlanUpgrade({}, "alpha@heads"));
  EXPECT_EQ(Revisions(heads), (Ids{"a1", "a2"}));
  ASSIGN_OR_FAIL(Path head, graph.PlanUpgrade({"a2"}, "beta@head"));
  EXPECT_EQ(Revisions(head), (Ids{"b1", "b2"}));
  EXPECT_EQ(head.final_rows, (Ids{"a2", "b2"}));
}

TEST(RevisionGraphUpgradeTest, DependsOnPullsTheOtherBranchIn) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  ASSIGN_OR_FAIL(Path plan, graph.PlanUpgrade({}, "b2"));
  EXPECT_EQ(Revisions(plan), (Ids{"a1", "b1", "b2"}));
  EXPECT_EQ(plan.steps[1].rows_after, (Ids{"a1", "b1"}));
  EXPECT_EQ(plan.final_rows, (Ids{"a1", "b2"}));
}

TEST(RevisionGraphUpgradeTest, MinusNIsNotAnUpgrade) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  Result<Path> plan = graph.PlanUpgrade({"c"}, "-1");
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), Code::kInvalidInput);
}

TEST(RevisionGraphUpgradeTest, UnknownTargetFails) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  Result<Path> plan = graph.PlanUpgrade({}, "nope");
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().message(), "unknown revision 'nope'");
}

// --- PlanDowngrade -----------------------------------------------------------------------------

TEST(RevisionGraphDowngradeTest, BaseRemovesEverythingHeadFirst) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  ASSIGN_OR_FAIL(Path plan, graph.PlanDowngrade({"c"}, "base"));
  EXPECT_EQ(Revisions(plan), (Ids{"c", "b", "a"}));
  EXPECT_EQ(plan.steps[0].direction, Direction::kDown);
  EXPECT_EQ(plan.steps[0].rows_before, Ids{"c"});
  EXPECT_EQ(plan.steps[0].rows_after, Ids{"b"});
  EXPECT_EQ(plan.steps[2].rows_after, Ids{});
  EXPECT_EQ(plan.final_rows, Ids{});
}

TEST(RevisionGraphDowngradeTest, UndoingTheMergeSplitsTheRows) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  ASSIGN_OR_FAIL(Path plan, graph.PlanDowngrade({"m"}, "r1"));
  ASSERT_EQ(Revisions(plan), (Ids{"m", "b1", "a2", "a1"}));
  EXPECT_EQ(plan.steps[0].rows_before, Ids{"m"});
  EXPECT_EQ(plan.steps[0].rows_after, (Ids{"a2", "b1"}));
  EXPECT_EQ(plan.steps[1].rows_after, Ids{"a2"});
  EXPECT_EQ(plan.steps[2].rows_after, Ids{"a1"});
  EXPECT_EQ(plan.steps[3].rows_after, Ids{"r1"});
  EXPECT_EQ(plan.final_rows, Ids{"r1"});
}

TEST(RevisionGraphDowngradeTest, MinusOneFromTheMerge) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  ASSIGN_OR_FAIL(Path plan, graph.PlanDowngrade({"m"}, "-1"));
  EXPECT_EQ(Revisions(plan), Ids{"m"});
  EXPECT_EQ(plan.final_rows, (Ids{"a2", "b1"}));
}

TEST(RevisionGraphDowngradeTest, MinusNFollowsTheFirstParentLine) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  ASSIGN_OR_FAIL(Path plan, graph.PlanDowngrade({"m"}, "-2"));
  EXPECT_EQ(Revisions(plan), (Ids{"m", "a2"}));
  EXPECT_EQ(plan.final_rows, (Ids{"a1", "b1"}));
}

TEST(RevisionGraphDowngradeTest, MinusNBeyondWhatIsAppliedFails) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  Result<Path> plan = graph.PlanDowngrade({"b"}, "-3");
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), Code::kInvalidInput);
  EXPECT_EQ(plan.status().message(), "'-3' goes past base: only 2 revisions are applied (b, a)");
  ASSIGN_OR_FAIL(Path all, graph.PlanDowngrade({"b"}, "-2"));
  EXPECT_EQ(all.final_rows, Ids{});
}

TEST(RevisionGraphDowngradeTest, MinusNWithSeveralRowsNeedsABranch) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  Result<Path> plan = graph.PlanDowngrade({"a2", "b2"}, "-1");
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("a2, b2"), std::string::npos);
}

TEST(RevisionGraphDowngradeTest, LabelMinusNStaysOnItsBranch) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  ASSIGN_OR_FAIL(Path plan, graph.PlanDowngrade({"a2", "b2"}, "beta@-1"));
  EXPECT_EQ(Revisions(plan), Ids{"b2"});
  EXPECT_EQ(plan.final_rows, (Ids{"a2", "b1"}));
  Result<Path> too_far = graph.PlanDowngrade({"a2", "b2"}, "beta@-3");
  ASSERT_FALSE(too_far.ok());
  EXPECT_NE(too_far.status().message().find("on branch beta"), std::string::npos);
}

TEST(RevisionGraphDowngradeTest, LabelMinusNKeepsSharedAncestors) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  // b1 is all of beta that can go: r1 below it is still needed by a2.
  ASSIGN_OR_FAIL(Path plan, graph.PlanDowngrade({"a2", "b1"}, "beta@-1"));
  EXPECT_EQ(Revisions(plan), Ids{"b1"});
  EXPECT_FALSE(graph.PlanDowngrade({"a2", "b1"}, "beta@-2").ok());
}

TEST(RevisionGraphDowngradeTest, ToARevisionRemovesItsDescendantsAndDependents) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  // As in Alembic, revisions that depend on the target count as its descendants.
  ASSIGN_OR_FAIL(Path to_a1, graph.PlanDowngrade({"a2", "b2"}, "a1"));
  EXPECT_EQ(Revisions(to_a1), (Ids{"b2", "a2"}));
  EXPECT_EQ(to_a1.steps[0].rows_after, (Ids{"a2", "b1"}));
  EXPECT_EQ(to_a1.final_rows, (Ids{"a1", "b1"}));
}

TEST(RevisionGraphDowngradeTest, RemovingADependencyRemovesItsDependentsFirst) {
  ASSIGN_OR_FAIL(RevisionGraph graph,
                 RevisionGraph::Build({Node{"a0", {}}, Node{"a1", {"a0"}},
                                       Node{"b1", {}, {}, {"a1"}}, Node{"b2", {"b1"}}}));
  ASSIGN_OR_FAIL(Path plan, graph.PlanDowngrade({"a1", "b2"}, "a0"));
  EXPECT_EQ(Revisions(plan), (Ids{"b2", "b1", "a1"}));
  EXPECT_EQ(plan.steps[0].rows_after, (Ids{"a1", "b1"}));
  EXPECT_EQ(plan.steps[1].rows_after, Ids{"a1"});
  EXPECT_EQ(plan.final_rows, Ids{"a0"});
}

TEST(RevisionGraphDowngradeTest, ToAnUnappliedRevisionFails) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  Result<Path> plan = graph.PlanDowngrade({"b"}, "c");
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), Code::kInvalidInput);
  EXPECT_EQ(plan.status().message(), "revision 'c' is not applied; current: b");
}

TEST(RevisionGraphDowngradeTest, ToWhereYouAreIsAnEmptyPlan) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  ASSIGN_OR_FAIL(Path plan, graph.PlanDowngrade({"c"}, "c"));
  EXPECT_TRUE(plan.steps.empty());
  EXPECT_EQ(plan.final_rows, Ids{"c"});
  ASSIGN_OR_FAIL(Path at_base, graph.PlanDowngrade({}, "base"));
  EXPECT_TRUE(at_base.steps.empty());
}

TEST(RevisionGraphDowngradeTest, HeadMinusOne) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  ASSIGN_OR_FAIL(Path plan, graph.PlanDowngrade({"d"}, "head-1"));
  EXPECT_EQ(Revisions(plan), Ids{"d"});
  EXPECT_EQ(plan.final_rows, Ids{"c"});
}

TEST(RevisionGraphDowngradeTest, RevisionAtMinusNCountsFromThatRevision) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  ASSIGN_OR_FAIL(Path plan, graph.PlanDowngrade({"z9"}, "a2@-1"));
  EXPECT_EQ(Revisions(plan), (Ids{"z9", "m", "a2"}));
  EXPECT_EQ(plan.final_rows, (Ids{"a1", "b1"}));
}

TEST(RevisionGraphDowngradeTest, LabelBaseRemovesOnlyThatBranch) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  ASSIGN_OR_FAIL(Path plan, graph.PlanDowngrade({"a2", "b1"}, "beta@base"));
  // r0 and r1 are shared with alpha, which is still applied.
  EXPECT_EQ(Revisions(plan), Ids{"b1"});
  EXPECT_EQ(plan.final_rows, Ids{"a2"});
}

TEST(RevisionGraphDowngradeTest, LabelBaseTakesDependentsAndUnsharedAncestors) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  ASSIGN_OR_FAIL(Path alpha, graph.PlanDowngrade({"a2", "b2"}, "alpha@base"));
  // b2 depends on a1, so it goes too; b1 stays.
  EXPECT_EQ(Revisions(alpha), (Ids{"b2", "a2", "a1"}));
  EXPECT_EQ(alpha.final_rows, Ids{"b1"});
  ASSIGN_OR_FAIL(Path beta, graph.PlanDowngrade({"a2", "b2"}, "beta@base"));
  EXPECT_EQ(Revisions(beta), (Ids{"b2", "b1"}));
  EXPECT_EQ(beta.final_rows, Ids{"a2"});
}

TEST(RevisionGraphDowngradeTest, PlusNIsNotADowngrade) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  EXPECT_FALSE(graph.PlanDowngrade({"b"}, "+1").ok());
}

// --- StampRows ---------------------------------------------------------------------------------

TEST(RevisionGraphStampTest, HeadsFromNothing) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  ASSIGN_OR_FAIL(Ids rows, graph.StampRows({}, {"heads"}, false));
  EXPECT_EQ(rows, (Ids{"a2", "b2"}));
}

TEST(RevisionGraphStampTest, KeepsUnrelatedBranchesUnlessPurged) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build({Node{"a1", {}}, Node{"a2", {"a1"}},
                                                            Node{"b1", {}}, Node{"b2", {"b1"}}}));
  ASSIGN_OR_FAIL(Ids kept, graph.StampRows({"a2", "b1"}, {"b2"}, false));
  EXPECT_EQ(kept, (Ids{"a2", "b2"}));
  ASSIGN_OR_FAIL(Ids purged, graph.StampRows({"a2", "b1"}, {"b2"}, true));
  EXPECT_EQ(purged, Ids{"b2"});
}

TEST(RevisionGraphStampTest, MayMoveBackwardsOnTheSameLine) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  ASSIGN_OR_FAIL(Ids rows, graph.StampRows({"d"}, {"b"}, false));
  EXPECT_EQ(rows, Ids{"b"});
}

TEST(RevisionGraphStampTest, BaseClearsTheRows) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  ASSIGN_OR_FAIL(Ids rows, graph.StampRows({"a2", "b2"}, {"base"}, false));
  EXPECT_EQ(rows, Ids{});
  ASSIGN_OR_FAIL(Ids purged, graph.StampRows({"a2", "b2"}, {"base"}, true));
  EXPECT_EQ(purged, Ids{});
}

TEST(RevisionGraphStampTest, DependencyTargetsBecomeRows) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  ASSIGN_OR_FAIL(Ids rows, graph.StampRows({}, {"b2"}, false));
  EXPECT_EQ(rows, (Ids{"a1", "b2"}));
}

TEST(RevisionGraphStampTest, LabelBaseClearsOneBranch) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(TwoBases()));
  ASSIGN_OR_FAIL(Ids rows, graph.StampRows({"a2", "b2"}, {"beta@base"}, false));
  EXPECT_EQ(rows, Ids{"a2"});
}

TEST(RevisionGraphStampTest, UnknownTargetFails) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  Result<Ids> rows = graph.StampRows({}, {"zz"}, false);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().message(), "unknown revision 'zz'");
}

// --- Range -------------------------------------------------------------------------------------

TEST(RevisionGraphRangeTest, BothEndsInclusiveNewestFirst) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  EXPECT_EQ(*graph.Range("b:c", {}), (Ids{"c", "b"}));
  EXPECT_EQ(*graph.Range("b:", {}), (Ids{"d", "c", "b"}));
  EXPECT_EQ(*graph.Range(":b", {}), (Ids{"b", "a"}));
  EXPECT_EQ(*graph.Range("", {}), (Ids{"d", "c", "b", "a"}));
  EXPECT_EQ(*graph.Range(":", {}), (Ids{"d", "c", "b", "a"}));
  EXPECT_EQ(*graph.Range("base:head", {}), (Ids{"d", "c", "b", "a"}));
  EXPECT_EQ(*graph.Range("c:b", {}), Ids{});
}

TEST(RevisionGraphRangeTest, CurrentOnEitherSide) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  EXPECT_EQ(*graph.Range("current:", {"b"}), (Ids{"d", "c", "b"}));
  EXPECT_EQ(*graph.Range(":current", {"b"}), (Ids{"b", "a"}));
  EXPECT_EQ(*graph.Range("current:", {}), (Ids{"d", "c", "b", "a"}));
  EXPECT_EQ(*graph.Range(":current", {}), Ids{});
  EXPECT_EQ(*graph.Range("-1:current", {"c"}), (Ids{"c", "b"}));
}

TEST(RevisionGraphRangeTest, BranchesAndLabels) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(BranchAndMerge()));
  EXPECT_EQ(*graph.Range("r1:m", {}), (Ids{"m", "b1", "a2", "a1", "r1"}));
  EXPECT_EQ(*graph.Range("beta:", {}), (Ids{"z9", "m", "b1"}));
  EXPECT_EQ(*graph.Range(":alpha@head", {}), (Ids{"z9", "m", "b1", "a2", "a1", "r1", "r0"}));
  ASSIGN_OR_FAIL(RevisionGraph two, RevisionGraph::Build(TwoBases()));
  EXPECT_EQ(*two.Range("beta@base:beta@head", {}), (Ids{"b2", "b1"}));
  EXPECT_EQ(*two.Range(":heads", {}), (Ids{"b2", "b1", "a2", "a1"}));
}

TEST(RevisionGraphRangeTest, MalformedOrUnknownFails) {
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(Linear()));
  Result<Ids> no_colon = graph.Range("b", {});
  ASSERT_FALSE(no_colon.ok());
  EXPECT_EQ(no_colon.status().code(), Code::kInvalidInput);
  Result<Ids> unknown = graph.Range("b:zz", {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "unknown revision 'zz'");
}

// --- Scale -------------------------------------------------------------------------------------

TEST(RevisionGraphScaleTest, TenThousandRevisionChain) {
  constexpr int kCount = 10000;
  std::vector<Node> nodes;
  nodes.reserve(kCount);
  for (int i = 0; i < kCount; ++i) {
    Node node;
    node.id = "r" + std::to_string(i);
    if (i > 0) node.parents = {"r" + std::to_string(i - 1)};
    nodes.push_back(std::move(node));
  }
  ASSIGN_OR_FAIL(RevisionGraph graph, RevisionGraph::Build(std::move(nodes)));
  std::string last = "r" + std::to_string(kCount - 1);
  ASSIGN_OR_FAIL(Path up, graph.PlanUpgrade({}, "head"));
  ASSERT_EQ(up.steps.size(), static_cast<size_t>(kCount));
  EXPECT_EQ(up.steps.front().revision, "r0");
  EXPECT_EQ(up.steps.back().rows_before, Ids{"r" + std::to_string(kCount - 2)});
  EXPECT_EQ(up.final_rows, Ids{last});
  ASSIGN_OR_FAIL(Path down, graph.PlanDowngrade({last}, "base"));
  EXPECT_EQ(down.steps.size(), static_cast<size_t>(kCount));
  EXPECT_EQ(down.steps.front().revision, last);
  EXPECT_EQ(*graph.ResolveRevision("head-9999", {}), "r0");
  EXPECT_EQ(graph.Range("", {})->size(), static_cast<size_t>(kCount));
  EXPECT_EQ(graph.Ancestors({last}).size(), static_cast<size_t>(kCount));
}

TEST(RevisionGraphScaleTest, LongCycleIsReportedWithoutDeepRecursion) {
  constexpr int kCount = 10000;
  std::vector<Node> nodes;
  for (int i = 0; i < kCount; ++i) {
    nodes.push_back(
        Node{"r" + std::to_string(i), {"r" + std::to_string((i + kCount - 1) % kCount)}});
  }
  Result<RevisionGraph> graph = RevisionGraph::Build(std::move(nodes));
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.status().message().rfind("cycle: r0 -> r1 -> r2 -> ", 0), 0u);
}

}  // namespace
}  // namespace retort::revision
