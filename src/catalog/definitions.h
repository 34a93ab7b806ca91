// Index and constraint definitions printed from raw catalog fields, the text PostgreSQL's
// pg_get_indexdef / pg_get_constraintdef print, for the releases whose output retort reproduces.
// No database here: Inspect fills the inputs from its query rows, tests fill them by hand.
// Internal to the catalog module.
//
// Why print them client-side: pg_get_indexdef opens each index's table to name its columns.
// Over the 14,000 indexes of bench's wide shape it costs 267 ms of server CPU, against 3 ms to
// send the raw columns these printers read (bench/README.md). catalog_test compares every
// definition printed here with the server's (ExpectDefinitionsMatchPostgres).
//
// The one switch between retort's printers and PostgreSQL's is DefinitionPrinter: Index and
// Constraint return nullopt whenever retort cannot be sure of the server's text (another release,
// or a form this file does not reproduce, each named in definitions.cc), and Inspect then asks
// the server for that object's whole definition (deparse.sql). Expressions (an index's
// expression column and predicate, a CHECK) are printed by the server in any case, once per
// distinct tree: the pieces below leave room for them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace retort::catalog {

using Oid = uint32_t;

// What the printers read of a table's column.
struct ColumnFacts {
  std::string_view quoted_name;  // as quote_ident prints it
  Oid type = 0;                  // pg_attribute.atttypid
  Oid collation = 0;             // pg_attribute.attcollation
  char type_kind = '\0';         // pg_type.typtype: 'd' domain, 'e' enum, 'r' range, ...
  char type_category = '\0';     // pg_type.typcategory: 'A' array, ...
};

// One relation's columns by attribute number: nullopt for a column retort did not read. An
// empty function stands for a relation none of whose columns were read.
using ColumnLookup = std::function<std::optional<ColumnFacts>(int64_t attnum)>;

// An operator class (opclasses.sql), by pg_opclass oid.
struct OpclassInfo {
  Oid method = 0;           // pg_am oid
  Oid input_type = 0;       // opcintype
  bool is_default = false;  // opcdefault: the method's default for input_type
  std::string name_sql;     // quoted, schema-qualified when not visible
};
using OpclassTable = std::unordered_map<Oid, OpclassInfo>;

// One index (indexes.sql). Views into strings the caller keeps alive during the call.
struct IndexInput {
  std::string_view quoted_name;
  std::string_view table_sql;  // the table as pg_get_indexdef names it
  std::string_view method;     // quoted access method name
  bool unique = false;
  bool on_partitioned_table = false;  // printed "ON ONLY"
  bool can_order = false;             // the method knows ASC/DESC and NULLS FIRST/LAST
  bool nulls_not_distinct = false;
  // Some column has opclass options (columns.sql lists the index's columns then).
  bool has_opclass_options = false;
  size_t key_count = 0;             // indnkeyatts: key columns; INCLUDE columns follow them
  std::vector<int64_t> key;         // indkey: attnums, 0 for an expression column
  std::vector<int64_t> opclasses;   // indclass, per key column
  std::vector<int64_t> collations;  // indcollation, per key column
  std::vector<int64_t> options;     // indoption, per key column
  std::optional<std::string_view> expressions_tree;  // indexprs
  std::optional<std::string_view> with_options;      // the WITH clause's content
  bool has_predicate = false;                        // indpred is not NULL
};

// An index definition as pg_get_indexdef prints it, in the pieces around the text the server
// prints: head, the expression column (when there is one), tail, and " WHERE " + predicate.
struct IndexPieces {
  std::string head;
  bool has_expression = false;
  bool expression_parens = false;  // what is not a function call prints in parentheses
  std::string tail;
  bool has_predicate = false;

  // The whole definition, given the server's text of the expression and the predicate.
  std::string Definition(const std::optional<std::string>& expression,
                         const std::optional<std::string>& predicate) const;
};

// One constraint (constraints.sql).
struct ConstraintInput {
  char type = '\0';          // contype: 'p', 'u', 'f' and 'c' are printed here
  std::vector<int64_t> key;  // conkey
  // PRIMARY KEY and UNIQUE:
  bool nulls_not_distinct = false;
  std::vector<int64_t> index_key;  // the index's columns: the key's, then INCLUDE's
  // FOREIGN KEY:
  std::string_view referenced_sql;  // the referenced table as pg_get_constraintdef names it
  std::vector<int64_t> referenced_key;
  char match_type = 's';  // confmatchtype: 's' simple, 'f' full, 'p' partial
  char on_update = 'a';   // confupdtype / confdeltype: 'a' no action, 'r', 'c', 'n', 'd'
  char on_delete = 'a';
  std::optional<std::vector<int64_t>> on_delete_columns;  // ON DELETE SET NULL (columns)
  // CHECK:
  bool has_check_expression = false;  // conbin is there for the server to print
  bool no_inherit = false;
  // Any type:
  bool deferrable = false;
  bool deferred = false;
  bool validated = true;
};

// A constraint definition as pg_get_constraintdef prints it, in the pieces around a CHECK's
// expression.
struct ConstraintPieces {
  std::string head;    // CHECK: "CHECK ("; any other: all of it but the suffix
  bool check = false;  // the server's text of the expression and ")" follow head
  std::string suffix;  // " NO INHERIT", " DEFERRABLE", " INITIALLY DEFERRED", " NOT VALID"

  // The whole definition. `index_with`: a key's " WITH (...)" (see WithIndexParameters).
  std::string Definition(std::string_view check_expression, std::string_view index_with) const;
};

// pg_get_constraintdef leaves out a key's index storage parameters; the model keeps them where
// pg_dump puts them: after the columns (and INCLUDE), before DEFERRABLE. `index_with` is
// " WITH (...)" or empty.
std::string WithIndexParameters(std::string server_definition, std::string_view index_with);

class DefinitionPrinter {
 public:
  // `opclasses`: every operator class of the database; it must outlive the printer.
  DefinitionPrinter(int server_version, const OpclassTable& opclasses);

  // nullopt: PostgreSQL prints this one (pg_get_indexdef / pg_get_constraintdef).
  std::optional<IndexPieces> Index(const IndexInput& index, const ColumnLookup& columns) const;
  std::optional<ConstraintPieces> Constraint(const ConstraintInput& constraint,
                                             const ColumnLookup& columns,
                                             const ColumnLookup& referenced_columns) const;

 private:
  bool release_known_;
  const OpclassTable& opclasses_;
};

// The releases whose pg_get_indexdef / pg_get_constraintdef output this file reproduces.
bool PrintsDefinitionsItself(int server_version);

// Quoted names of the columns `attnums`, ", "-separated; nullopt when one is unknown.
std::optional<std::string> ColumnList(const ColumnLookup& columns,
                                      std::span<const int64_t> attnums);

// A foreign key action as printed after ON UPDATE / ON DELETE: "" for NO ACTION (the default,
// not printed), nullopt for a code retort does not know.
std::optional<std::string_view> ForeignKeyAction(char action);

// The opclass as pg_get_indexdef prints it after a key column whose type is `key_type`
// (" name", or "" for the type's default opclass of the method); `column` is null for an
// expression column. nullopt when retort cannot be sure which opclass PostgreSQL takes as the
// default.
std::optional<std::string> OpclassSuffix(const OpclassTable& opclasses, Oid opclass,
                                         const ColumnFacts* column, Oid key_type);

}  // namespace retort::catalog
