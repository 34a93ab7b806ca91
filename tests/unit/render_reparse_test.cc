// Printed expressions rewritten so that they parse back into what was printed (the live check
// is the golden case in_list_on_varchar and the round-trip test).
#include "render/reparse.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace retort::render {
namespace {

TEST(Reparsable, DropsTheTextArrayCastOfAVarcharInList) {
  EXPECT_EQ(Reparsable("ALTER TABLE public.t ADD CONSTRAINT c CHECK (((s)::text = ANY "
                       "((ARRAY['a'::character varying, 'b'::character varying])::text[])))"),
            "ALTER TABLE public.t ADD CONSTRAINT c CHECK (((s)::text = ANY "
            "(ARRAY['a'::character varying, 'b'::character varying])))");
}

TEST(Reparsable, HandlesNotInNullsQuotesAndSeveralInOneStatement) {
  EXPECT_EQ(Reparsable("WHERE ((t.s)::text <> ALL ((ARRAY['it''s'::character varying, "
                       "NULL::character varying])::text[])) AND ((t.k)::text = ANY "
                       "((ARRAY['])::text[])'::character varying])::text[]))"),
            "WHERE ((t.s)::text <> ALL (ARRAY['it''s'::character varying, "
            "NULL::character varying])) AND ((t.k)::text = ANY "
            "(ARRAY['])::text[])'::character varying]))");
}

TEST(Reparsable, LeavesOtherArraysAlone) {
  for (const std::string text : {
           // Already stable forms.
           "CHECK (((s)::text = ANY (ARRAY['a'::text, 'b'::text])))",
           "CHECK ((b = ANY (ARRAY[(1)::bigint, (2)::bigint])))",
           // Elements that are not varchar literals: which operator the cast selects is unknown.
           "CHECK (((s)::text = ANY ((ARRAY[t.a, 'b'::character varying])::text[])))",
           "CHECK ((x = ANY ((ARRAY[1, 2])::bigint[])))",
           "CHECK (((s)::text = ANY ((ARRAY['a'::character varying(5)])::text[])))",
           "CHECK (((s)::name = ANY ((ARRAY['a'::character varying])::name[])))",
           // Part of a longer word.
           "SELECT COMPANY ((ARRAY['a'::character varying])::text[])",
       }) {
    EXPECT_EQ(Reparsable(text), text);
  }
}

TEST(Reparsable, LeavesLiteralsBodiesAndCommentsAlone) {
  const std::string inside =
      "s = ANY ((ARRAY['a'::character varying])::text[])";  // as a function's source text
  for (const std::string& text : std::vector<std::string>{
           "COMMENT ON TABLE t IS '" +
               std::string("x = ANY ((ARRAY[''a''::character "
                           "varying])::text[])") +
               "'",
           "CREATE FUNCTION f() RETURNS boolean LANGUAGE sql AS $function$SELECT " + inside +
               "$function$",
           "CREATE FUNCTION f() RETURNS boolean LANGUAGE sql AS $$SELECT " + inside + "$$",
           "-- " + inside + "\nSELECT 1",
           "/* /* " + inside + " */ */ SELECT 1",
           std::string("SELECT \"ANY ((ARRAY['a'::character varying])::text[])\""),
       }) {
    EXPECT_EQ(Reparsable(text), text);
  }
  // A parameter ($1) is not a dollar quote: what follows is still rewritten.
  EXPECT_EQ(Reparsable("SELECT $1, x = ANY ((ARRAY['a'::character varying])::text[])"),
            "SELECT $1, x = ANY (ARRAY['a'::character varying])");
}

}  // namespace
}  // namespace retort::render
