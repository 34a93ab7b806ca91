#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "base/interned.h"
#include "base/permute.h"
#include "schema/model.h"

namespace retort {
namespace {

TEST(InternedString, EqualTextsAreOneObject) {
  std::string built = std::string("character varying") + "(255)";
  InternedString a = built;
  InternedString b = "character varying(255)";
  EXPECT_EQ(&a.str(), &b.str());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, "character varying(255)");
  EXPECT_NE(a, InternedString("character varying(256)"));
  EXPECT_TRUE(InternedString().empty());
  EXPECT_EQ(InternedString(), InternedString(""));
  EXPECT_EQ("t " + a, "t character varying(255)");
  EXPECT_LT(InternedString("bigint"), InternedString("integer"));
}

TEST(InternedString, ThreadsInterningTheSameTextsGetTheSameObjects) {
  // Two catalog readers intern type texts at once.
  std::vector<const std::string*> first(200);
  std::vector<const std::string*> second(200);
  auto intern = [](std::vector<const std::string*>* out) {
    for (size_t i = 0; i < out->size(); ++i) {
      (*out)[i] = &InternedString("numeric(" + std::to_string(i) + ",2)").str();
    }
  };
  std::thread one(intern, &first);
  std::thread two(intern, &second);
  one.join();
  two.join();
  EXPECT_EQ(first, second);
  EXPECT_EQ(*first[7], "numeric(7,2)");
}

TEST(PermuteInPlace, EveryVectorTakesTheElementAtItsOrder) {
  std::vector<std::string> names = {"a", "b", "c", "d", "e", "f"};
  std::vector<int> numbers = {0, 1, 2, 3, 4, 5};
  // Two cycles (0 2 4) and (1 5), and 3 in place.
  std::vector<size_t> order = {2, 5, 4, 3, 0, 1};
  PermuteInPlace(order, names, numbers);
  EXPECT_EQ(names, (std::vector<std::string>{"c", "f", "e", "d", "a", "b"}));
  EXPECT_EQ(numbers, (std::vector<int>{2, 5, 4, 3, 0, 1}));
  std::vector<int> reversed = {10, 11, 12, 13};
  PermuteInPlace({3, 2, 1, 0}, reversed);
  EXPECT_EQ(reversed, (std::vector<int>{13, 12, 11, 10}));
}

TEST(ColumnDetails, AColumnWhoseDetailsWereClearedEqualsOneThatNeverHadThem) {
  schema::Column plain;
  plain.name = "a";
  plain.type = "integer";
  schema::Column commented = plain;
  commented.mutable_details().comment = "why";
  EXPECT_NE(plain, commented);
  EXPECT_EQ(*commented.comment(), "why");
  EXPECT_FALSE(plain.comment());
  commented.mutable_details().comment.reset();
  EXPECT_EQ(plain, commented);
  commented.CompactDetails();
  EXPECT_EQ(plain, commented);
  schema::Column granted = plain;
  granted.mutable_details().grants.push_back({"reader", "SELECT", false});
  granted.CompactDetails();  // not empty: kept
  EXPECT_EQ(granted.grants().size(), 1u);
  EXPECT_NE(plain, granted);
  EXPECT_LE(sizeof(schema::Column), 64u);
}

}  // namespace
}  // namespace retort
