#include "executor/statement_progress.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace retort::executor {
namespace {

using Row = std::vector<std::optional<std::string>>;
constexpr std::nullopt_t null = std::nullopt;

TEST(DescribeProgress, AnIndexBuildShowsItsPhaseAndTheCountsWithTotals) {
  EXPECT_EQ(DescribeProgress(Row{"CREATE INDEX", "building index: scanning table", "120", "4000",
                                 "0", "0", "0", "0", "0", "0", null}),
            "CREATE INDEX: building index: scanning table, blocks 120/4000 (3%)");
  EXPECT_EQ(DescribeProgress(Row{"CREATE INDEX CONCURRENTLY", "waiting for writers before build",
                                 "0", "0", "0", "0", "0", "1", "0", "0", null}),
            "CREATE INDEX CONCURRENTLY: waiting for writers before build, lockers 0/1");
}

TEST(DescribeProgress, ClusterCountsTuplesWithoutATotal) {
  EXPECT_EQ(DescribeProgress(Row{"VACUUM FULL", "seq scanning heap", "10", "40", "1500", null, null,
                                 null, null, null, null}),
            "VACUUM FULL: seq scanning heap, blocks 10/40 (25%), tuples 1500");
}

TEST(DescribeProgress, ALockWaitIsNamedWithOrWithoutAProgressReport) {
  EXPECT_EQ(
      DescribeProgress(Row{null, null, null, null, null, null, null, null, null, null, "relation"}),
      "waiting for a lock (relation)");
  EXPECT_EQ(DescribeProgress(Row{null, null, null, null, null, null, null, null, null, null, null}),
            "");
  EXPECT_EQ(DescribeProgress(Row{}), "") << "no row: the backend is gone";
}

}  // namespace
}  // namespace retort::executor
