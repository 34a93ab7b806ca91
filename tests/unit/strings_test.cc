// The text helpers of base/strings.h that several layers share (one home each).
#include "base/strings.h"

#include <gtest/gtest.h>

#include <string>

namespace retort {
namespace {

TEST(CollapseWhitespace, FoldsEveryRunToOneSpaceAndTrimsBothEnds) {
  EXPECT_EQ(CollapseWhitespace(""), "");
  EXPECT_EQ(CollapseWhitespace(" \t\r\n\v\f "), "");
  EXPECT_EQ(CollapseWhitespace("word"), "word");
  EXPECT_EQ(CollapseWhitespace("  CREATE\tINDEX\n\n  ix\r\nON t  "), "CREATE INDEX ix ON t");
}

TEST(ClipUtf8, CutsBackToACharacterStart) {
  EXPECT_EQ(ClipUtf8("", 0), "");
  EXPECT_EQ(ClipUtf8("abc", 3), "abc");
  EXPECT_EQ(ClipUtf8("abc", 2), "ab");
  EXPECT_EQ(ClipUtf8("abc", 0), "");
  // "é" is two bytes (C3 A9) and "€" three (E2 82 AC): a cut inside one drops all of it.
  EXPECT_EQ(ClipUtf8("a\xC3\xA9", 2), "a");
  EXPECT_EQ(ClipUtf8("a\xC3\xA9", 3), "a\xC3\xA9");
  EXPECT_EQ(ClipUtf8("\xE2\x82\xAC\xE2\x82\xAC", 5), "\xE2\x82\xAC");
}

TEST(Excerpt, StaysOnOneLineWithinTheLimit) {
  EXPECT_EQ(Excerpt("", 10), "");
  EXPECT_EQ(Excerpt(" \n\t ", 10), "");
  EXPECT_EQ(Excerpt("SELECT\n  1", 8), "SELECT 1");  // exactly the limit: kept whole
  EXPECT_EQ(Excerpt("SELECT\n  12", 8), "SELEC...");
  EXPECT_EQ(Excerpt("UPDATE t SET a = 1", 3), "...");
  // Below the ellipsis's own length there is only room for the clipped text.
  EXPECT_EQ(Excerpt("UPDATE", 2), "UP");
  EXPECT_EQ(Excerpt("UPDATE", 0), "");
  // The cut never splits a character: "é" is two bytes, so 3 or 4 bytes of room hold one.
  EXPECT_EQ(Excerpt("\xC3\xA9\xC3\xA9\xC3\xA9 x", 6), "\xC3\xA9...");
  EXPECT_EQ(Excerpt("\xC3\xA9\xC3\xA9\xC3\xA9 x", 7), "\xC3\xA9\xC3\xA9...");
  for (size_t limit = 3; limit < 12; ++limit) {
    EXPECT_LE(Excerpt("a much longer statement than that", limit).size(), limit) << limit;
  }
}

TEST(FixedPoint, PrintsTheGivenNumberOfDecimals) {
  EXPECT_EQ(FixedPoint(0, 1), "0.0");
  EXPECT_EQ(FixedPoint(2.5, 2), "2.50");
  EXPECT_EQ(FixedPoint(1234.5678, 3), "1234.568");
  EXPECT_EQ(FixedPoint(0.04, 1), "0.0");
  EXPECT_EQ(FixedPoint(7.96, 0), "8");
}

TEST(MentionsIdentifier, FindsWholeIdentifiersBareOrQuoted) {
  EXPECT_TRUE(MentionsIdentifier("lower(email)", "email"));
  EXPECT_TRUE(MentionsIdentifier("email", "email"));
  EXPECT_TRUE(MentionsIdentifier("a + email", "email"));
  EXPECT_FALSE(MentionsIdentifier("lower(emails)", "email"));
  EXPECT_FALSE(MentionsIdentifier("lower(old_email)", "email"));
  EXPECT_FALSE(MentionsIdentifier("lower(email$2)", "email"));
  EXPECT_FALSE(MentionsIdentifier("", "email"));
  EXPECT_FALSE(MentionsIdentifier("lower(email)", ""));
  // A later whole mention after a partial one is still found.
  EXPECT_TRUE(MentionsIdentifier("emails, email", "email"));
  // Names that need quoting are found in their quoted spelling only.
  EXPECT_TRUE(MentionsIdentifier("(\"Email\" IS NOT NULL)", "Email"));
  EXPECT_FALSE(MentionsIdentifier("(email IS NOT NULL)", "Email"));
  EXPECT_TRUE(MentionsIdentifier("(\"two words\")", "two words"));
  EXPECT_TRUE(MentionsIdentifier("\"say \"\"hi\"\"\" > 0", "say \"hi\""));
  // Bytes of a multi-byte character continue an identifier, as in PostgreSQL's scanner.
  EXPECT_FALSE(MentionsIdentifier("email\xC3\xA9", "email"));
}

}  // namespace
}  // namespace retort
