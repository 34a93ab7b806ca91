// plan::DefaultIsStoredOnce: which column defaults an online plan may leave in one ADD COLUMN
// (PostgreSQL stores them once) and which it fills by a batched backfill instead. Text as
// pg_get_expr prints it.
#include "plan/online.h"

#include <gtest/gtest.h>

namespace retort::plan {
namespace {

TEST(DefaultIsStoredOnce, ConstantsCastsAndStableBuiltins) {
  EXPECT_TRUE(DefaultIsStoredOnce("0"));
  EXPECT_TRUE(DefaultIsStoredOnce("'x'::text"));
  EXPECT_TRUE(DefaultIsStoredOnce("'{}'::jsonb"));
  EXPECT_TRUE(DefaultIsStoredOnce("now()"));
  EXPECT_TRUE(DefaultIsStoredOnce("CURRENT_TIMESTAMP"));
  EXPECT_TRUE(DefaultIsStoredOnce("lower('A'::text)"));
  // Typmods after a cast are not calls.
  EXPECT_TRUE(DefaultIsStoredOnce("'5'::numeric(10,2)"));
  EXPECT_TRUE(DefaultIsStoredOnce("'a'::character varying(5)"));
  EXPECT_TRUE(DefaultIsStoredOnce("'2020-01-01 00:00:00'::timestamp(3) without time zone"));
  // A call inside a string literal is text.
  EXPECT_TRUE(DefaultIsStoredOnce("'random()'::text"));
  EXPECT_TRUE(DefaultIsStoredOnce("E'it\\'s random()'::text"));
}

TEST(DefaultIsStoredOnce, VolatileAndUnknownFunctions) {
  EXPECT_FALSE(DefaultIsStoredOnce("gen_random_uuid()"));
  EXPECT_FALSE(DefaultIsStoredOnce("nextval('items_id_seq'::regclass)"));
  EXPECT_FALSE(DefaultIsStoredOnce("clock_timestamp()"));
  EXPECT_FALSE(DefaultIsStoredOnce("(random() * (10)::double precision)"));
  EXPECT_FALSE(DefaultIsStoredOnce("public.next_code()"));
  EXPECT_FALSE(DefaultIsStoredOnce("\"MakeCode\"()"));
  // A cast's type name ends where the expression goes on: the call after it counts.
  EXPECT_FALSE(DefaultIsStoredOnce("lower((gen_random_uuid())::text)"));
  EXPECT_FALSE(DefaultIsStoredOnce("('x'::text || (random())::text)"));
}

}  // namespace
}  // namespace retort::plan
