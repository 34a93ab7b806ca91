#include "catalog/definitions.h"

#include <charconv>

#include "catalog/text_formats.h"

namespace retort::catalog {

namespace {

// Fixed oids of pseudo-types and types (pg_type.oid), the same in every release.
constexpr Oid kTextType = 25;
constexpr Oid kVarcharType = 1043;
constexpr Oid kAnyArrayType = 2277;
constexpr Oid kAnyEnumType = 3500;
constexpr Oid kAnyRangeType = 3831;
constexpr Oid kAnyMultirangeType = 4537;

// pg_index.indoption bits.
constexpr int64_t kIndoptionDesc = 1;
constexpr int64_t kIndoptionNullsFirst = 2;

Oid ParseOid(std::string_view number) {
  Oid value = 0;
  std::from_chars(number.data(), number.data() + number.size(), value);
  return value;
}

// What the single expression column of an index prints like: its result type and collation
// (for the opclass and COLLATE decisions) and whether it goes in parentheses.
struct ExpressionColumn {
  Oid type = 0;
  Oid collation = 0;
  bool parens = false;
};

// nullopt for a top node other than a function call or an operator, whose form retort does not
// reproduce (a cast prints bare or in parentheses depending on its coercion form, ...).
std::optional<ExpressionColumn> ReadExpressionColumn(std::string_view tree) {
  std::optional<std::string_view> type;
  std::optional<std::string_view> collation;
  ExpressionColumn column;
  if (tree.substr(0, 11) == "({FUNCEXPR ") {
    auto format = NodeField(tree, "funcformat");
    // COERCE_EXPLICIT_CALL (0) and COERCE_SQL_SYNTAX (3) print as a function call.
    column.parens = !(format == "0" || format == "3");
    type = NodeField(tree, "funcresulttype");
    collation = NodeField(tree, "funccollid");
  } else if (tree.substr(0, 9) == "({OPEXPR ") {
    column.parens = true;
    type = NodeField(tree, "opresulttype");
    collation = NodeField(tree, "opcollid");
  } else {
    return std::nullopt;
  }
  if (!type || !collation) return std::nullopt;
  column.type = ParseOid(*type);
  column.collation = ParseOid(*collation);
  return column;
}

}  // namespace

bool PrintsDefinitionsItself(int server_version) {
  return server_version >= 150000 && server_version < 180000;
}

std::optional<std::string> ColumnList(const ColumnLookup& columns,
                                      std::span<const int64_t> attnums) {
  if (!columns) return std::nullopt;
  std::string out;
  for (size_t k = 0; k < attnums.size(); ++k) {
    std::optional<ColumnFacts> column = columns(attnums[k]);
    if (!column) return std::nullopt;
    if (k > 0) out += ", ";
    out += column->quoted_name;
  }
  return out;
}

std::optional<std::string_view> ForeignKeyAction(char action) {
  switch (action) {
    case 'a':
      return "";
    case 'r':
      return "RESTRICT";
    case 'c':
      return "CASCADE";
    case 'n':
      return "SET NULL";
    case 'd':
      return "SET DEFAULT";
    default:
      return std::nullopt;
  }
}

std::optional<std::string> OpclassSuffix(const OpclassTable& opclasses, Oid opclass_oid,
                                         const ColumnFacts* column, Oid key_type) {
  auto found = opclasses.find(opclass_oid);
  if (found == opclasses.end()) return std::nullopt;
  const OpclassInfo& opclass = found->second;
  // GetDefaultOpClass only ever returns a default opclass, so any other is printed.
  if (!opclass.is_default) return " " + opclass.name_sql;
  if (opclass.input_type == key_type) return "";
  // A default opclass for another input type: the default for this type only when no
  // default opclass takes the type exactly and this one takes it by its kind. Domains and
  // expression columns (whose type kind is unknown here) go to PostgreSQL.
  if (column == nullptr || column->type_kind == 'd') return std::nullopt;
  for (const auto& [oid, other] : opclasses) {
    if (other.is_default && other.method == opclass.method && other.input_type == key_type) {
      return " " + opclass.name_sql;
    }
  }
  bool by_kind = (opclass.input_type == kAnyArrayType && column->type_category == 'A') ||
                 (opclass.input_type == kAnyEnumType && column->type_kind == 'e') ||
                 (opclass.input_type == kAnyRangeType && column->type_kind == 'r') ||
                 (opclass.input_type == kAnyMultirangeType && column->type_kind == 'm') ||
                 (opclass.input_type == kTextType && key_type == kVarcharType);
  if (by_kind) return "";
  return std::nullopt;
}

std::string IndexPieces::Definition(const std::optional<std::string>& expression,
                                    const std::optional<std::string>& predicate) const {
  std::string definition = head;
  if (has_expression) {
    definition += expression_parens ? "(" + expression.value_or("") + ")" : expression.value_or("");
  }
  definition += tail;
  if (has_predicate) definition += " WHERE " + predicate.value_or("");
  return definition;
}

std::string ConstraintPieces::Definition(std::string_view check_expression,
                                         std::string_view index_with) const {
  if (check) return head + std::string(check_expression) + ")" + suffix;
  return head + std::string(index_with) + suffix;
}

std::string WithIndexParameters(std::string server_definition, std::string_view index_with) {
  if (index_with.empty()) return server_definition;
  size_t at = server_definition.find(" DEFERRABLE");
  server_definition.insert(at == std::string::npos ? server_definition.size() : at, index_with);
  return server_definition;
}

DefinitionPrinter::DefinitionPrinter(int server_version, const OpclassTable& opclasses)
    : release_known_(PrintsDefinitionsItself(server_version)), opclasses_(opclasses) {}

// Left to PostgreSQL: another release; opclass options; an index's table whose columns retort
// did not read, or a column it did not; several expression columns, or one that is neither a
// function call nor an operator; a collation other than the column's (COLLATE); an opclass
// retort cannot tell is the default or not; key arrays shorter than the key.
std::optional<IndexPieces> DefinitionPrinter::Index(const IndexInput& index,
                                                    const ColumnLookup& columns) const {
  if (!release_known_ || index.has_opclass_options || !columns) return std::nullopt;
  const size_t key_count = index.key_count;
  if (index.opclasses.size() < key_count || index.collations.size() < key_count ||
      index.options.size() < key_count) {
    return std::nullopt;
  }
  if (index.expressions_tree && NodeListLength(*index.expressions_tree) != 1) return std::nullopt;

  IndexPieces pieces;
  // Up to the expression column, then what follows it.
  std::string* out = &pieces.head;
  *out = "CREATE ";
  if (index.unique) *out += "UNIQUE ";
  *out += "INDEX ";
  *out += index.quoted_name;
  *out += " ON ";
  if (index.on_partitioned_table) *out += "ONLY ";
  *out += index.table_sql;
  *out += " USING ";
  *out += index.method;
  *out += " (";
  for (size_t k = 0; k < index.key.size(); ++k) {
    if (k == key_count) {
      *out += ") INCLUDE (";
    } else if (k > 0) {
      *out += ", ";
    }
    std::optional<ColumnFacts> column;
    Oid key_type = 0;
    Oid key_collation = 0;
    if (index.key[k] != 0) {
      column = columns(index.key[k]);
      if (!column) return std::nullopt;
      *out += column->quoted_name;
      key_type = column->type;
      key_collation = column->collation;
    } else {
      // The single expression column: its type and collation are the top node's.
      if (!index.expressions_tree) return std::nullopt;
      std::optional<ExpressionColumn> expression = ReadExpressionColumn(*index.expressions_tree);
      if (!expression) return std::nullopt;
      key_type = expression->type;
      key_collation = expression->collation;
      pieces.has_expression = true;
      pieces.expression_parens = expression->parens;
      out = &pieces.tail;
    }
    if (k >= key_count) continue;
    Oid collation = static_cast<Oid>(index.collations[k]);
    if (collation != 0 && collation != key_collation) return std::nullopt;  // COLLATE
    auto opclass = OpclassSuffix(opclasses_, static_cast<Oid>(index.opclasses[k]),
                                 column ? &*column : nullptr, key_type);
    if (!opclass) return std::nullopt;
    *out += *opclass;
    if (index.can_order) {
      int64_t option = index.options[k];
      if (option & kIndoptionDesc) {  // NULLS FIRST is then the default
        *out += " DESC";
        if (!(option & kIndoptionNullsFirst)) *out += " NULLS LAST";
      } else if (option & kIndoptionNullsFirst) {
        *out += " NULLS FIRST";
      }
    }
  }
  *out += ")";
  if (index.nulls_not_distinct) *out += " NULLS NOT DISTINCT";
  if (index.with_options) {
    *out += " WITH (";
    *out += *index.with_options;
    *out += ")";
  }
  pieces.has_predicate = index.has_predicate;
  return pieces;
}

// Left to PostgreSQL: another release; EXCLUDE and any other type but p, u, f, c; a column
// (own or referenced) retort did not read; a CHECK without its expression; a foreign key action
// retort does not know.
std::optional<ConstraintPieces> DefinitionPrinter::Constraint(
    const ConstraintInput& constraint, const ColumnLookup& columns,
    const ColumnLookup& referenced_columns) const {
  if (!release_known_) return std::nullopt;
  ConstraintPieces pieces;
  std::string& out = pieces.head;
  switch (constraint.type) {
    case 'p':
    case 'u': {
      out = constraint.type == 'p' ? "PRIMARY KEY " : "UNIQUE ";
      if (constraint.type == 'u' && constraint.nulls_not_distinct) out += "NULLS NOT DISTINCT ";
      auto names = ColumnList(columns, constraint.key);
      if (!names) return std::nullopt;
      out += "(" + *names + ")";
      if (constraint.index_key.size() > constraint.key.size()) {
        auto included =
            ColumnList(columns, std::span(constraint.index_key).subspan(constraint.key.size()));
        if (!included) return std::nullopt;
        out += " INCLUDE (" + *included + ")";
      }
      break;
    }
    case 'f': {
      auto names = ColumnList(columns, constraint.key);
      auto referenced = ColumnList(referenced_columns, constraint.referenced_key);
      auto on_update = ForeignKeyAction(constraint.on_update);
      auto on_delete = ForeignKeyAction(constraint.on_delete);
      if (!names || !referenced || !on_update || !on_delete) return std::nullopt;
      out = "FOREIGN KEY (" + *names + ") REFERENCES " + std::string(constraint.referenced_sql) +
            "(" + *referenced + ")";
      if (constraint.match_type == 'f') out += " MATCH FULL";
      if (constraint.match_type == 'p') out += " MATCH PARTIAL";
      if (!on_update->empty()) out += " ON UPDATE " + std::string(*on_update);
      if (!on_delete->empty()) out += " ON DELETE " + std::string(*on_delete);
      if (constraint.on_delete_columns) {
        auto set_columns = ColumnList(columns, *constraint.on_delete_columns);
        if (!set_columns) return std::nullopt;
        out += " (" + *set_columns + ")";
      }
      break;
    }
    case 'c':
      if (!constraint.has_check_expression) return std::nullopt;
      out = "CHECK (";
      pieces.check = true;
      if (constraint.no_inherit) pieces.suffix = " NO INHERIT";
      break;
    default:
      return std::nullopt;
  }
  if (constraint.deferrable) pieces.suffix += " DEFERRABLE";
  if (constraint.deferred) pieces.suffix += " INITIALLY DEFERRED";
  if (!constraint.validated) pieces.suffix += " NOT VALID";
  return pieces;
}

}  // namespace retort::catalog
