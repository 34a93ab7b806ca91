#include "base/status.h"

#include <gtest/gtest.h>

#include "base/strings.h"

namespace retort {
namespace {

Result<int> Half(int value) {
  if (value % 2 != 0) return Status::InvalidInput("odd");
  return value / 2;
}

Result<int> Quarter(int value) {
  RETORT_ASSIGN_OR_RETURN(int half, Half(value));
  return Half(half);
}

TEST(StatusTest, ResultPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> odd = Quarter(6);
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.status().code(), Code::kInvalidInput);
  EXPECT_EQ(odd.status().message(), "odd");
}

TEST(StringsTest, QuotingAndSlugs) {
  EXPECT_EQ(QuoteLiteral("it's"), "'it''s'");
  EXPECT_EQ(QuoteIdentifier("retort_version"), "retort_version");
  EXPECT_EQ(QuoteIdentifier("Weird\"Name"), "\"Weird\"\"Name\"");
  // Reserved and type/function-name keywords are quoted, unreserved ones are not (quote_ident).
  EXPECT_EQ(QuoteIdentifier("order"), "\"order\"");
  EXPECT_EQ(QuoteIdentifier("user"), "\"user\"");
  EXPECT_EQ(QuoteIdentifier("between"), "\"between\"");
  EXPECT_EQ(QuoteIdentifier("name"), "name");
  EXPECT_EQ(QuoteIdentifier("version"), "version");
  EXPECT_EQ(Slugify("Add chunk partitions!"), "add_chunk_partitions");
  EXPECT_EQ(SplitList("a, b  c,,d"), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(LineOfOffset("a\nb\nc", 4), 3);
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // FIPS 180-2's long vector: many blocks through one context, as a migration file is hashed.
  EXPECT_EQ(Sha256Hex(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace retort

namespace retort {
namespace {

TEST(StatusTest, KeepsTheServersErrorThroughContext) {
  Status failed = Status::Failed("ERROR:  canceling statement due to lock timeout",
                                 ServerError{"55P03", "", "", 0});
  EXPECT_EQ(failed.sqlstate(), "55P03");
  Status wrapped = failed.WithContext("while applying r1: ");
  EXPECT_EQ(wrapped.message(),
            "while applying r1: ERROR:  canceling statement due to lock timeout");
  EXPECT_EQ(wrapped.sqlstate(), "55P03");
  EXPECT_EQ(wrapped.code(), Code::kFailed);
  // A failure of our own has none, whatever its text says.
  Status ours = Status::Failed("lock timeout (SQLSTATE 55P03)");
  EXPECT_EQ(ours.sqlstate(), "");
  EXPECT_FALSE(ours.server_error().has_value());
}

}  // namespace
}  // namespace retort
