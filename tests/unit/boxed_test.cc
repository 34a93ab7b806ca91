#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "base/boxed.h"

namespace retort {
namespace {

TEST(Boxed, IsOnePointerWide) { EXPECT_EQ(sizeof(Boxed<std::string>), sizeof(void*)); }

TEST(Boxed, ReadsAndComparesLikeOptional) {
  Boxed<std::string> empty;
  Boxed<std::string> full = std::string("now()");
  EXPECT_FALSE(empty);
  EXPECT_TRUE(full.has_value());
  EXPECT_EQ(*full, "now()");
  EXPECT_EQ(full->size(), 5u);
  EXPECT_EQ(empty.value_or("none"), "none");
  EXPECT_TRUE(empty == std::nullopt);
  EXPECT_TRUE(full == std::string("now()"));
  EXPECT_FALSE(empty == std::string(""));  // empty is not the empty string
  EXPECT_TRUE(full == std::optional<std::string>("now()"));
  EXPECT_TRUE(empty == std::optional<std::string>());
  EXPECT_TRUE(empty == Boxed<std::string>());
  EXPECT_FALSE(full == empty);
  std::optional<std::string> copied = full;
  EXPECT_EQ(copied, "now()");
}

TEST(Boxed, CopiesAreDeep) {
  Boxed<std::string> original = std::string("a");
  Boxed<std::string> copy = original;
  *copy = "b";
  EXPECT_EQ(*original, "a");
  copy = original;
  EXPECT_TRUE(copy == original);
  Boxed<std::string> moved = std::move(copy);
  EXPECT_EQ(*moved, "a");
  moved.reset();
  EXPECT_FALSE(moved);
  moved.emplace(3, 'x');
  EXPECT_EQ(*moved, "xxx");
  moved = std::optional<std::string>();
  EXPECT_FALSE(moved);
}

}  // namespace
}  // namespace retort
