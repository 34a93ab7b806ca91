// "Model it or name it": a database holding an object of every kind retort does not model yet
// (and every table or column setting the model does not carry) makes `diff` exit non-zero
// naming each one, never "no differences"; `inspect` lists them; equal databases still compare
// equal.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/pg_harness.h"

namespace retort::testing {
namespace {

// Each entry: the SQL that makes one unmodelled object, and the kind and name diff must report.
struct Unmodelled {
  std::string sql;
  std::string reported;  // "<kinds> yet: <identity>"
};

const std::vector<Unmodelled>& Kinds() {
  static const std::vector<Unmodelled> kKinds = {
      {"CREATE TEXT SEARCH CONFIGURATION english_simple (COPY = english)",
       "text search configurations yet: public.english_simple"},
      {"CREATE TEXT SEARCH DICTIONARY simple_dict (TEMPLATE = simple)",
       "text search dictionaries yet: public.simple_dict"},
      {"CREATE STATISTICS orders_stats (dependencies) ON id, n FROM orders",
       "statistics yet: public.orders_stats"},
      {"CREATE TYPE float_range AS RANGE (SUBTYPE = float8)",
       "range types yet: public.float_range"},
      {"CREATE FUNCTION ddl_note() RETURNS event_trigger LANGUAGE plpgsql AS "
       "'BEGIN END';\nCREATE EVENT TRIGGER note_ddl ON ddl_command_end EXECUTE FUNCTION "
       "ddl_note()",
       "event triggers yet: note_ddl"},
      {"CREATE CAST (orders AS text) WITH INOUT", "casts yet: (orders AS text)"},
      {"CREATE FOREIGN DATA WRAPPER dummy_fdw", "foreign data wrappers yet: dummy_fdw"},
      {"CREATE FOREIGN DATA WRAPPER other_fdw;\nCREATE SERVER other_server FOREIGN DATA WRAPPER "
       "other_fdw;\nCREATE USER MAPPING FOR PUBLIC SERVER other_server OPTIONS (password "
       "'not-to-be-printed')",
       "user mappings yet: FOR PUBLIC SERVER other_server"},
      {"CREATE PUBLICATION orders_pub FOR TABLE orders", "publications yet: orders_pub"},
      {"ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC",
       "default privileges yet: FOR ROLE"},
      // A table's replica identity and its columns' storage and compression are modelled; a
      // materialized view's column storage is not.
      {"CREATE MATERIALIZED VIEW orders_mv AS SELECT id, note FROM orders;\n"
       "ALTER MATERIALIZED VIEW orders_mv ALTER COLUMN note SET STORAGE EXTERNAL",
       "column settings yet: public.orders_mv.note"},
      {"ALTER TABLE orders ALTER COLUMN n SET STATISTICS 500",
       "column settings yet: public.orders.n"},
      {"CLUSTER orders USING orders_pkey", "clustered indexes yet: public.orders"},
  };
  return kKinds;
}

constexpr char kBase[] =
    "CREATE TABLE orders (id int PRIMARY KEY, n int, note text);\n"
    "CREATE TABLE log (id int);\n";

// One database holds an object of every kind: diff names each of them, both ways (a message
// lists every difference), and an identical database compares equal.
TEST(Unmodelled, EveryKindMakesDiffNameIt) {
  RETORT_REQUIRE_PG(pg);
  TempDir cwd;
  std::string all_kinds = kBase;
  for (const Unmodelled& kind : Kinds()) all_kinds += kind.sql + ";\n";
  std::string with = pg->CreateDatabase("um_with");
  std::string same = pg->CreateDatabase("um_same");
  std::string without = pg->CreateDatabase("um_without");
  pg->Query(with, all_kinds);
  pg->Query(same, all_kinds);
  pg->Query(without, kBase);
  for (const auto& [from, to] : {std::pair(with, without), std::pair(without, with)}) {
    CommandOutput diff = RunRetort({"diff", pg->Url(from), pg->Url(to)}, cwd.path());
    EXPECT_NE(diff.exit_code, 0) << Describe(diff);
    EXPECT_EQ(diff.out.find("no differences"), std::string::npos) << Describe(diff);
    EXPECT_EQ(diff.err.find("not-to-be-printed"), std::string::npos) << Describe(diff);
    for (const Unmodelled& kind : Kinds()) {
      EXPECT_NE(diff.err.find("retort cannot plan changes to " + kind.reported), std::string::npos)
          << kind.sql << "\n"
          << Describe(diff);
    }
  }
  CommandOutput equal = RunRetort({"diff", pg->Url(with), pg->Url(same)}, cwd.path());
  EXPECT_EQ(equal.exit_code, 0) << Describe(equal);
  EXPECT_NE(equal.err.find("no differences"), std::string::npos) << Describe(equal);
}

TEST(Unmodelled, InspectListsWhatItDoesNotRender) {
  RETORT_REQUIRE_PG(pg);
  TempDir cwd;
  std::string database = pg->CreateDatabase("um_inspect");
  pg->Query(database, std::string(kBase) +
                          "CREATE STATISTICS orders_stats (dependencies) ON id, n FROM orders;\n"
                          "ALTER TABLE orders ALTER COLUMN n SET STATISTICS 500;\n"
                          "CREATE RULE orders_log AS ON INSERT TO orders DO ALSO INSERT INTO log "
                          "VALUES (new.id);\n");
  CommandOutput inspect = RunRetort({"inspect", "--url", pg->Url(database)}, cwd.path());
  ASSERT_EQ(inspect.exit_code, 0) << Describe(inspect);
  EXPECT_NE(inspect.out.find("-- Not rendered:"), std::string::npos) << inspect.out;
  EXPECT_NE(inspect.out.find("--   statistics public.orders_stats: CREATE STATISTICS"),
            std::string::npos)
      << inspect.out;
  EXPECT_NE(inspect.out.find("--   column setting public.orders.n: STATISTICS 500"),
            std::string::npos)
      << inspect.out;
  // Rules are modelled now: rendered as statements, not listed.
  EXPECT_NE(inspect.out.find("\nCREATE RULE orders_log AS"), std::string::npos) << inspect.out;
  EXPECT_EQ(inspect.out.find("--   rule "), std::string::npos) << inspect.out;
  CommandOutput json =
      RunRetort({"inspect", "--url", pg->Url(database), "--format", "json"}, cwd.path());
  EXPECT_NE(json.out.find("\"unmodelled\""), std::string::npos) << json.out.substr(0, 400);
  EXPECT_NE(json.out.find("\"rules\""), std::string::npos) << json.out.substr(0, 400);
}

// A collation whose definition changes is created again and its users moved to it, which
// PostgreSQL cannot do for a domain; an operator can only be dropped and created again, and
// the plan cannot take a column default using it along: diff says so by name and exits
// non-zero instead of writing SQL that fails.
TEST(Unmodelled, ReplacingACollationOrOperatorInUseIsRefusedByName) {
  RETORT_REQUIRE_PG(pg);
  TempDir cwd;
  const std::string function =
      "CREATE FUNCTION int_near(int, int) RETURNS bool LANGUAGE sql IMMUTABLE AS "
      "'SELECT abs($1 - $2) < 2';\n"
      "CREATE FUNCTION int_far(int, int) RETURNS bool LANGUAGE sql IMMUTABLE AS "
      "'SELECT abs($1 - $2) >= 2';\n";
  const std::string users =
      "CREATE DOMAIN sorted_text AS text COLLATE numeric_sort;\n"
      "CREATE TABLE people (id int, name text COLLATE numeric_sort);\n"
      "CREATE TABLE readings (id int, near_ten bool DEFAULT (5 ~~~ 10));\n";
  std::string before = pg->CreateDatabase("um_replace_before");
  std::string after = pg->CreateDatabase("um_replace_after");
  pg->Query(before, function +
                        "CREATE COLLATION numeric_sort (provider = icu, locale = "
                        "'en-u-kn-true');\n"
                        "CREATE OPERATOR ~~~ (LEFTARG = int, RIGHTARG = int, FUNCTION = "
                        "int_near);\n" +
                        users);
  pg->Query(after, function +
                       "CREATE COLLATION numeric_sort (provider = icu, locale = "
                       "'en-u-kn-true', deterministic = false);\n"
                       "CREATE OPERATOR ~~~ (LEFTARG = int, RIGHTARG = int, FUNCTION = "
                       "int_far);\n" +
                       users);
  CommandOutput diff = RunRetort({"diff", pg->Url(before), pg->Url(after)}, cwd.path());
  EXPECT_NE(diff.exit_code, 0) << Describe(diff);
  EXPECT_NE(diff.err.find("collation public.numeric_sort changes"), std::string::npos)
      << Describe(diff);
  EXPECT_NE(diff.err.find("domain public.sorted_text"), std::string::npos) << Describe(diff);
  EXPECT_NE(diff.err.find("operator public.~~~(integer, integer) changes"), std::string::npos)
      << Describe(diff);
  EXPECT_NE(diff.err.find("column public.readings.near_ten"), std::string::npos) << Describe(diff);
}

}  // namespace
}  // namespace retort::testing
