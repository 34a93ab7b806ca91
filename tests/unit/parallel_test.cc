#include "base/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace retort {
namespace {

TEST(ParallelFor, CallsEveryIndexExactlyOnce) {
  for (size_t count : {0u, 1u, 15u, 16u, 1000u}) {
    std::vector<std::atomic<int>> calls(count);
    ParallelFor(count, [&](size_t i) { calls[i].fetch_add(1); });
    for (size_t i = 0; i < count; ++i)
      EXPECT_EQ(calls[i].load(), 1) << "index " << i << " of " << count;
  }
}

TEST(ParallelFor, EachIndexWritesItsOwnSlot) {
  std::vector<size_t> squares(5000);
  ParallelFor(squares.size(), [&](size_t i) { squares[i] = i * i; });
  for (size_t i = 0; i < squares.size(); ++i) ASSERT_EQ(squares[i], i * i);
}

}  // namespace
}  // namespace retort
