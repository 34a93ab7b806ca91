// The schema model: what a PostgreSQL database contains, as plain values.
//
// Every definition that PostgreSQL can print canonically is kept as the server's own text
// (format_type, pg_get_expr, pg_get_indexdef, pg_get_constraintdef, pg_get_triggerdef,
// pg_get_viewdef, pg_get_functiondef). Both sides of a diff are read by the same catalog code
// from a real server, so equal objects have equal text: no type-alias tables, no guessing, no
// false positives. Vectors are sorted by identity (see Sort()), so output is deterministic.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/boxed.h"
#include "base/interned.h"

namespace retort::schema {

struct QualifiedName {
  std::string schema;
  std::string name;

  auto operator<=>(const QualifiedName&) const = default;
  bool operator==(const QualifiedName&) const = default;
  // `schema.name` with each part quoted only when needed.
  std::string Sql() const;
};

// Privileges held by roles other than the owner (aclexplode of the ACL, or of acldefault when
// the ACL is NULL), one entry per grantee and privilege.
struct Grant {
  std::string grantee;    // role name, "PUBLIC" for public
  std::string privilege;  // SELECT, INSERT, ...
  bool grantable = false;
  auto operator<=>(const Grant&) const = default;
  bool operator==(const Grant&) const = default;
};

struct Schema {
  std::string name;
  std::optional<std::string> comment;
  // USAGE, CREATE; a new schema has none, PostgreSQL 15's public schema has PUBLIC USAGE.
  std::vector<Grant> grants{};  // sorted
  bool operator==(const Schema&) const = default;
};

struct Extension {
  std::string name;
  std::string schema;
  std::string version;
  bool operator==(const Extension&) const = default;
};

struct EnumType {
  QualifiedName name;
  std::vector<std::string> labels;  // in sort order (enumsortorder)
  std::optional<std::string> comment;
  bool operator==(const EnumType&) const = default;
};

struct DomainConstraint {
  std::string name;
  std::string definition;  // pg_get_constraintdef: "CHECK (VALUE > 0)", incl. NOT VALID
  std::optional<std::string> comment;
  bool operator==(const DomainConstraint&) const = default;
};

struct Domain {
  QualifiedName name;
  std::string base_type;         // format_type
  Boxed<std::string> collation;  // as for Column::collation
  Boxed<std::string> default_expr;
  bool not_null = false;
  std::vector<DomainConstraint> constraints;  // sorted by name
  Boxed<std::string> comment;
  bool operator==(const Domain&) const = default;
};

struct CompositeAttribute {
  std::string name;
  std::string type;
  std::optional<std::string> collation;  // as for Column::collation
  std::optional<std::string> comment;
  bool operator==(const CompositeAttribute&) const = default;
};

struct CompositeType {
  QualifiedName name;
  std::vector<CompositeAttribute> attributes;  // in attnum order
  std::optional<std::string> comment;
  bool operator==(const CompositeType&) const = default;
};

struct SequenceOptions {
  std::string data_type = "bigint";
  int64_t start = 1;
  int64_t increment = 1;
  int64_t min_value = 1;
  int64_t max_value = INT64_MAX;
  int64_t cache = 1;
  bool cycle = false;
  bool operator==(const SequenceOptions&) const = default;
};

// A free-standing sequence (identity sequences belong to their column instead).
struct Sequence {
  QualifiedName name;
  SequenceOptions options;
  Boxed<QualifiedName> owned_by_table;
  Boxed<std::string> owned_by_column;
  Boxed<std::string> comment;
  std::vector<Grant> grants{};  // USAGE, SELECT, UPDATE; sorted
  bool operator==(const Sequence&) const = default;
};

// What most columns have none of, kept in one box so that a column without any of it costs
// one pointer.
struct ColumnDetails {
  // Only when it differs from the type's default; SQL-ready: `"C"`, `"en_US"` (pg_catalog
  // collations unqualified, others schema-qualified), as in `COLLATE "C"`.
  Boxed<std::string> collation;
  Boxed<SequenceOptions> identity_options;
  Boxed<std::string> generated_expr;  // GENERATED ALWAYS AS (...) STORED
  Boxed<std::string> comment;
  std::vector<Grant> grants{};  // column privileges (GRANT SELECT (c) ON t); sorted
  bool operator==(const ColumnDetails&) const = default;
  bool Empty() const {
    return !collation && !identity_options && !generated_expr && !comment && grants.empty();
  }
};

// 40 bytes: a 10,000-table schema has 450,000 of them on each side of a diff. Its name and type
// are interned (a schema's tables repeat id, created_at, ... and a diff's two sides repeat every
// name), rarely set fields are boxed (ColumnDetails, default_expr), and the one-byte fields come
// together, so that they share one word.
struct Column {
  InternedString name;
  InternedString type;              // format_type, e.g. "character varying(255)", "vector(1536)"
  Boxed<std::string> default_expr;  // pg_get_expr(adbin); absent for generated columns
  bool not_null = false;
  char identity = '\0';  // '\0', 'a' (ALWAYS) or 'd' (BY DEFAULT)
  // attstorage when it differs from the type's typstorage, '\0' otherwise: 'p' PLAIN,
  // 'e' EXTERNAL, 'x' EXTENDED, 'm' MAIN.
  char storage = '\0';
  // The type's typstorage: PostgreSQL 15 has no SET STORAGE DEFAULT, so going back to the
  // type's own storage names it. A function of `type`, so equal columns have equal values.
  char type_storage = '\0';
  // attcompression: '\0' the server's default_toast_compression, 'p' pglz, 'l' lz4.
  char compression = '\0';
  // A classic inheritance child's entry for a column it has only from its parents
  // (attislocal false) but with a default, NOT NULL, comment, privileges or storage of its own.
  // CREATE TABLE ... INHERITS must not list it: a listed column becomes the child's own, and
  // stays when the parent drops it. Always false for a partition (its columns are never local)
  // and for any table that is nobody's child.
  bool inherited_only = false;

