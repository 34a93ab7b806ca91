#include <gtest/gtest.h>

#include "catalog/text_formats.h"

namespace retort::catalog {
namespace {

TEST(QuoteExtractFields, QuotesAFieldOnlyAStringCouldHaveStored) {
  // Written extract('YEAR' from day): printed bare, it would read back as the keyword ('year').
  EXPECT_EQ(QuoteExtractFields("(EXTRACT(YEAR FROM day) > (1)::numeric)"),
            "(EXTRACT('YEAR' FROM day) > (1)::numeric)");
  EXPECT_EQ(QuoteExtractFields("EXTRACT(Month FROM d) + EXTRACT(epoch FROM t)"),
            "EXTRACT('Month' FROM d) + EXTRACT(epoch FROM t)");
  // The usual form, a keyword stored lower case, stays as printed.
  EXPECT_EQ(QuoteExtractFields("EXTRACT(year FROM now())"), "EXTRACT(year FROM now())");
}

TEST(QuoteExtractFields, LeavesLiteralsQuotedNamesAndOtherWordsAlone) {
  EXPECT_EQ(QuoteExtractFields("'EXTRACT(YEAR FROM now())'::text"),
            "'EXTRACT(YEAR FROM now())'::text");
  EXPECT_EQ(QuoteExtractFields("\"EXTRACT(YEAR FROM x)\""), "\"EXTRACT(YEAR FROM x)\"");
  EXPECT_EQ(QuoteExtractFields("MY_EXTRACT(YEAR FROM x)"), "MY_EXTRACT(YEAR FROM x)");
  EXPECT_EQ(QuoteExtractFields("s.EXTRACT(YEAR FROM x)"), "s.EXTRACT(YEAR FROM x)");
  EXPECT_EQ(QuoteExtractFields("EXTRACT(YEAR, x)"), "EXTRACT(YEAR, x)");
  EXPECT_EQ(QuoteExtractFields("no extract here"), "no extract here");
}

}  // namespace
}  // namespace retort::catalog
