// The client-side index and constraint printers (catalog/definitions.h) on inputs built by
// hand: the forms pg_get_indexdef / pg_get_constraintdef print, and the cases left to the
// server. catalog_test checks the same printers against the server on real catalogs.
#include "catalog/definitions.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>

namespace retort::catalog {
namespace {

// Oids as PostgreSQL 15 has them; the printers only compare them.
constexpr Oid kBtree = 403;
constexpr Oid kGin = 2742;
constexpr Oid kGist = 783;
constexpr Oid kInt4 = 23;
constexpr Oid kText = 25;
constexpr Oid kVarchar = 1043;
constexpr Oid kJsonb = 3802;
constexpr Oid kDefaultCollation = 100;
constexpr Oid kCCollation = 950;
constexpr Oid kInt4Ops = 1978;
constexpr Oid kTextOps = 3126;
constexpr Oid kTextPatternOps = 4217;
constexpr Oid kVarcharPatternOps = 4218;
constexpr Oid kJsonbOps = 4036;
constexpr Oid kJsonbPathOps = 4037;
constexpr Oid kArrayOps = 2745;
constexpr Oid kEnumOps = 3474;
constexpr Oid kRangeOps = 3919;
constexpr Oid kAnyArray = 2277;
constexpr Oid kAnyEnum = 3500;
constexpr Oid kAnyRange = 3831;
constexpr Oid kMoodEnum = 16390;
constexpr Oid kEmailDomain = 16400;
constexpr Oid kInt4Array = 1007;
constexpr Oid kInt4Range = 3904;
constexpr int kRelease = 150004;

OpclassTable Opclasses() {
  return {
      {kInt4Ops, {kBtree, kInt4, true, "int4_ops"}},
      {kTextOps, {kBtree, kText, true, "text_ops"}},
      {kTextPatternOps, {kBtree, kText, false, "text_pattern_ops"}},
      {kVarcharPatternOps, {kBtree, kText, false, "varchar_pattern_ops"}},
      {kJsonbOps, {kGin, kJsonb, true, "jsonb_ops"}},
      {kJsonbPathOps, {kGin, kJsonb, false, "jsonb_path_ops"}},
      {kArrayOps, {kGin, kAnyArray, true, "array_ops"}},
      {kEnumOps, {kBtree, kAnyEnum, true, "enum_ops"}},
      {kRangeOps, {kGist, kAnyRange, true, "range_ops"}},
  };
}

// Table t: 1 id int, 2 "Name" text, 3 code varchar, 4 doc jsonb, 5 mood (enum), 6 tags int[],
// 7 span int4range, 8 email (a domain over text); attnum 9 was dropped.
const std::map<int64_t, ColumnFacts>& TableT() {
  static const std::map<int64_t, ColumnFacts> columns = {
      {1, {"id", kInt4, 0, 'b', 'N'}},
      {2, {"\"Name\"", kText, kDefaultCollation, 'b', 'S'}},
      {3, {"code", kVarchar, kDefaultCollation, 'b', 'S'}},
      {4, {"doc", kJsonb, 0, 'b', 'U'}},
      {5, {"mood", kMoodEnum, 0, 'e', 'E'}},
      {6, {"tags", kInt4Array, 0, 'b', 'A'}},
      {7, {"span", kInt4Range, 0, 'r', 'R'}},
      {8, {"email", kEmailDomain, kDefaultCollation, 'd', 'S'}},
  };
  return columns;
}

ColumnLookup Lookup(const std::map<int64_t, ColumnFacts>& columns) {
  return [&columns](int64_t attnum) -> std::optional<ColumnFacts> {
    auto found = columns.find(attnum);
    if (found == columns.end()) return std::nullopt;
    return found->second;
  };
}

// Table parent: 1 id int, 2 "Key" text.
ColumnLookup Parent() {
  static const std::map<int64_t, ColumnFacts> columns = {
      {1, {"id", kInt4, 0, 'b', 'N'}},
      {2, {"\"Key\"", kText, kDefaultCollation, 'b', 'S'}},
  };
  return Lookup(columns);
}

// A btree index on t's columns `key`, each with the default opclass and collation of int or text.
IndexInput Btree(std::vector<int64_t> key) {
  IndexInput index;
  index.quoted_name = "ix";
  index.table_sql = "public.t";
  index.method = "btree";
  index.can_order = true;
  index.key_count = key.size();
  for (int64_t attnum : key) {
    // 0, an expression column, as if it were of type text.
    auto column = TableT().find(attnum);
    bool int4 = column != TableT().end() && column->second.type == kInt4;
    index.opclasses.push_back(int4 ? kInt4Ops : kTextOps);
    index.collations.push_back(int4 ? 0 : kDefaultCollation);
    index.options.push_back(0);
  }
  index.key = std::move(key);
  return index;
}

// The definition when the printer printed it; "<server>" when it left it to PostgreSQL.
std::string Printed(const IndexInput& index, const std::optional<std::string>& expression = {},
                    const std::optional<std::string>& predicate = {}) {
  OpclassTable opclasses = Opclasses();
  DefinitionPrinter printer(kRelease, opclasses);
  std::optional<IndexPieces> pieces = printer.Index(index, Lookup(TableT()));
  return pieces ? pieces->Definition(expression, predicate) : "<server>";
}

std::string Printed(const ConstraintInput& constraint, std::string_view check = "",
                    std::string_view index_with = "") {
  OpclassTable opclasses = Opclasses();
  DefinitionPrinter printer(kRelease, opclasses);
  std::optional<ConstraintPieces> pieces =
      printer.Constraint(constraint, Lookup(TableT()), Parent());
  return pieces ? pieces->Definition(check, index_with) : "<server>";
}

// lower("Name") and "Name" || 'x', as nodeToString stores them (abridged: the printers read
// the top node's kind and its first scalar fields only).
constexpr char kLowerCall[] =
    "({FUNCEXPR :funcid 870 :funcresulttype 25 :funcretset false :funcvariadic false "
    ":funcformat 0 :funccollid 100 :inputcollid 100 :args ({VAR :varno 1 :varattno 2 "
    ":vartype 25 :location 27}) :location 21})";
constexpr char kConcatOperator[] =
    "({OPEXPR :opno 654 :opfuncid 1258 :opresulttype 25 :opretset false :opcollid 100 "
    ":inputcollid 100 :args ({VAR :varno 1 :varattno 2 :location 23} {CONST :consttype 25 "
    ":location 33}) :location 30})";
constexpr char kCast[] =
    "({RELABELTYPE :arg {VAR :varno 1 :varattno 2 :location 23} :resulttype 1043 "
    ":resulttypmod -1 :resultcollid 100 :relabelformat 1 :location 27})";

TEST(ColumnList, NamesTheColumnsAsQuotedInOrder) {
  ColumnLookup columns = Lookup(TableT());
  EXPECT_EQ(ColumnList(columns, std::vector<int64_t>{2, 1}), "\"Name\", id");
  EXPECT_EQ(ColumnList(columns, std::vector<int64_t>{}), "");
  // A column retort did not read (dropped, or a system column), or no columns at all.
  EXPECT_EQ(ColumnList(columns, std::vector<int64_t>{1, 9}), std::nullopt);
  EXPECT_EQ(ColumnList(ColumnLookup(), std::vector<int64_t>{1}), std::nullopt);
}

TEST(ForeignKeyAction, PrintsEveryActionButTheDefault) {
  EXPECT_EQ(ForeignKeyAction('a'), "");
  EXPECT_EQ(ForeignKeyAction('r'), "RESTRICT");
  EXPECT_EQ(ForeignKeyAction('c'), "CASCADE");
  EXPECT_EQ(ForeignKeyAction('n'), "SET NULL");
  EXPECT_EQ(ForeignKeyAction('d'), "SET DEFAULT");
  EXPECT_EQ(ForeignKeyAction('?'), std::nullopt);
}

TEST(OpclassSuffix, PrintsOnlyWhatIsNotTheTypesDefault) {
  OpclassTable opclasses = Opclasses();
  const auto& t = TableT();
  EXPECT_EQ(OpclassSuffix(opclasses, kInt4Ops, &t.at(1), kInt4), "");
  EXPECT_EQ(OpclassSuffix(opclasses, kTextPatternOps, &t.at(2), kText), " text_pattern_ops");
  EXPECT_EQ(OpclassSuffix(opclasses, kJsonbPathOps, &t.at(4), kJsonb), " jsonb_path_ops");
  // Defaults that take the column's type by its kind, or varchar as text.
  EXPECT_EQ(OpclassSuffix(opclasses, kTextOps, &t.at(3), kVarchar), "");
  EXPECT_EQ(OpclassSuffix(opclasses, kEnumOps, &t.at(5), kMoodEnum), "");
  EXPECT_EQ(OpclassSuffix(opclasses, kArrayOps, &t.at(6), kInt4Array), "");
  EXPECT_EQ(OpclassSuffix(opclasses, kRangeOps, &t.at(7), kInt4Range), "");
  // A default opclass of another type where the column's type has a default of its own: named.
  EXPECT_EQ(OpclassSuffix(opclasses, kTextOps, &t.at(1), kInt4), " text_ops");
  // Which default PostgreSQL takes for a domain or an expression, retort cannot tell.
  EXPECT_EQ(OpclassSuffix(opclasses, kTextOps, &t.at(8), kEmailDomain), std::nullopt);
  EXPECT_EQ(OpclassSuffix(opclasses, kTextOps, nullptr, kVarchar), std::nullopt);
  // A default for an unrelated type (no btree default takes jsonb here), and an opclass retort
  // did not read.
  EXPECT_EQ(OpclassSuffix(opclasses, kEnumOps, &t.at(4), kJsonb), std::nullopt);
  EXPECT_EQ(OpclassSuffix(opclasses, 99999, &t.at(1), kInt4), std::nullopt);
}

TEST(IndexPrinter, PrintsKeyColumnsIncludeAndOptions) {
  EXPECT_EQ(Printed(Btree({1})), "CREATE INDEX ix ON public.t USING btree (id)");

  IndexInput include = Btree({1, 2, 3});
  include.key_count = 1;
  include.unique = true;
  include.nulls_not_distinct = true;
  include.with_options = "fillfactor='70', deduplicate_items=off";
  EXPECT_EQ(Printed(include),
            "CREATE UNIQUE INDEX ix ON public.t USING btree (id) INCLUDE (\"Name\", code) "
            "NULLS NOT DISTINCT WITH (fillfactor='70', deduplicate_items=off)");

  IndexInput only = Btree({1});
  only.on_partitioned_table = true;
  only.quoted_name = "\"Ix Quoted\"";
  EXPECT_EQ(Printed(only), "CREATE INDEX \"Ix Quoted\" ON ONLY public.t USING btree (id)");
}

TEST(IndexPrinter, PrintsOrderAndNullsOnlyWhereNotTheDefault) {
  IndexInput index = Btree({1, 2, 3, 1});
  index.options = {1, 3, 2, 0};  // DESC; DESC NULLS FIRST; NULLS FIRST; ASC
  EXPECT_EQ(Printed(index),
            "CREATE INDEX ix ON public.t USING btree (id DESC NULLS LAST, \"Name\" DESC, "
            "code NULLS FIRST, id)");
  // A method without order (gin) prints none, whatever indoption holds.
  IndexInput gin = Btree({4});
  gin.method = "gin";
  gin.can_order = false;
  gin.opclasses = {kJsonbPathOps};
  gin.collations = {0};
  gin.options = {3};
  EXPECT_EQ(Printed(gin), "CREATE INDEX ix ON public.t USING gin (doc jsonb_path_ops)");
}

TEST(IndexPrinter, ExpressionAndPredicateAreTheServersText) {
  IndexInput call = Btree({0});
  call.expressions_tree = kLowerCall;
  call.opclasses = {kTextOps};
  call.collations = {kDefaultCollation};
  call.has_predicate = true;
  EXPECT_EQ(Printed(call, "lower(\"Name\")", "(id > 0)"),
            "CREATE INDEX ix ON public.t USING btree (lower(\"Name\")) WHERE (id > 0)");

  // An operator prints in parentheses; what follows the expression column is kept after it.
  IndexInput op = Btree({0, 1});
  op.expressions_tree = kConcatOperator;
  op.opclasses = {kTextPatternOps, kInt4Ops};
  op.collations = {kDefaultCollation, 0};
  op.options = {1, 0};
  OpclassTable opclasses = Opclasses();
  IndexPieces pieces = *DefinitionPrinter(kRelease, opclasses).Index(op, Lookup(TableT()));
  EXPECT_TRUE(pieces.has_expression);
  EXPECT_TRUE(pieces.expression_parens);
  EXPECT_EQ(pieces.head, "CREATE INDEX ix ON public.t USING btree (");
  EXPECT_EQ(pieces.tail, " text_pattern_ops DESC NULLS LAST, id)");
  EXPECT_EQ(Printed(op, "(\"Name\" || 'x'::text)"),
            "CREATE INDEX ix ON public.t USING btree (((\"Name\" || 'x'::text)) text_pattern_ops "
            "DESC NULLS LAST, id)");

  // A partial index on plain columns: the predicate alone.
  IndexInput partial = Btree({1});
  partial.has_predicate = true;
  EXPECT_EQ(Printed(partial, std::nullopt, "(\"Name\" IS NOT NULL)"),
            "CREATE INDEX ix ON public.t USING btree (id) WHERE (\"Name\" IS NOT NULL)");
}

TEST(IndexPrinter, CollationOnlyWhenItIsTheColumnsOwn) {
  IndexInput same = Btree({2});
  EXPECT_EQ(Printed(same), "CREATE INDEX ix ON public.t USING btree (\"Name\")");
  IndexInput other = Btree({2});
  other.collations = {kCCollation};  // COLLATE "C": PostgreSQL prints it
  EXPECT_EQ(Printed(other), "<server>");
}

TEST(IndexPrinter, LeavesToPostgresWhatItCannotBeSureOf) {
  IndexInput two_expressions = Btree({0, 0});
  two_expressions.expressions_tree =
      "({FUNCEXPR :funcid 870 :funcresulttype 25 :funcformat 0 :funccollid 100 :args ({VAR "
      ":varno 1 :varattno 2})} {FUNCEXPR :funcid 871 :funcresulttype 25 :funcformat 0 "
      ":funccollid 100 :args ({VAR :varno 1 :varattno 2})})";
  EXPECT_EQ(Printed(two_expressions), "<server>");

  IndexInput cast = Btree({0});
  cast.expressions_tree = kCast;
  EXPECT_EQ(Printed(cast), "<server>");

  IndexInput options = Btree({1});
  options.has_opclass_options = true;
  EXPECT_EQ(Printed(options), "<server>");

  IndexInput unread_column = Btree({1, 2});
  unread_column.key[1] = 9;
  EXPECT_EQ(Printed(unread_column), "<server>");
  EXPECT_EQ(Printed(Btree({8})), "<server>");  // text_ops on a domain over text

  IndexInput short_arrays = Btree({1, 2});
  short_arrays.options.pop_back();
  EXPECT_EQ(Printed(short_arrays), "<server>");

  OpclassTable opclasses = Opclasses();
  EXPECT_FALSE(DefinitionPrinter(kRelease, opclasses).Index(Btree({1}), ColumnLookup()));
  EXPECT_FALSE(DefinitionPrinter(180000, opclasses).Index(Btree({1}), Lookup(TableT())));
  EXPECT_FALSE(DefinitionPrinter(140010, opclasses).Index(Btree({1}), Lookup(TableT())));
  EXPECT_TRUE(DefinitionPrinter(170002, opclasses).Index(Btree({1}), Lookup(TableT())));
}

TEST(ConstraintPrinter, Keys) {
  ConstraintInput primary;
  primary.type = 'p';
  primary.key = {1};
  primary.index_key = {1, 2};
  EXPECT_EQ(Printed(primary), "PRIMARY KEY (id) INCLUDE (\"Name\")");
  // The index's storage parameters go after INCLUDE and before DEFERRABLE.
  primary.deferrable = true;
  EXPECT_EQ(Printed(primary, "", " WITH (fillfactor='70')"),
            "PRIMARY KEY (id) INCLUDE (\"Name\") WITH (fillfactor='70') DEFERRABLE");

  ConstraintInput unique;
  unique.type = 'u';
  unique.key = {2, 3};
  unique.index_key = {2, 3};
  unique.nulls_not_distinct = true;
  unique.deferrable = true;
  unique.deferred = true;
  EXPECT_EQ(Printed(unique),
            "UNIQUE NULLS NOT DISTINCT (\"Name\", code) DEFERRABLE INITIALLY "
            "DEFERRED");
}

TEST(ConstraintPrinter, ForeignKeys) {
  ConstraintInput foreign;
  foreign.type = 'f';
  foreign.key = {1, 2};
  foreign.referenced_sql = "other.parent";
  foreign.referenced_key = {1, 2};
  foreign.match_type = 'f';
  foreign.on_update = 'c';
  foreign.on_delete = 'n';
  foreign.on_delete_columns = std::vector<int64_t>{2};
  foreign.validated = false;
  EXPECT_EQ(Printed(foreign),
            "FOREIGN KEY (id, \"Name\") REFERENCES other.parent(id, \"Key\") MATCH FULL "
            "ON UPDATE CASCADE ON DELETE SET NULL (\"Name\") NOT VALID");

  ConstraintInput plain;
  plain.type = 'f';
  plain.key = {1};
  plain.referenced_sql = "parent";
  plain.referenced_key = {1};
  plain.on_delete = 'd';
  EXPECT_EQ(Printed(plain), "FOREIGN KEY (id) REFERENCES parent(id) ON DELETE SET DEFAULT");

  ConstraintInput unknown_column = plain;
  unknown_column.referenced_key = {3};  // parent has no attnum 3 retort read
  EXPECT_EQ(Printed(unknown_column), "<server>");
  ConstraintInput unknown_action = plain;
  unknown_action.on_update = 'x';
  EXPECT_EQ(Printed(unknown_action), "<server>");
}

TEST(ConstraintPrinter, ChecksLeaveTheirExpressionToTheServer) {
  ConstraintInput check;
  check.type = 'c';
  check.key = {1};
  check.has_check_expression = true;
  check.no_inherit = true;
  check.validated = false;
  OpclassTable opclasses = Opclasses();
  ConstraintPieces pieces =
      *DefinitionPrinter(kRelease, opclasses).Constraint(check, Lookup(TableT()), ColumnLookup());
  EXPECT_TRUE(pieces.check);
  EXPECT_EQ(pieces.head, "CHECK (");
  EXPECT_EQ(pieces.suffix, " NO INHERIT NOT VALID");
  EXPECT_EQ(pieces.Definition("(id > 0)", ""), "CHECK ((id > 0)) NO INHERIT NOT VALID");

  check.has_check_expression = false;
  EXPECT_EQ(Printed(check), "<server>");
  ConstraintInput exclusion;
  exclusion.type = 'x';
  exclusion.key = {7};
  EXPECT_EQ(Printed(exclusion), "<server>");
  ConstraintInput primary;
  primary.type = 'p';
  primary.key = {1};
  EXPECT_FALSE(DefinitionPrinter(180000, opclasses).Constraint(primary, Lookup(TableT()), {}));
}

TEST(WithIndexParameters, GoesWherePgDumpPutsIt) {
  EXPECT_EQ(WithIndexParameters("UNIQUE (a) DEFERRABLE", " WITH (fillfactor='70')"),
            "UNIQUE (a) WITH (fillfactor='70') DEFERRABLE");
  EXPECT_EQ(WithIndexParameters("PRIMARY KEY (a)", " WITH (fillfactor='70')"),
            "PRIMARY KEY (a) WITH (fillfactor='70')");
  EXPECT_EQ(WithIndexParameters("PRIMARY KEY (a) DEFERRABLE", ""), "PRIMARY KEY (a) DEFERRABLE");
}

}  // namespace
}  // namespace retort::catalog
