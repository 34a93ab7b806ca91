#include "sqltext/classify.h"

#include <gtest/gtest.h>

#include <string>

namespace retort::sqltext {
namespace {

struct Case {
  const char* sql;
  TransactionUse expected;
};

class ClassifyTest : public ::testing::TestWithParam<Case> {};

TEST_P(ClassifyTest, ReadsTheParseTree) {
  EXPECT_EQ(ClassifyTransactionUse(GetParam().sql), GetParam().expected) << GetParam().sql;
}

INSTANTIATE_TEST_SUITE_P(
    Statements, ClassifyTest,
    ::testing::Values(
        // Ordinary DDL and DML share a transaction with anything.
        Case{"CREATE TABLE t (a int)", TransactionUse::kAny},
        Case{"CREATE INDEX ix ON t (a)", TransactionUse::kAny},
        Case{"CREATE UNIQUE INDEX ix ON t (a) WHERE a > 0", TransactionUse::kAny},
        Case{"DROP INDEX ix", TransactionUse::kAny}, Case{"ANALYZE t", TransactionUse::kAny},
        Case{"CLUSTER t USING ix", TransactionUse::kAny},
        Case{"REINDEX TABLE t", TransactionUse::kAny},
        Case{"ALTER TABLE p DETACH PARTITION c", TransactionUse::kAny},
        Case{"ALTER DATABASE d SET work_mem = '8MB'", TransactionUse::kAny},
        Case{"ALTER TYPE e RENAME VALUE 'a' TO 'b'", TransactionUse::kAny},
        // Tell-tale words in identifiers, literals and function bodies do not mislead it.
        Case{"CREATE TABLE database (system text, value int DEFAULT 1, \"begin\" date)",
             TransactionUse::kAny},
        Case{"INSERT INTO t VALUES ('vacuum concurrently')", TransactionUse::kAny},
        Case{"CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$",
             TransactionUse::kAny},
        // Refused inside a transaction block.
        Case{"CREATE INDEX CONCURRENTLY ix ON t (a)", TransactionUse::kOutsideTransactionBlock},
        Case{"create unique index concurrently if not exists ix on t using gin (a)",
             TransactionUse::kOutsideTransactionBlock},
        Case{"DROP INDEX CONCURRENTLY IF EXISTS ix", TransactionUse::kOutsideTransactionBlock},
        Case{"REINDEX TABLE CONCURRENTLY t", TransactionUse::kOutsideTransactionBlock},
        Case{"REINDEX (VERBOSE, CONCURRENTLY) INDEX ix", TransactionUse::kOutsideTransactionBlock},
        Case{"REINDEX DATABASE app", TransactionUse::kOutsideTransactionBlock},
        Case{"REINDEX SCHEMA app", TransactionUse::kOutsideTransactionBlock},
        Case{"ALTER TABLE p DETACH PARTITION c CONCURRENTLY",
             TransactionUse::kOutsideTransactionBlock},
        Case{"VACUUM t", TransactionUse::kOutsideTransactionBlock},
        Case{"VACUUM (ANALYZE) t", TransactionUse::kOutsideTransactionBlock},
        Case{"CLUSTER", TransactionUse::kOutsideTransactionBlock},
        Case{"CREATE DATABASE app", TransactionUse::kOutsideTransactionBlock},
        Case{"DROP DATABASE IF EXISTS app", TransactionUse::kOutsideTransactionBlock},
        Case{"ALTER DATABASE app SET TABLESPACE fast", TransactionUse::kOutsideTransactionBlock},
        Case{"CREATE TABLESPACE fast LOCATION '/x'", TransactionUse::kOutsideTransactionBlock},
        Case{"ALTER SYSTEM SET work_mem = '8MB'", TransactionUse::kOutsideTransactionBlock},
        Case{"CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p",
             TransactionUse::kOutsideTransactionBlock},
        // Transaction control.
        Case{"BEGIN", TransactionUse::kControlsTransaction},
        Case{"START TRANSACTION ISOLATION LEVEL SERIALIZABLE",
             TransactionUse::kControlsTransaction},
        Case{"COMMIT", TransactionUse::kControlsTransaction},
        Case{"END", TransactionUse::kControlsTransaction},
        Case{"ROLLBACK", TransactionUse::kControlsTransaction},
        Case{"SAVEPOINT s", TransactionUse::kControlsTransaction},
        Case{"RELEASE SAVEPOINT s", TransactionUse::kControlsTransaction},
        Case{"PREPARE TRANSACTION 'x'", TransactionUse::kControlsTransaction},
        // New enum values are unusable until their transaction commits.
        Case{"ALTER TYPE e ADD VALUE 'c'", TransactionUse::kAddsEnumValue},
        Case{"ALTER TYPE e ADD VALUE IF NOT EXISTS 'c' AFTER 'b'", TransactionUse::kAddsEnumValue},
        // Text that does not parse is left to the server.
        Case{"CREATE INDEX CONCURRENTLY ON", TransactionUse::kAny}));

TEST(Classify, TheMostRestrictiveStatementWinsInATextOfSeveral) {
  EXPECT_EQ(ClassifyTransactionUse("ALTER TYPE e ADD VALUE 'c'; VACUUM t"),
            TransactionUse::kOutsideTransactionBlock);
  EXPECT_EQ(ClassifyTransactionUse("CREATE TABLE t (a int); ALTER TYPE e ADD VALUE 'c'"),
            TransactionUse::kAddsEnumValue);
  EXPECT_EQ(ClassifyTransactionUse("CREATE INDEX CONCURRENTLY i ON t (a); COMMIT"),
            TransactionUse::kControlsTransaction);
}

// The statements retort runs without lock_timeout: they wait for older transactions by design.
TEST(Classify, WaitsForOlderTransactionsOnlyForConcurrentlyStatements) {
  EXPECT_TRUE(WaitsForOlderTransactions("CREATE INDEX CONCURRENTLY ix ON t (a)"));
  EXPECT_TRUE(WaitsForOlderTransactions("DROP INDEX CONCURRENTLY ix"));
  EXPECT_TRUE(WaitsForOlderTransactions("REINDEX (CONCURRENTLY) INDEX ix"));
  EXPECT_TRUE(WaitsForOlderTransactions("ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY"));
  EXPECT_FALSE(WaitsForOlderTransactions("CREATE INDEX ix ON t (a)"));
  EXPECT_FALSE(WaitsForOlderTransactions("VACUUM FULL t"));
  EXPECT_FALSE(WaitsForOlderTransactions("ALTER TABLE p DETACH PARTITION p1"));
  EXPECT_FALSE(WaitsForOlderTransactions("COMMENT ON TABLE t IS 'concurrently'"));
}

// What a resumed `transaction none` migration runs again before its resume point.
TEST(Classify, ChangesSessionSettingForSessionLevelSetResetAndSetConfig) {
  EXPECT_TRUE(ChangesSessionSetting("SET check_function_bodies = off"));
  EXPECT_TRUE(ChangesSessionSetting("set search_path to app, public"));
  EXPECT_TRUE(ChangesSessionSetting("SET SESSION statement_timeout = '5s'"));
  EXPECT_TRUE(ChangesSessionSetting("SET ROLE app_owner"));
  EXPECT_TRUE(ChangesSessionSetting("SET TIME ZONE 'UTC'"));
  EXPECT_TRUE(ChangesSessionSetting("RESET search_path"));
  EXPECT_TRUE(ChangesSessionSetting("RESET ALL"));
  EXPECT_TRUE(ChangesSessionSetting("SELECT pg_catalog.set_config('search_path', '', false)"));
  EXPECT_TRUE(
      ChangesSessionSetting("SELECT set_config('a.b', 'x', false), set_config('a.c', 'y', false)"));
  // Gone with their transaction.
  EXPECT_FALSE(ChangesSessionSetting("SET LOCAL lock_timeout = '1s'"));
  EXPECT_FALSE(ChangesSessionSetting("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"));
  EXPECT_FALSE(ChangesSessionSetting("SET CONSTRAINTS ALL DEFERRED"));
  // More than a setting: running it again would do more.
  EXPECT_FALSE(ChangesSessionSetting("SELECT set_config('a.b', name, false) FROM t"));
  EXPECT_FALSE(ChangesSessionSetting("SELECT set_config('a.b', 'x', false), f()"));
  EXPECT_FALSE(ChangesSessionSetting("UPDATE t SET a = 1"));
  EXPECT_FALSE(ChangesSessionSetting("ALTER TABLE t ALTER COLUMN a SET NOT NULL"));
  EXPECT_FALSE(ChangesSessionSetting("ALTER DATABASE d SET search_path = app"));
}

TEST(Classify, CanRunInTransactionFollowsTheClassification) {
  EXPECT_TRUE(CanRunInTransaction("CREATE TABLE t (a int)"));
  EXPECT_TRUE(CanRunInTransaction("ALTER TYPE e ADD VALUE 'c'"));
  EXPECT_FALSE(CanRunInTransaction("CREATE INDEX CONCURRENTLY ix ON t (a)"));
  EXPECT_FALSE(CanRunInTransaction("COMMIT"));
}

}  // namespace
}  // namespace retort::sqltext
