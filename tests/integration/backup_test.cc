// Backups before destruction, end to end: what DROP COLUMN, DROP TABLE, TRUNCATE and DELETE
// without WHERE destroy is copied into retort_backup in the migration's transaction, listed by
// `retort backups list`, put back by `retort backups restore ID`, and dropped by
// `retort backups prune`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/pg_harness.h"

namespace retort::testing {
namespace {

using nlohmann::json;
using Rows = std::vector<std::vector<std::string>>;

class Project {
 public:
  explicit Project(PgHarness* pg, const std::string& extra_config = "")
      : pg_(pg), database_(pg->CreateDatabase("backup")) {
    dir_.Write("retort.toml", "[database]\nurl = \"" + pg_->Url(database_) +
                                  "\"\n\n[migrations]\nscript_location = \"migrations\"\n" +
                                  extra_config);
  }

  void Write(const std::string& id, const std::string& revises, const std::string& upgrade,
             const std::string& downgrade, bool transactional = true) const {
    dir_.Write("migrations/versions/" + id + ".sql",
               "-- retort:revision " + id + "\n-- retort:revises " + revises + "\n" +
                   (transactional ? "" : "-- retort:transaction none\n") + "\n-- retort:upgrade\n" +
                   upgrade + "\n\n-- retort:downgrade\n" + downgrade + "\n");
  }

  CommandOutput Run(const std::vector<std::string>& args) const {
    return RunRetort(args, dir_.path());
  }
  // Runs and expects exit 0.
  CommandOutput Ok(const std::vector<std::string>& args) const {
    CommandOutput output = Run(args);
    EXPECT_EQ(output.exit_code, 0) << Describe(output);
    return output;
  }
  json Backups() const {
    CommandOutput list = Run({"backups", "list", "--format", "json"});
    EXPECT_EQ(list.exit_code, 0) << Describe(list);
    json parsed = json::parse(list.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(parsed.is_array()) << list.out;
    return parsed.is_array() ? parsed : json::array();
  }
  Rows Query(const std::string& sql) const { return pg_->Query(database_, sql); }
  std::string Scalar(const std::string& sql) const { return pg_->Scalar(database_, sql); }

 private:
  PgHarness* pg_;
  std::string database_;
  TempDir dir_;
};

constexpr char kPeople[] =
    "CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL, email text);\n"
    "INSERT INTO people SELECT g, 'name ' || g, 'user' || g || '@example.org' "
    "FROM generate_series(1, 200) g;\n"
    "UPDATE people SET email = NULL WHERE id = 7;";

constexpr char kEmailsIntact[] =
    "SELECT count(*) FROM people WHERE email IS NOT DISTINCT FROM "
    "CASE WHEN id = 7 THEN NULL ELSE 'user' || id || '@example.org' END";

TEST(Backups, DroppedColumnComesBackAfterDowngradeAndRestore) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none", kPeople, "DROP TABLE people;");
  project.Write("r2", "r1", "ALTER TABLE people DROP COLUMN email;",
                "ALTER TABLE people ADD COLUMN email text;");
  project.Ok({"upgrade", "head"});

  json backups = project.Backups();
  ASSERT_EQ(backups.size(), 1u) << backups.dump(2);
  const json& backup = backups[0];
  EXPECT_EQ(backup["revision"], "r2");
  EXPECT_EQ(backup["direction"], "up");
  EXPECT_EQ(backup["kind"], "column");
  EXPECT_EQ(backup["schema"], "public");
  EXPECT_EQ(backup["table"], "people");
  EXPECT_EQ(backup["column"], "email");
  EXPECT_EQ(backup["key_columns"], json::array({"id"}));
  EXPECT_EQ(backup["rows"], 200);
  EXPECT_EQ(backup["backup_table"], "r2_people_email");
  EXPECT_TRUE(backup["restored_at"].is_null());
  // The primary key and the column, nothing else.
  EXPECT_EQ(project.Query("SELECT column_name FROM information_schema.columns WHERE "
                          "table_schema = 'retort_backup' AND table_name = 'r2_people_email' "
                          "ORDER BY ordinal_position"),
            (Rows{{"id"}, {"email"}}));

  project.Ok({"downgrade", "r1"});
  EXPECT_EQ(project.Scalar("SELECT count(email) FROM people"), "0");

  CommandOutput text_list = project.Ok({"backups", "list"});
  EXPECT_NE(text_list.out.find("column public.people.email  200 rows  -> r2_people_email"),
            std::string::npos)
      << text_list.out;

  CommandOutput restored =
      project.Ok({"backups", "restore", std::to_string(backup["id"].get<long>())});
  EXPECT_NE(restored.out.find("restored 200 of 200 values of public.people.email"),
            std::string::npos)
      << restored.out;
  EXPECT_EQ(project.Scalar(kEmailsIntact), "200");
  EXPECT_FALSE(project.Backups()[0]["restored_at"].is_null());

