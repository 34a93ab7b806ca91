// Pure pieces behind `retort import alembic` and `[schema] program`: editing retort.toml in
// place, the needs-manual-conversion directive, the new [schema] keys, and running a program.
#include <gtest/gtest.h>

#include "base/process.h"
#include "config/config.h"
#include "migrations/migration.h"

namespace retort {
namespace {

TEST(SetTomlKey, ReplacesTheLiveSettingAndKeepsComments) {
  std::string text =
      "[migrations]\n# which table\nversion_table = \"retort_version\"  \n\n[schema]\n"
      "paths = [\"schema\"]\n";
  EXPECT_EQ(config::SetTomlKey(text, "migrations", "version_table", "\"alembic_version\""),
            "[migrations]\n# which table\nversion_table = \"alembic_version\"\n\n[schema]\n"
            "paths = [\"schema\"]\n");
}

TEST(SetTomlKey, UncommentsACommentedOutKeyOrAddsItToTheSection) {
  EXPECT_EQ(config::SetTomlKey("[migrations]\n# version_table = \"x\"\n", "migrations",
                               "version_table", "\"a\""),
            "[migrations]\nversion_table = \"a\"\n");
  EXPECT_EQ(config::SetTomlKey("[migrations]\nlock_timeout = \"5s\"\n\n[backup]\nmode = \"on\"\n",
                               "migrations", "version_table", "\"a\""),
            "[migrations]\nlock_timeout = \"5s\"\nversion_table = \"a\"\n\n[backup]\nmode = "
            "\"on\"\n");
  // version_table_schema is another key, not a match for version_table.
  EXPECT_EQ(config::SetTomlKey("[migrations]\nversion_table_schema = \"s\"\n", "migrations",
                               "version_table", "\"a\""),
            "[migrations]\nversion_table_schema = \"s\"\nversion_table = \"a\"\n");
}

TEST(SetTomlKey, AppendsAMissingSection) {
  EXPECT_EQ(config::SetTomlKey("[database]\nurl = \"x\"\n", "migrations", "version_table", "\"a\""),
            "[database]\nurl = \"x\"\n\n[migrations]\nversion_table = \"a\"\n");
  auto parsed = config::ParseConfig(config::SetTomlKey(config::DefaultConfigToml(), "migrations",
                                                       "version_table", "\"alembic_version\""),
                                    "retort.toml");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->version_table, "alembic_version");
}

TEST(SchemaProgramConfig, KeysAreParsedAndChecked) {
  auto parsed = config::ParseConfig(
      "[schema]\nprogram = [\"python3\", \"-m\", \"app.dump\"]\nprogram_timeout = \"30s\"\n",
      "retort.toml");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->schema_program, (std::vector<std::string>{"python3", "-m", "app.dump"}));
  EXPECT_EQ(parsed->schema_program_timeout, "30s");
  auto sqlalchemy = config::ParseConfig(
      "[schema]\nsqlalchemy = \"app.models:Base\"\npython = \"/usr/bin/python3\"\n", "r.toml");
  ASSERT_TRUE(sqlalchemy.ok()) << sqlalchemy.status().message();
  EXPECT_EQ(sqlalchemy->schema_sqlalchemy, "app.models:Base");
  auto bad = config::ParseConfig("[schema]\nsqlalchemy = \"app.models\"\n", "r.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("r.toml:2:"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("module:attribute"), std::string::npos);
}

TEST(NeedsManualConversion, IsKeptWithItsLine) {
  auto parsed = migrations::ParseMigration(
      "-- retort:revision b2\n-- retort:revises a1\n"
      "-- retort:needs-manual-conversion reads rows (x.py:21)\n\n-- retort:upgrade\n"
      "-- python: op.get_bind()\n\n-- retort:downgrade\n",
      "v/b2.sql");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->needs_manual_conversion, "reads rows (x.py:21)");
  EXPECT_EQ(parsed->needs_manual_conversion_line, 3);
  EXPECT_TRUE(parsed->upgrade.empty());
}

TEST(NeedsManualConversion, NeedsAReason) {
  auto parsed = migrations::ParseMigration(
      "-- retort:revision b2\n-- retort:needs-manual-conversion\n-- retort:upgrade\n", "b2.sql");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("b2.sql:2:"), std::string::npos)
      << parsed.status().message();
}

TEST(RunProcess, SeparatesOutputsAndReportsHowItEnded) {
  auto ran = RunProcess({"/bin/sh", "-c", "echo out; echo err >&2; exit 4"});
  ASSERT_TRUE(ran.ok()) << ran.status().message();
  EXPECT_EQ(ran->out, "out\n");
  EXPECT_EQ(ran->err, "err\n");
  EXPECT_EQ(ran->exit_code, 4);
  EXPECT_EQ(DescribeEnd(*ran, 0), "exit 4");

  ProcessOptions options;
  options.timeout_ms = 200;
  auto slow = RunProcess({"/bin/sh", "-c", "sleep 20 & wait"}, options);
  ASSERT_TRUE(slow.ok());
  EXPECT_TRUE(slow->timed_out);
  EXPECT_NE(DescribeEnd(*slow, options.timeout_ms).find("timed out"), std::string::npos);

  auto missing = RunProcess({"/nonexistent/program"});
  EXPECT_FALSE(missing.ok());
}

}  // namespace
}  // namespace retort