  // The rarely set fields, read as if they were members.
  const Boxed<std::string>& collation() const { return Details().collation; }
  const Boxed<SequenceOptions>& identity_options() const { return Details().identity_options; }
  const Boxed<std::string>& generated_expr() const { return Details().generated_expr; }
  const Boxed<std::string>& comment() const { return Details().comment; }
  const std::vector<Grant>& grants() const { return Details().grants; }
  // For setting them: boxes the details on first use.
  ColumnDetails& mutable_details() { return details_ ? *details_ : details_.emplace(); }
  // Lets the box go when nothing is left in it (after fields were cleared).
  void CompactDetails() {
    if (details_ && details_->Empty()) details_.reset();
  }

  // A column whose details are all unset equals one that never had them boxed.
  friend bool operator==(const Column& a, const Column& b);

 private:
  const ColumnDetails& Details() const;
  Boxed<ColumnDetails> details_;
};

// PostgreSQL's word for an attstorage/typstorage code ("plain", "external", "extended", "main")
// and for an attcompression code ("pglz", "lz4"); empty for a code it has no word for ('\0').
// The renderer and the JSON model both spell the codes through these.
std::string_view StorageKeyword(char storage);
std::string_view CompressionMethod(char compression);

struct Table {
  QualifiedName name;
  bool partitioned = false;  // relkind 'p'
  bool unlogged = false;
  // In attnum order. A child table (partition or classic inheritance child) lists only what
  // CREATE TABLE ... PARTITION OF / INHERITS would not give it: its own local columns
  // (inheritance only: a partition's columns are never local), and inherited columns whose
  // NOT NULL, default or generation expression differ from the (first) parent's column, or
  // that have a comment (Column::inherited_only tells those from the local ones). Such an
  // entry holds the child's full values, e.g. no default_expr
  // where the parent has one means "DROP DEFAULT" on the child (an attached table).
  std::vector<Column> columns;
  Boxed<std::string> partition_key;     // pg_get_partkeydef: "LIST (partition_key)"
  Boxed<QualifiedName> partition_of;    // set for a partition
  Boxed<std::string> partition_bound;   // "FOR VALUES IN (0)", "DEFAULT"
  std::vector<QualifiedName> inherits;  // classic inheritance parents, in order
  std::vector<std::string> options;     // reloptions, "fillfactor=70"; sorted
  bool row_security = false;
  bool force_row_security = false;
  // relreplident: 'd' DEFAULT (the primary key), 'f' FULL, 'n' NOTHING, 'i' USING INDEX.
  char replica_identity = 'd';
  // 'i': the index (in the table's schema), a partition's own or one it got from its parent's
  // index. Empty when that index was dropped (PostgreSQL then acts as for NOTHING).
  std::string replica_identity_index{};
  std::vector<Grant> grants;  // sorted
  Boxed<std::string> comment;
  bool operator==(const Table&) const = default;
};

// What a constraint is. A switch over it names every type and has no default, so a new type
// fails to compile wherever it is not handled.
enum class ConstraintType { kPrimaryKey, kUnique, kCheck, kForeignKey, kExclusion };

// The type for a pg_constraint.contype code ('p', 'u', 'c', 'f', 'x'), the catalog's one
// conversion; nullopt for a code retort does not model ('t' constraint triggers, 'n' NOT NULL).
std::optional<ConstraintType> ConstraintTypeFromContype(char contype);
// A primary key or unique constraint: what a foreign key can reference and what USING INDEX
// can make from a unique index.
bool IsKey(ConstraintType type);
// A constraint PostgreSQL backs with an index of the constraint's name (keys and exclusion
// constraints): the index's name is taken while the constraint exists.
bool HasIndex(ConstraintType type);

// PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY and EXCLUDE constraints of tables. Constraints that a
// partition inherits from its parent are left out (the parent's creates them).
struct Constraint {
  QualifiedName table;
  std::string name;
  ConstraintType type = ConstraintType::kCheck;
  std::string definition;                 // pg_get_constraintdef, incl. DEFERRABLE and NOT VALID
  Boxed<QualifiedName> referenced_table;  // foreign keys
  Boxed<std::string> comment;
  bool operator==(const Constraint&) const = default;
};

// Indexes not owned by a constraint. Indexes a partition inherits from its parent's index are
// left out.
struct Index {
  QualifiedName name;  // schema is the table's
  QualifiedName table;
  // pg_get_indexdef: "CREATE INDEX ix ON public.t USING gin (doc)". For a partitioned table's
  // index: "CREATE INDEX ix ON ONLY public.t USING btree (a)" (ONLY: without it, CREATE INDEX
  // also creates and attaches the partitions' indexes). WITH (...) keeps the order the options
  // were given in.
  std::string definition;
  bool unique = false;
  bool valid = true;  // false: indisvalid is off (a failed CREATE INDEX CONCURRENTLY)
  Boxed<std::string> comment;
  bool operator==(const Index&) const = default;
};

struct View {
  QualifiedName name;
  bool materialized = false;
  // pg_get_viewdef(oid) (what pg_dump prints), without the surrounding white space and the
  // final semicolon: "SELECT t.a,\n    t.b\n   FROM t".
  std::string definition;
  std::vector<std::string>
      options;  // reloptions: check_option=local, security_barrier=true; sorted
  std::vector<std::pair<std::string, std::string>>
      column_comments;  // (column, comment), attnum order
  std::vector<Grant> grants;
  std::optional<std::string> comment;
  bool operator==(const View&) const = default;
};

struct Function {
  QualifiedName name;
  std::string arguments;  // pg_get_function_identity_arguments: "a integer, b text"
  char kind = 'f';        // 'f' function, 'p' procedure, 'a' aggregate, 'w' window
  // pg_get_functiondef ("CREATE OR REPLACE FUNCTION ...", ends in a newline, no semicolon).
  // Aggregates, which pg_get_functiondef refuses, get "CREATE OR REPLACE AGGREGATE
  // s.name(args) (\n    SFUNC = ...,\n    STYPE = ...\n)\n", written by the catalog query like
  // pg_dump does (only non-default options).
  std::string definition;
  std::string result;  // pg_get_function_result, to know when CREATE OR REPLACE can't work
  std::optional<std::string> comment;
  // EXECUTE; a function nobody restricted has {PUBLIC, EXECUTE} (PostgreSQL's default).
  std::vector<Grant> grants{};  // sorted
  bool operator==(const Function&) const = default;
  // "schema.name(arguments)": the identity used for DROP/COMMENT.
  std::string Signature() const;
};

struct Trigger {
  QualifiedName table;
  std::string name;
  std::string definition;  // pg_get_triggerdef
  char enabled = 'O';      // 'O' origin (enabled), 'D' disabled, 'R' replica, 'A' always
  std::optional<std::string> comment;
  bool operator==(const Trigger&) const = default;
};

struct Policy {
  QualifiedName table;
  std::string name;
  bool permissive = true;
  std::string command;             // ALL, SELECT, INSERT, UPDATE, DELETE
  std::vector<std::string> roles;  // role names, sorted; {"public"} when for everyone
  Boxed<std::string> using_expr;
  Boxed<std::string> check_expr;
  Boxed<std::string> comment;
  bool operator==(const Policy&) const = default;
};

// A rule (CREATE RULE) on a table or view. A view's own _RETURN rule is the view, not a rule.
struct Rule {
  QualifiedName table;  // the table or view it is on
  std::string name;
  // pg_get_ruledef: "CREATE RULE r AS\n    ON INSERT TO public.t DO INSTEAD ...;"
  std::string definition;
  char enabled = 'O';  // 'O' origin (enabled), 'D' disabled, 'R' replica, 'A' always
  std::optional<std::string> comment;
  bool operator==(const Rule&) const = default;
};

// A collation made with CREATE COLLATION in a user schema (not an extension's).
struct Collation {
  QualifiedName name;
  // CREATE COLLATION's options, as pg_dump writes them: "provider = icu, deterministic =
  // false, locale = 'und-u-ks-level2'" or "provider = libc, locale = 'C.UTF-8'". The
  // collation's version (collversion) is left out: it is the library's, not the schema's.
  std::string definition;
  std::optional<std::string> comment;
  bool operator==(const Collation&) const = default;
  // How a column or domain names it (Column::collation): schema-qualified, quoted as needed.
  std::string Sql() const { return name.Sql(); }
};

// A user-defined operator (CREATE OPERATOR). `name.name` is the symbol, e.g. "~~~".
struct Operator {
  QualifiedName name;
  std::string left_type;   // format_type; "NONE" for a prefix operator
  std::string right_type;  // format_type
  // CREATE OPERATOR's options but RESTRICT and JOIN (which ALTER OPERATOR can change):
  // "FUNCTION = public.near, LEFTARG = integer, RIGHTARG = integer, COMMUTATOR =
  // OPERATOR(public.~~~), HASHES".
  std::string definition;
  std::optional<std::string> restrict_estimator;  // "scalarltsel" (a regproc)
  std::optional<std::string> join_estimator;      // "scalarltjoinsel"
  std::optional<std::string> comment;
  bool operator==(const Operator&) const = default;
  // "schema.op(left, right)": the identity used for dependencies.
  std::string Signature() const;
  // "schema.op (left, right)": as DROP OPERATOR and COMMENT ON OPERATOR name it.
  std::string Sql() const;
};

// A member of an operator family added by ALTER OPERATOR FAMILY ... ADD (not through one of
// its operator classes): a "loose" operator or support function.
struct OperatorFamilyMember {
  // As ADD takes it: "OPERATOR 1 public.<(integer,bigint)" or
  // "FUNCTION 1 (integer, bigint) public.cmp(integer,bigint)".
  std::string definition;
  // As DROP takes it: "OPERATOR 1 (integer, bigint)" or "FUNCTION 1 (integer, bigint)".
  std::string identity;
  auto operator<=>(const OperatorFamilyMember&) const = default;
  bool operator==(const OperatorFamilyMember&) const = default;
};

// A user-defined operator family (CREATE OPERATOR FAMILY, or the one CREATE OPERATOR CLASS
// makes for itself when no FAMILY is named).
struct OperatorFamily {
  QualifiedName name;
  std::string method;                         // index access method: btree, hash, gist, ...
  std::vector<OperatorFamilyMember> members;  // loose members only; sorted
  std::optional<std::string> comment;
  bool operator==(const OperatorFamily&) const = default;
  // "schema.name USING method"
  std::string Sql() const;
};

// A user-defined operator class (CREATE OPERATOR CLASS).
struct OperatorClass {
  QualifiedName name;
  std::string method;
  // What follows the name in CREATE OPERATOR CLASS: "DEFAULT FOR TYPE integer USING btree
  // FAMILY public.f AS OPERATOR 1 public.<(integer,integer), FUNCTION 1 (integer, integer)
  // public.cmp(integer,integer)".
  std::string definition;
  std::optional<std::string> comment;
  bool operator==(const OperatorClass&) const = default;
  // "schema.name USING method"
  std::string Sql() const;
};

// What depends on what (from pg_depend), between objects of the model, identified by
// ObjectId. The plan uses it to drop and recreate views and functions around a changed column.
//
// Identities (every part quoted with QuoteIdentifier, as QualifiedName::Sql() does):
//   table, view, sequence, type (enum, domain, composite), index: "schema.name"
//   column (of a table or view):                         "schema.table.column"
//   constraint, trigger, policy:                         "schema.table.name"
//   function:                                            Function::Signature()
//   rule:                                                "schema.table.name"
//   collation:                                           "schema.name"
//   operator:                                            Operator::Signature()
//   operator class / family:                             "schema.name USING method"
// Build them with the For* functions so that every module spells them the same way.
struct ObjectId {
  enum class Kind {
    kTable,
    kColumn,
    kView,
    kFunction,
    kType,
    kSequence,
    kIndex,
    kConstraint,
    kTrigger,
    kPolicy,
    kSchema,
    kExtension,
    kRule,
    kCollation,
    kOperator,
    kOperatorClass,
    kOperatorFamily,
  };
  Kind kind = Kind::kTable;
  std::string identity;  // "schema.table", "schema.table.column", function Signature(), ...
  auto operator<=>(const ObjectId&) const = default;
  bool operator==(const ObjectId&) const = default;

