// What a statement needs from the transaction it runs in, read from PostgreSQL's parse tree
// (libpg_query), never guessed from keywords alone.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort::sqltext {

enum class TransactionUse {
  // Runs anywhere, also together with other statements in one transaction (most DDL and DML).
  kAny,
  // Refuses a transaction block: CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX
  // CONCURRENTLY / DATABASE / SYSTEM, ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY, VACUUM,
  // CLUSTER without a table, CREATE/DROP DATABASE, ALTER DATABASE ... SET TABLESPACE,
  // CREATE/DROP TABLESPACE, ALTER SYSTEM, CREATE/ALTER/DROP SUBSCRIPTION.
  kOutsideTransactionBlock,
  // BEGIN, COMMIT, ROLLBACK, SAVEPOINT, PREPARE TRANSACTION, ...: it changes the transaction
  // itself, so it cannot be wrapped in one.
  kControlsTransaction,
  // ALTER TYPE ... ADD VALUE: allowed in a transaction, but the new value cannot be used until
  // that transaction commits, so later statements that use it must run after a commit.
  kAddsEnumValue,
};

// Classifies one statement (as sqltext::SplitStatements returns it). Text that does not parse is
// kAny: whoever runs it gets the server's syntax error anyway.
TransactionUse ClassifyTransactionUse(std::string_view statement);

// False for kOutsideTransactionBlock and kControlsTransaction.
bool CanRunInTransaction(std::string_view statement);

// A relation as a statement names it; `schema` is empty when the name is unqualified (the
// search_path decides).
struct RelationName {
  std::string schema;
  std::string name;
  // "s.t" / "t", each part quoted only when needed: text for to_regclass() and for messages.
  std::string Qualified() const;
};

// The label `ALTER TYPE ... ADD VALUE 'label'` adds; nullopt for any other statement.
std::optional<std::string> AddedEnumValue(std::string_view statement);

// CREATE [UNIQUE] INDEX CONCURRENTLY with an explicit name: the index and its table (the index
// lives in the table's schema). nullopt for other statements and for unnamed indexes.
struct ConcurrentIndex {
  std::string index;
  RelationName table;
  bool if_not_exists = false;
};
std::optional<ConcurrentIndex> ConcurrentlyBuiltIndex(std::string_view statement);

// The indexes DROP INDEX CONCURRENTLY drops (as named: unqualified names follow the
// search_path); empty for other statements.
std::vector<RelationName> ConcurrentlyDroppedIndexes(std::string_view statement);

// COPY ... FROM STDIN: the rows follow the statement in the file as COPY data, not SQL, and
// only a client that streams them (psql) can send them.
bool CopiesFromStdin(std::string_view statement);

// CREATE / DROP / REINDEX ... CONCURRENTLY and ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY:
// statements that take only SHARE UPDATE EXCLUSIVE (never in the way of reads and writes) and
// then wait, by design, for every transaction older than them to end.
bool WaitsForOlderTransactions(std::string_view statement);

// SET / RESET (not SET LOCAL, SET TRANSACTION or SET CONSTRAINTS, which end with their
// transaction) and a SELECT of nothing but set_config(...) calls: statements whose effect is a
// session setting. A resumed `transaction none` migration runs them again (a new session has
// none of the settings the failed run's statements made).
bool ChangesSessionSetting(std::string_view statement);

// Data a statement destroys, read from the parse tree: DROP TABLE, ALTER TABLE ... DROP COLUMN,
// TRUNCATE, and DELETE without WHERE. One entry per table (or column) the statement names.
enum class Destruction { kDropTable, kDropColumn, kTruncate, kDeleteAll };
struct DestroyedData {
  Destruction kind = Destruction::kDropTable;
  RelationName table;
  std::string column;      // kDropColumn only
  bool only = false;       // `ONLY t`: the table's own rows, without its children's
  bool if_exists = false;  // IF EXISTS: a missing object is no error
};
std::vector<DestroyedData> FindDestroyedData(std::string_view statement);

// The table an UPDATE or DELETE writes to (the one a keyed batch walks when its key names no
// table); nullopt for other statements and for text that does not parse.
std::optional<RelationName> ModifiedTable(std::string_view statement);

// A constraint or index a statement creates (CREATE TABLE's column and table constraints,
// ALTER TABLE ... ADD CONSTRAINT / ADD COLUMN, CREATE INDEX), as written: what a naming
// convention is applied to and checked against.
struct CreatedConstraint {
  enum class Kind { kPrimaryKey, kUnique, kCheck, kForeignKey, kExclusion, kIndex };
  Kind kind = Kind::kIndex;
  RelationName table;
  std::string name;                  // "" when the statement leaves it unnamed
  std::vector<std::string> columns;  // key columns in order ("" for an expression); for a CHECK,
                                     // the columns its expression names
  RelationName referred_table;       // foreign keys
  std::vector<std::string> referred_columns;
};
std::vector<CreatedConstraint> ConstraintsCreated(std::string_view statement);

}  // namespace retort::sqltext