  // Upgrading again takes a second backup beside the first.
  project.Ok({"upgrade", "head"});
  json after = project.Backups();
  ASSERT_EQ(after.size(), 2u) << after.dump(2);
  EXPECT_NE(after[0]["backup_table"], after[1]["backup_table"]);
  EXPECT_EQ(after[0]["rows"], 200);
}

// A backup must not depend on anything (a later DROP TYPE would fail): columns of user-defined
// types are kept as text and cast back on restore.
TEST(Backups, ColumnsOfUserDefinedTypesDoNotTieTheBackupToTheType) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none",
                "CREATE TYPE mood AS ENUM ('ok', 'great');\n"
                "CREATE TABLE people (id int PRIMARY KEY, m mood NOT NULL DEFAULT 'ok');\n"
                "INSERT INTO people SELECT g, CASE WHEN g % 3 = 0 THEN 'great' ELSE 'ok' END::mood "
                "FROM generate_series(1, 30) g;",
                "DROP TABLE people;\nDROP TYPE mood;");
  project.Write("r2", "r1", "ALTER TABLE people DROP COLUMN m;\nDROP TYPE mood;",
                "CREATE TYPE mood AS ENUM ('ok', 'great');\n"
                "ALTER TABLE people ADD COLUMN m mood;");
  project.Ok({"upgrade", "head"});
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_type WHERE typname = 'mood'"), "0");

  project.Ok({"downgrade", "r1"});
  project.Ok({"backups", "restore", "1"});
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM people WHERE m = CASE WHEN id % 3 = 0 THEN "
                           "'great' ELSE 'ok' END::mood"),
            "30");
}

TEST(Backups, RestoreRefusesWhileTheColumnIsStillGone) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none", kPeople, "DROP TABLE people;");
  project.Write("r2", "r1", "ALTER TABLE people DROP COLUMN email;",
                "ALTER TABLE people ADD COLUMN email text;");
  project.Ok({"upgrade", "head"});

  CommandOutput refused = project.Run({"backups", "restore", "1"});
  EXPECT_EQ(refused.exit_code, 1) << Describe(refused);
  EXPECT_NE(refused.err.find("column public.people.email does not exist"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("downgrade"), std::string::npos) << refused.err;
  CommandOutput unknown = project.Run({"backups", "restore", "99"});
  EXPECT_EQ(unknown.exit_code, 2) << Describe(unknown);
  EXPECT_NE(unknown.err.find("no backup with id 99"), std::string::npos) << unknown.err;
}

TEST(Backups, DroppedTableIsRestoredIntoTheRecreatedTable) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  constexpr char kCreateOrders[] =
      "CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL, qty int NOT NULL);";
  project.Write("r1", "none",
                std::string(kCreateOrders) +
                    "\nINSERT INTO orders (item, qty) SELECT 'item ' || g, g FROM "
                    "generate_series(1, 50) g;",
                "DROP TABLE orders;");
  project.Write("r2", "r1", "DROP TABLE orders;", kCreateOrders);
  project.Ok({"upgrade", "head"});
  json backups = project.Backups();
  ASSERT_EQ(backups.size(), 1u);
  EXPECT_EQ(backups[0]["kind"], "table");
  EXPECT_EQ(backups[0]["rows"], 50);
  EXPECT_EQ(backups[0]["backup_table"], "r2_orders");

  project.Ok({"downgrade", "r1"});
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM orders"), "0");
  CommandOutput restored = project.Ok({"backups", "restore", "1"});
  EXPECT_NE(restored.out.find("restored 50 of 50 rows into public.orders"), std::string::npos)
      << restored.out;
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM orders WHERE item = 'item ' || qty AND id = qty"),
            "50");
  // The serial sequence moved past the restored ids: a new row gets id 51.
  EXPECT_EQ(project.Scalar("INSERT INTO orders (item, qty) VALUES ('new', 0) RETURNING id"), "51");
  // Restoring again inserts nothing twice.
  CommandOutput again = project.Ok({"backups", "restore", "1"});
  EXPECT_NE(again.out.find("restored 0 of 50 rows"), std::string::npos) << again.out;
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM orders"), "51");
}

TEST(Backups, TruncateAndDeleteWithoutWhereAreBackedUpButADeleteWithWhereIsNot) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none",
                "CREATE TABLE events (id int PRIMARY KEY, kind text);\n"
                "CREATE TABLE sessions (id int PRIMARY KEY, user_id int);\n"
                "CREATE TABLE logs (id int PRIMARY KEY);\n"
                "INSERT INTO events SELECT g, 'k' || g FROM generate_series(1, 30) g;\n"
                "INSERT INTO sessions SELECT g, g * 10 FROM generate_series(1, 20) g;\n"
                "INSERT INTO logs SELECT g FROM generate_series(1, 10) g;",
                "DROP TABLE events, sessions, logs;");
  project.Write("r2", "r1",
                "TRUNCATE events;\nDELETE FROM sessions;\nDELETE FROM logs WHERE id > 5;", "");
  project.Ok({"upgrade", "head"});

  json backups = project.Backups();
  ASSERT_EQ(backups.size(), 2u) << backups.dump(2);
  // Newest first.
  EXPECT_EQ(backups[0]["kind"], "delete");
  EXPECT_EQ(backups[0]["table"], "sessions");
  EXPECT_EQ(backups[0]["rows"], 20);
  EXPECT_EQ(backups[1]["kind"], "truncate");
  EXPECT_EQ(backups[1]["table"], "events");
  EXPECT_EQ(backups[1]["rows"], 30);

  project.Ok({"backups", "restore", std::to_string(backups[0]["id"].get<long>())});
  project.Ok({"backups", "restore", std::to_string(backups[1]["id"].get<long>())});
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM events WHERE kind = 'k' || id"), "30");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM sessions WHERE user_id = id * 10"), "20");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM logs"), "5");
}

