// Model x model -> typed changes: the one vocabulary between the diff and the SQL (Alembic's
// ops, Atlas's schema.Change). A change says what changes, in the model's own terms; it knows
// nothing about statement order (plan/) or SQL text (render/).
//
// Objects are matched by identity (schema-qualified name; columns, constraints, triggers and
// policies within their table; functions by name and identity arguments). Renames are never
// guessed: a renamed object is a drop plus a create, unless the caller says otherwise
// (diff/renames.h).
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/boxed.h"
#include "schema/model.h"

namespace retort::diff {

using schema::QualifiedName;

struct CreateSchema {
  schema::Schema schema;
  bool operator==(const CreateSchema&) const = default;
};
struct DropSchema {
  schema::Schema schema;
  bool operator==(const DropSchema&) const = default;
};

struct CreateExtension {
  schema::Extension extension;
  bool operator==(const CreateExtension&) const = default;
};
struct DropExtension {
  schema::Extension extension;
  bool operator==(const DropExtension&) const = default;
};
// ALTER EXTENSION ... UPDATE TO / SET SCHEMA.
struct AlterExtension {
  schema::Extension from;
  schema::Extension to;
  bool operator==(const AlterExtension&) const = default;
};

struct CreateEnum {
  schema::EnumType type;
  bool operator==(const CreateEnum&) const = default;
};
struct DropEnum {
  schema::EnumType type;
  bool operator==(const DropEnum&) const = default;
};
// ALTER TYPE ... ADD VALUE 'value' BEFORE/AFTER 'neighbour'.
struct AddEnumValue {
  QualifiedName type;
  std::string value;
  std::string neighbour;
  bool before = false;
  bool operator==(const AddEnumValue&) const = default;
};

// A column whose type is a type being swapped (the type itself, or an array of it).
struct ColumnUse {
  QualifiedName table;
  std::string column;
  bool array = false;
  std::optional<std::string> default_expr;  // dropped before the swap; the diff restores it
  bool operator==(const ColumnUse&) const = default;
};

// A domain over an enum being swapped (or an array of it): renamed out of the way, created
// again over the new type (its default and checks name the new type's values), its columns
// converted through text, then the old one dropped.
struct RebasedDomain {
  schema::Domain from;
  schema::Domain to;
  std::vector<ColumnUse> uses;
  bool operator==(const RebasedDomain&) const = default;
};

// Values removed or reordered: the old type is renamed out of the way, the new type created
// under the name, every column using the old one converted through text (domains over it
// follow, see RebasedDomain), then the old type dropped.
struct SwapEnum {
  Boxed<schema::EnumType> from;
  Boxed<schema::EnumType> to;
  std::vector<ColumnUse> uses;
  std::vector<std::string> removed_values;  // rows holding them fail to convert
  std::vector<RebasedDomain> domains{};
  bool operator==(const SwapEnum&) const = default;
};

struct CreateDomain {
  schema::Domain domain;
  bool operator==(const CreateDomain&) const = default;
};
struct DropDomain {
  schema::Domain domain;
  bool operator==(const DropDomain&) const = default;
};
// Default, NOT NULL and constraints (ALTER DOMAIN); the base type and collation are equal.
struct AlterDomain {
  Boxed<schema::Domain> from;
  Boxed<schema::Domain> to;
  bool operator==(const AlterDomain&) const = default;
};
// A new base type or collation: swapped like an enum (columns converted with USING col::new).
struct SwapDomain {
  Boxed<schema::Domain> from;
  Boxed<schema::Domain> to;
  std::vector<ColumnUse> uses;
  bool operator==(const SwapDomain&) const = default;
};

struct CreateCompositeType {
  schema::CompositeType type;
  bool operator==(const CreateCompositeType&) const = default;
};
struct DropCompositeType {
  schema::CompositeType type;
  bool operator==(const DropCompositeType&) const = default;
};
// ALTER TYPE ... DROP/ADD/ALTER ATTRIBUTE; only when the kept attributes keep their order and
// new ones come last (otherwise the diff drops and recreates the type).
struct AlterCompositeType {
  Boxed<schema::CompositeType> from;
  Boxed<schema::CompositeType> to;
  bool operator==(const AlterCompositeType&) const = default;
};

struct CreateSequence {
  schema::Sequence sequence;  // OWNED BY is a separate SetSequenceOwner, once the column exists
  bool operator==(const CreateSequence&) const = default;
};
struct DropSequence {
  schema::Sequence sequence;
  bool operator==(const DropSequence&) const = default;
};
struct AlterSequence {
  Boxed<schema::Sequence> from;
  Boxed<schema::Sequence> to;
  bool operator==(const AlterSequence&) const = default;
};
// ALTER SEQUENCE ... OWNED BY table.column (or NONE).
struct SetSequenceOwner {
  schema::Sequence sequence;
  bool operator==(const SetSequenceOwner&) const = default;
};

// The large alternatives (tables, views, functions, an operator family) are boxed: a Change is
// as large as its largest alternative, and a 10,000-table create script has 100,000 of them.
struct CreateTable {
  // With its columns, options, partition bound; not its comments/grants.
  Boxed<schema::Table> table;
  bool operator==(const CreateTable&) const = default;
};
struct DropTable {
  Boxed<schema::Table> table;
  bool operator==(const DropTable&) const = default;
};
struct AddColumn {
  QualifiedName table;
  schema::Column column;
  bool operator==(const AddColumn&) const = default;
};
struct DropColumn {
  QualifiedName table;
  schema::Column column;
  bool operator==(const DropColumn&) const = default;
};
// A column that cannot be altered into its new form (PostgreSQL 15 cannot change a generation
// expression, nor make a plain column generated): dropped and added again, at the end.
struct RecreateColumn {
  QualifiedName table;
  schema::Column from;
  schema::Column to;
  bool operator==(const RecreateColumn&) const = default;
};
// ALTER COLUMN ... TYPE (and/or COLLATE) ... USING col::type: rewrites the table.
struct AlterColumnType {
  QualifiedName table;
  schema::Column from;
  schema::Column to;
  // The USING expression when `col::type` is not the conversion: an enum to another enum has no
  // cast and goes through text (`col::text::new_enum`).
  std::optional<std::string> using_expr{};
  bool operator==(const AlterColumnType&) const = default;
};
struct SetColumnDefault {
  QualifiedName table;
  std::string column;
  std::string expression;
  bool operator==(const SetColumnDefault&) const = default;
};
struct DropColumnDefault {
  QualifiedName table;
  std::string column;
  bool operator==(const DropColumnDefault&) const = default;
};
struct SetNotNull {
  QualifiedName table;
  std::string column;
  bool operator==(const SetNotNull&) const = default;
};
struct DropNotNull {
  QualifiedName table;
  std::string column;
  bool operator==(const DropNotNull&) const = default;
};
struct AddIdentity {
  QualifiedName table;
  schema::Column column;
  bool operator==(const AddIdentity&) const = default;
};
struct DropIdentity {
  QualifiedName table;
  std::string column;
  bool operator==(const DropIdentity&) const = default;
};
// SET GENERATED ALWAYS/BY DEFAULT and sequence options of an identity column.
struct AlterIdentity {
  QualifiedName table;
  schema::Column from;
  schema::Column to;
  bool operator==(const AlterIdentity&) const = default;
};
// ALTER COLUMN ... SET STORAGE: the column's storage, or its type's own to go back to it
// (PostgreSQL 15 has no SET STORAGE DEFAULT). Reaches the table's children too.
struct SetColumnStorage {
  QualifiedName table;
  std::string column;
  char storage = 'x';  // 'p' PLAIN, 'e' EXTERNAL, 'x' EXTENDED, 'm' MAIN
  bool operator==(const SetColumnStorage&) const = default;
};
// ALTER COLUMN ... SET COMPRESSION; this table only (children keep theirs).
struct SetColumnCompression {
  QualifiedName table;
  std::string column;
  char compression = '\0';  // '\0' default, 'p' pglz, 'l' lz4
  bool operator==(const SetColumnCompression&) const = default;
};
// A generated column becomes a plain one, keeping its values.
struct DropExpression {
  QualifiedName table;
  std::string column;
  bool operator==(const DropExpression&) const = default;
};
// ALTER TABLE parent ATTACH / DETACH PARTITION; `table` is the partition with its bound.
struct AttachPartition {
  Boxed<schema::Table> table;
  bool operator==(const AttachPartition&) const = default;
};
struct DetachPartition {
  Boxed<schema::Table> table;
  bool operator==(const DetachPartition&) const = default;
};
// ALTER TABLE ... INHERIT / NO INHERIT parent.
struct SetInherit {
  QualifiedName table;
  QualifiedName parent;
  bool inherit = true;
  bool operator==(const SetInherit&) const = default;
};
// ALTER TABLE ... REPLICA IDENTITY DEFAULT / FULL / NOTHING / USING INDEX index; this table
// only (never its partitions).
struct SetReplicaIdentity {
  QualifiedName table;
  char identity = 'd';  // as schema::Table::replica_identity
  std::string index;    // 'i'
  bool operator==(const SetReplicaIdentity&) const = default;
};
// ALTER TABLE ... SET LOGGED / SET UNLOGGED.
struct SetLogged {
  QualifiedName table;
  bool unlogged = false;
  bool operator==(const SetLogged&) const = default;
};
// ALTER TABLE ... SET (name=value, ...) / RESET (name, ...), for tables and materialized views.
struct SetStorageOptions {
  QualifiedName table;
  bool materialized_view = false;
  std::vector<std::string> set;    // "fillfactor=70"
  std::vector<std::string> reset;  // "autovacuum_enabled"
  bool operator==(const SetStorageOptions&) const = default;
};
struct SetRowSecurity {
  QualifiedName table;
  bool enabled = false;
  bool operator==(const SetRowSecurity&) const = default;
};
struct SetForceRowSecurity {
  QualifiedName table;
  bool force = false;
  bool operator==(const SetForceRowSecurity&) const = default;
};

struct AddConstraint {
  schema::Constraint constraint;
  bool operator==(const AddConstraint&) const = default;
};
struct DropConstraint {
  schema::Constraint constraint;
  bool operator==(const DropConstraint&) const = default;
};
// NOT VALID -> valid.
struct ValidateConstraint {
  schema::Constraint constraint;
  bool operator==(const ValidateConstraint&) const = default;
};

struct CreateIndex {
  schema::Index index;
  // CREATE INDEX CONCURRENTLY (online plans, plan::Options): writes go on while it builds, and
  // the statement cannot run in a transaction block.
  bool concurrently = false;
  bool operator==(const CreateIndex&) const = default;
};
struct DropIndex {
  schema::Index index;
  bool concurrently = false;  // DROP INDEX CONCURRENTLY
  bool operator==(const DropIndex&) const = default;
};
// Not a difference between models but a step of an online plan (plan::Options): fills a column
// just added with its default, in batches that walk `key` (a unique NOT NULL column of the
// table), so that no statement rewrites or locks the whole table.
struct BackfillColumn {
  QualifiedName table;
  std::string column;
  std::string key;
  bool operator==(const BackfillColumn&) const = default;
};

// Not a difference between models but a step of an online plan (plan::Options): an index of a
// partition made an index of its partitioned table's index, created ON ONLY the parent (ALTER
// INDEX parent ATTACH PARTITION child). Once every partition's is attached the parent's index
// becomes valid.
struct AttachIndex {
  QualifiedName parent;  // the partitioned table's index
  QualifiedName child;   // the partition's index
  bool operator==(const AttachIndex&) const = default;
};

// Not a difference between models but a step of an online plan: a primary key or unique
// constraint whose definition changes, swapped in one ALTER TABLE for the one built under
// `added`'s USING INDEX (the constraint is never missing).
// Boxed: a Change is as large as its largest alternative (a plan holds one per object).
struct ReplaceKey {
  Boxed<schema::Constraint> dropped;
  Boxed<schema::Constraint> added;  // "PRIMARY KEY USING INDEX tmp": the index takes the name
  bool operator==(const ReplaceKey&) const = default;
};

struct CreateView {
  Boxed<schema::View> view;
  bool operator==(const CreateView&) const = default;
};
struct DropView {
  Boxed<schema::View> view;
  bool operator==(const DropView&) const = default;
};

// pg_get_functiondef text is CREATE OR REPLACE already; `replace` says an older version exists.
struct CreateFunction {
  Boxed<schema::Function> function;
  bool replace = false;
  bool operator==(const CreateFunction&) const = default;
};
struct DropFunction {
  Boxed<schema::Function> function;
  bool operator==(const DropFunction&) const = default;
};

struct CreateTrigger {
  schema::Trigger trigger;
  bool operator==(const CreateTrigger&) const = default;
};
struct DropTrigger {
  schema::Trigger trigger;
  bool operator==(const DropTrigger&) const = default;
};
// ALTER TABLE ... ENABLE/DISABLE [REPLICA|ALWAYS] TRIGGER.
struct SetTriggerEnabled {
  schema::Trigger trigger;
  bool operator==(const SetTriggerEnabled&) const = default;
};

struct CreatePolicy {
  schema::Policy policy;
  bool operator==(const CreatePolicy&) const = default;
};
struct DropPolicy {
  schema::Policy policy;
  bool operator==(const DropPolicy&) const = default;
};
// Roles, USING and WITH CHECK (ALTER POLICY cannot change the command or remove an expression).
struct AlterPolicy {
  Boxed<schema::Policy> from;
  Boxed<schema::Policy> to;
  bool operator==(const AlterPolicy&) const = default;
};

struct CreateRule {
  schema::Rule rule;
  bool operator==(const CreateRule&) const = default;
};
struct DropRule {
  schema::Rule rule;
  bool operator==(const DropRule&) const = default;
};
// ALTER TABLE ... ENABLE/DISABLE [REPLICA|ALWAYS] RULE.
struct SetRuleEnabled {
  schema::Rule rule;
  bool operator==(const SetRuleEnabled&) const = default;
};

// PostgreSQL cannot alter a collation's definition: a changed one nothing uses is dropped and
// created again; one in use is swapped (SwapCollation).
struct CreateCollation {
  schema::Collation collation;
  bool operator==(const CreateCollation&) const = default;
};
struct DropCollation {
  schema::Collation collation;
  bool operator==(const DropCollation&) const = default;
};
// A table column that a swapped collation moves to the new one.
struct CollatedColumn {
  QualifiedName table;
  std::string column;
  std::string type;  // format_type, unchanged
  bool operator==(const CollatedColumn&) const = default;
};
// A collation whose definition changes while something uses it: the old one is renamed out
// of the way (ReplacedCollationName), the new one created under the name, and the table
// columns using it moved to it (ALTER COLUMN ... TYPE ... COLLATE, which rebuilds their
// indexes). Views, indexes and constraints that name it are dropped before and created again
// after by the plan; the old collation is dropped at the end (a DropCollation of the renamed
// one), once nothing uses it. Domains and composite types using it are refused (Unsupported).
struct SwapCollation {
  Boxed<schema::Collation> from;
  Boxed<schema::Collation> to;
  std::vector<CollatedColumn> uses;
  bool operator==(const SwapCollation&) const = default;
};

struct CreateOperator {
  Boxed<schema::Operator> op;
  bool operator==(const CreateOperator&) const = default;
};
struct DropOperator {
  Boxed<schema::Operator> op;
  bool operator==(const DropOperator&) const = default;
};
// ALTER OPERATOR ... SET (RESTRICT = ..., JOIN = ...): the only options PostgreSQL 15 lets
// change in place.
// Boxed, as ReplaceKey's: the largest alternatives would set every Change's size.
struct AlterOperator {
  Boxed<schema::Operator> from;
  Boxed<schema::Operator> to;
  bool operator==(const AlterOperator&) const = default;
};

// CREATE OPERATOR FAMILY, then its loose members (AlterOperatorFamily).
struct CreateOperatorFamily {
  schema::OperatorFamily family;
  bool operator==(const CreateOperatorFamily&) const = default;
};
struct DropOperatorFamily {
  schema::OperatorFamily family;
  bool operator==(const DropOperatorFamily&) const = default;
};
// ALTER OPERATOR FAMILY ... DROP / ADD loose members.
struct AlterOperatorFamily {
  Boxed<schema::OperatorFamily> family;
  std::vector<schema::OperatorFamilyMember> dropped;
  std::vector<schema::OperatorFamilyMember> added;
  bool operator==(const AlterOperatorFamily&) const = default;
};

struct CreateOperatorClass {
  schema::OperatorClass opclass;
  bool operator==(const CreateOperatorClass&) const = default;
};
struct DropOperatorClass {
  schema::OperatorClass opclass;
  bool operator==(const DropOperatorClass&) const = default;
};

// What a COMMENT ON names.
struct CommentTarget {
  enum class Kind {
    kSchema,
    kType,  // enums and composite types
    kDomain,
    kSequence,
    kTable,
    kView,
    kMaterializedView,
    kColumn,  // of a table, view or composite type: `name` is the relation
    kConstraint,
    kDomainConstraint,  // `name` is the domain
    kIndex,
    kFunction,
    kProcedure,
    kAggregate,
    kTrigger,
    kPolicy,
    kRule,
    kCollation,
    kOperator,        // `arguments`: "left, right" types
    kOperatorClass,   // `member`: the index method
    kOperatorFamily,  // `member`: the index method
  };
  Kind kind = Kind::kTable;
  QualifiedName name;     // the object, or the table for members; schemas: name.name
  std::string member;     // column, constraint, trigger, policy or rule name; index method
  std::string arguments;  // functions: identity arguments; operators: "left, right"
  bool operator==(const CommentTarget&) const = default;
};
struct SetComment {
  CommentTarget target;
  std::optional<std::string> comment;  // nullopt: COMMENT ... IS NULL
  bool operator==(const SetComment&) const = default;
};

// What a GRANT / REVOKE names: ON TABLE (tables and views, and their columns), SEQUENCE,
// FUNCTION, PROCEDURE, ROUTINE (aggregates) or SCHEMA.
enum class GrantObject { kTable, kSequence, kFunction, kProcedure, kRoutine, kSchema };

// GRANT / REVOKE privileges on one object (or one column of a table), one grantee at a time.
struct GrantPrivileges {
  QualifiedName relation;  // the object; a schema is {"", name}
  std::string grantee;
  std::vector<std::string> privileges;
  bool grantable = false;
  GrantObject object = GrantObject::kTable;
  std::string column{};     // column privileges: GRANT SELECT (column) ON TABLE ...
  std::string arguments{};  // functions: identity arguments
  bool operator==(const GrantPrivileges&) const = default;
};
struct RevokePrivileges {
  QualifiedName relation;
  std::string grantee;
  std::vector<std::string> privileges;
  GrantObject object = GrantObject::kTable;
  std::string column{};
  std::string arguments{};
  bool operator==(const RevokePrivileges&) const = default;
};

// ALTER TABLE/INDEX/SEQUENCE ... RENAME: a rename the author asked for, or one that follows
// it (diff::ApplyRenames). Diff never produces it: names are all a model has for identity.
struct Rename {
  enum class Kind { kTable, kColumn, kIndex, kConstraint, kSequence };
  Kind kind = Kind::kTable;
  QualifiedName object;  // the table (kTable, kColumn, kConstraint), index or sequence
  std::string member;    // kColumn, kConstraint: the column or constraint
  std::string new_name;
  bool asked = false;  // the author asked for it; false: a name that follows one the author asked
  bool operator==(const Rename&) const = default;
};

using Change = std::variant<
    CreateSchema, DropSchema, CreateExtension, DropExtension, AlterExtension, CreateEnum, DropEnum,
    AddEnumValue, SwapEnum, CreateDomain, DropDomain, AlterDomain, SwapDomain, CreateCompositeType,
    DropCompositeType, AlterCompositeType, CreateSequence, DropSequence, AlterSequence,
    SetSequenceOwner, CreateTable, DropTable, AddColumn, DropColumn, RecreateColumn,
    AlterColumnType, SetColumnDefault, DropColumnDefault, SetNotNull, DropNotNull, AddIdentity,
    DropIdentity, AlterIdentity, SetColumnStorage, SetColumnCompression, DropExpression,
    AttachPartition, DetachPartition, SetInherit, SetReplicaIdentity, SetLogged, SetStorageOptions,
    SetRowSecurity, SetForceRowSecurity, AddConstraint, DropConstraint, ValidateConstraint,
    CreateIndex, DropIndex, BackfillColumn, AttachIndex, ReplaceKey, CreateView, DropView,
    CreateFunction, DropFunction, CreateTrigger, DropTrigger, SetTriggerEnabled, CreatePolicy,
    DropPolicy, AlterPolicy, CreateRule, DropRule, SetRuleEnabled, CreateCollation, DropCollation,
    SwapCollation, CreateOperator, DropOperator, AlterOperator, CreateOperatorFamily,
    DropOperatorFamily, AlterOperatorFamily, CreateOperatorClass, DropOperatorClass, SetComment,
    GrantPrivileges, RevokePrivileges, Rename>;

// "USING btree (customer) WHERE ..." of "CREATE [UNIQUE] INDEX name ON [ONLY] table USING ...":
// what an index on a partition must share with its parent's to be attached to it.
std::string IndexShape(const std::string& definition);

// The changes that turn `from` into `to`, in a deterministic order (by kind, then identity).
// The plan orders them for execution and adds the drop/recreate of dependents.
std::vector<Change> Diff(const schema::Database& from, const schema::Database& to);

// Everything that creating one object from scratch takes: the object, then its comments,
// grants and enabled state. Used for new objects and for objects dropped and recreated around
// a change they depend on.
std::vector<Change> CreationChanges(const schema::View& view);
std::vector<Change> CreationChanges(const schema::Function& function);
std::vector<Change> CreationChanges(const schema::Trigger& trigger);
std::vector<Change> CreationChanges(const schema::Policy& policy);
std::vector<Change> CreationChanges(const schema::Index& index);
std::vector<Change> CreationChanges(const schema::Constraint& constraint);
std::vector<Change> CreationChanges(const schema::Rule& rule);

// Whether `type` (format_type text, as a column has it) names `name`, or an array of it.
// format_type qualifies a name only when its schema is not on the search path, so both
// `public.mood` and `mood` match public.mood.
bool TypeNames(const std::string& type, const QualifiedName& name, bool* array);

// Changes `Diff(from, to)` cannot express in SQL that PostgreSQL would accept, as messages for
// the user (empty when the migration can be generated): e.g. an enum swap where a composite
// type's attribute or a partition key uses the enum.
std::vector<std::string> Unsupported(const schema::Database& from, const schema::Database& to);

// The name a swapped collation has until it is dropped.
QualifiedName ReplacedCollationName(const QualifiedName& name);

// The definition without a trailing " NOT VALID" (constraints).
std::string WithoutNotValid(const std::string& definition);

}  // namespace retort::diff