  static ObjectId ForTable(const QualifiedName& table);
  static ObjectId ForColumn(const QualifiedName& table_or_view, std::string_view column);
  static ObjectId ForView(const QualifiedName& view);
  static ObjectId ForFunction(const Function& function);
  static ObjectId ForType(const QualifiedName& type);
  static ObjectId ForSequence(const QualifiedName& sequence);
  static ObjectId ForIndex(const QualifiedName& index);
  static ObjectId ForConstraint(const QualifiedName& table, std::string_view name);
  static ObjectId ForTrigger(const QualifiedName& table, std::string_view name);
  static ObjectId ForPolicy(const QualifiedName& table, std::string_view name);
  static ObjectId ForRule(const QualifiedName& table, std::string_view name);
  static ObjectId ForCollation(const QualifiedName& collation);
  static ObjectId ForOperator(const Operator& op);
  static ObjectId ForOperatorClass(const OperatorClass& opclass);
  static ObjectId ForOperatorFamily(const OperatorFamily& family);
};

struct Dependency {
  ObjectId dependent;
  ObjectId referenced;
  auto operator<=>(const Dependency&) const = default;
  bool operator==(const Dependency&) const = default;
};

// An object of a kind retort does not model yet (a text search configuration, a cast, ...), or a
// setting of a modelled object that the model does not carry (a table's access method, a
// column's statistics target): read with PostgreSQL's own text for it, so that a difference in one
// is reported by kind and name instead of going unseen. Nothing is planned for them.
struct UnmodelledObject {
  std::string kind;        // "statistics", "cast", "column setting", ...
  std::string identity;    // "public.orders_stats", "public.t.c", "(int4 AS text)"
  std::string definition;  // what the catalog says of it
  auto operator<=>(const UnmodelledObject&) const = default;
  bool operator==(const UnmodelledObject&) const = default;
};

struct Database {
  int server_version = 0;
  std::vector<Schema> schemas;  // user schemas, incl. public
  std::vector<Extension> extensions;
  std::vector<EnumType> enums;
  std::vector<Domain> domains;
  std::vector<CompositeType> composite_types;
  std::vector<Sequence> sequences;
  std::vector<Table> tables;
  std::vector<Constraint> constraints;
  std::vector<Index> indexes;
  std::vector<View> views;
  std::vector<Function> functions;
  std::vector<Trigger> triggers;
  std::vector<Policy> policies;
  std::vector<Rule> rules;
  std::vector<Collation> collations;
  std::vector<Operator> operators;
  std::vector<OperatorFamily> operator_families;
  std::vector<OperatorClass> operator_classes;
  std::vector<Dependency> dependencies;
  std::vector<UnmodelledObject> unmodelled;  // sorted by kind, identity

  // Sorts every vector by identity so that equal databases compare equal and print the same.
  // Orders that carry meaning are kept: columns and composite attributes (attnum), enum labels
  // (enumsortorder), inheritance parents (inhseqno). Unordered lists inside objects (grants,
  // domain constraints, table and view options, policy roles) are sorted too.
  void Sort();
  bool operator==(const Database&) const = default;
};

}  // namespace retort::schema
