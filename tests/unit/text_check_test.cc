#include <gtest/gtest.h>

#include <string>

#include "base/strings.h"
#include "migrations/migration.h"

namespace retort {
namespace {

constexpr size_t kNone = std::string_view::npos;

TEST(TextCheckTest, AcceptsWellFormedUtf8) {
  EXPECT_EQ(FirstInvalidTextByte(""), kNone);
  EXPECT_EQ(FirstInvalidTextByte("plain ascii\r\n\t"), kNone);
  EXPECT_EQ(FirstInvalidTextByte("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBB\xBF"), kNone);
  EXPECT_EQ(FirstInvalidTextByte("\xF4\x8F\xBF\xBF"), kNone);  // U+10FFFF
  EXPECT_EQ(FirstInvalidTextByte("\xED\x9F\xBF"), kNone);      // U+D7FF, just below surrogates
}

TEST(TextCheckTest, FindsTheFirstBadByte) {
  EXPECT_EQ(FirstInvalidTextByte("ab\xE9"), 2u);                // Latin-1
  EXPECT_EQ(FirstInvalidTextByte(std::string("a\0b", 3)), 1u);  // NUL
  EXPECT_EQ(FirstInvalidTextByte("\xC0\xAF"), 0u);              // overlong '/'
  EXPECT_EQ(FirstInvalidTextByte("x\xE0\x80\xAF"), 1u);         // overlong, 3 bytes
  EXPECT_EQ(FirstInvalidTextByte("\xED\xA0\x80"), 0u);          // surrogate
  EXPECT_EQ(FirstInvalidTextByte("\xF4\x90\x80\x80"), 0u);      // above U+10FFFF
  EXPECT_EQ(FirstInvalidTextByte("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(FirstInvalidTextByte("ok\x80"), 2u);       // lone continuation
  EXPECT_EQ(FirstInvalidTextByte("ok\xE2\x82"), 2u);   // cut at the end
  EXPECT_EQ(FirstInvalidTextByte("ok\xE2\x82x"), 2u);  // cut in the middle
  EXPECT_EQ(FirstInvalidTextByte("\xFF\xFE"), 0u);     // UTF-16 BOM
}

TEST(TextCheckTest, NamesFileLineAndColumn) {
  Status ok = CheckTextFile("fine\n", "a.sql");
  EXPECT_TRUE(ok.ok());
  Status bad = CheckTextFile("one\ntwo \xE9\n", "dir/a.sql");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), Code::kInvalidInput);
  EXPECT_EQ(bad.message().rfind("dir/a.sql:2: invalid UTF-8 (byte 0xE9 at column 5)", 0), 0u)
      << bad.message();
  Status nul = CheckTextFile(std::string("\0", 1), "b.sql");
  EXPECT_EQ(nul.message().rfind("b.sql:1: NUL byte (column 1)", 0), 0u) << nul.message();
}

// Refused when the file is read, before any statement could run.
TEST(TextCheckTest, MigrationWithInvalidUtf8IsRefused) {
  std::string text =
      "-- retort:revision  abc123\n-- retort:revises none\n-- retort:transaction none\n"
      "-- retort:upgrade\nCREATE TABLE t (id int);\nCOMMENT ON TABLE t IS '\xFF';\n";
  auto parsed = migrations::ParseMigration(text, "v/1.sql");
  auto header = migrations::ParseMigrationHeader(text, "v/1.sql");
  for (const Status& status : {parsed.status(), header.status()}) {
    EXPECT_EQ(status.code(), Code::kInvalidInput);
    EXPECT_EQ(status.message().rfind("v/1.sql:6:", 0), 0u) << status.message();
  }
}

}  // namespace
}  // namespace retort