TEST(Backups, NoBackupFlagAndModeOffTakeNone) {
  RETORT_REQUIRE_PG(pg);
  {
    Project project(pg);
    project.Write("r1", "none", kPeople, "DROP TABLE people;");
    project.Write("r2", "r1", "ALTER TABLE people DROP COLUMN email;",
                  "ALTER TABLE people ADD COLUMN email text;");
    project.Ok({"upgrade", "head", "--no-backup"});
    EXPECT_EQ(project.Backups().size(), 0u);
    EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'retort_backup'"),
              "0");
    CommandOutput list = project.Ok({"backups", "list"});
    EXPECT_EQ(list.out, "no backups\n");
    CommandOutput script = project.Ok({"downgrade", "r2:r1", "--sql", "--no-backup"});
    EXPECT_EQ(script.out.find("retort_backup"), std::string::npos) << script.out;
  }
  {
    Project project(pg, "\n[backup]\nmode = \"off\"\n");
    project.Write("r1", "none", kPeople, "DROP TABLE people;");
    project.Write("r2", "r1", "DROP TABLE people;", "");
    project.Ok({"upgrade", "head"});
    EXPECT_EQ(project.Backups().size(), 0u);
  }
}

TEST(Backups, ARolledBackMigrationLeavesNoBackup) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none", kPeople, "DROP TABLE people;");
  project.Write("r2", "r1", "ALTER TABLE people DROP COLUMN email;\nSELECT 1 / 0;", "");
  project.Ok({"upgrade", "r1"});
  CommandOutput failed = project.Run({"upgrade", "head"});
  EXPECT_EQ(failed.exit_code, 1) << Describe(failed);
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'retort_backup'"),
            "0");
  EXPECT_EQ(project.Scalar(kEmailsIntact), "200");
}

TEST(Backups, OutsideATransactionTheBackupCommitsBeforeTheStatement) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg, "\n[backup]\nschema = \"kept\"\n");
  project.Write("r1", "none", kPeople, "DROP TABLE people;");
  project.Write("r2", "r1", "DROP TABLE people;\nSELECT 1 / 0;", "", /*transactional=*/false);
  project.Ok({"upgrade", "r1"});
  CommandOutput failed = project.Run({"upgrade", "head"});
  EXPECT_EQ(failed.exit_code, 1) << Describe(failed);
  json backups = project.Backups();
  ASSERT_EQ(backups.size(), 1u);
  EXPECT_EQ(backups[0]["rows"], 200);
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM kept.r2_people"), "200");
}

TEST(Backups, PruneDropsBackupsOlderThanTheInterval) {
  RETORT_REQUIRE_PG(pg);
  Project project(pg);
  project.Write("r1", "none", kPeople, "DROP TABLE people;");
  project.Write("r2", "r1", "ALTER TABLE people DROP COLUMN email;",
                "ALTER TABLE people ADD COLUMN email text;");
  project.Write("r3", "r2", "DELETE FROM people;", "");
  project.Ok({"upgrade", "head"});
  ASSERT_EQ(project.Backups().size(), 2u);
  // The column backup is made 40 days old.
  project.Scalar(
      "UPDATE retort_backup.backups SET created_at = now() - interval '40 days' "
      "WHERE kind = 'column' RETURNING id");

  CommandOutput bad = project.Run({"backups", "prune", "--older-than", "forty days"});
  EXPECT_EQ(bad.exit_code, 2) << Describe(bad);
  CommandOutput pruned = project.Ok({"backups", "prune", "--older-than", "30d"});
  EXPECT_EQ(pruned.out, "pruned 1 backup older than 30d\n");

  json left = project.Backups();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0]["kind"], "delete");
  EXPECT_EQ(project.Scalar("SELECT to_regclass('retort_backup.r2_people_email') IS NULL"), "t");
  EXPECT_EQ(project.Scalar("SELECT count(*) FROM retort_backup.r3_people"), "200");
  CommandOutput none = project.Run({"backups", "prune", "--older-than", "30d", "--format", "json"});
  EXPECT_EQ(json::parse(none.out).size(), 0u) << none.out;
}

}  // namespace
}  // namespace retort::testing
