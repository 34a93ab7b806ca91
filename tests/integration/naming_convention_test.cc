// [naming_convention] on the desired schema: what schema/ leaves unnamed gets the names an
// Alembic team's MetaData(naming_convention=...) gives, explicit names are kept, long names are
// shortened exactly as SQLAlchemy shortens them (checked against SQLAlchemy itself), and a bad
// convention is bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "base/files.h"
#include "support/pg_harness.h"

namespace retort::testing {
namespace {

namespace fs = std::filesystem;

// The convention as a team pastes it from its SQLAlchemy MetaData.
constexpr char kSqlAlchemyConvention[] =
    "[naming_convention]\n"
    "ix = \"ix_%(column_0_label)s\"\n"
    "uq = \"uq_%(table_name)s_%(column_0_N_name)s\"\n"
    "ck = \"ck_%(table_name)s_%(constraint_name)s\"\n"
    "fk = \"fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s\"\n"
    "pk = \"pk_%(table_name)s\"\n";

class ConventionProject {
 public:
  ConventionProject(PgHarness* pg, const std::string& convention)
      : pg_(pg), db_(pg->CreateDatabase("naming")) {
    dir_.Write("retort.toml", "[database]\nurl = \"" + pg->Url(db_) +
                                  "\"\n\n[migrations]\nscript_location = \"migrations\"\n\n"
                                  "[schema]\npaths = [\"schema\"]\ndev_url = \"" +
                                  pg->Url("postgres") + "\"\n\n" + convention);
    fs::create_directories(dir_.path() + "/migrations/versions");
  }
  ~ConventionProject() {
    for (const auto& row : pg_->Query("postgres",
                                      "SELECT datname FROM pg_database WHERE datname LIKE "
                                      "'retort\\_tpl\\_%'")) {
      pg_->Query("postgres", "DROP DATABASE IF EXISTS " + row[0]);
    }
  }
  void Schema(const std::string& text) const { dir_.Write("schema/10_schema.sql", text); }
  CommandOutput Run(const std::vector<std::string>& args) const {
    return RunRetort(args, dir_.path());
  }
  // The written migration's text (the only file in versions/).
  std::string Migration() const {
    for (const auto& entry : fs::directory_iterator(dir_.path() + "/migrations/versions")) {
      auto text = ReadFile(entry.path().string());
      if (text.ok()) return *text;
    }
    return "";
  }
  std::vector<std::string> Names(const std::string& sql) const {
    std::vector<std::string> names;
    for (const auto& row : pg_->Query(db_, sql)) names.push_back(row[0]);
    return names;
  }
  std::vector<std::string> ConstraintNames() const {
    return Names(
        "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
        "WHERE n.nspname = 'public' AND c.conrelid <> 0 AND c.conname NOT LIKE 'retort%' ORDER BY "
        "1");
  }
  std::vector<std::string> IndexNames() const {
    return Names(
        "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE "
        "'retort%' ORDER BY 1");
  }

 private:
  PgHarness* pg_;
  std::string db_;
  TempDir dir_;
};

TEST(NamingConvention, AutogenerateNamesWhatTheSchemaLeavesUnnamed) {
  RETORT_REQUIRE_PG(pg);
  ConventionProject project(pg, kSqlAlchemyConvention);
  project.Schema(
      "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);\n"
      "CREATE TABLE documents (\n"
      "    id bigint PRIMARY KEY,\n"
      "    url text NOT NULL,\n"
      "    owner_id bigint REFERENCES users (id) ON DELETE CASCADE,\n"
      "    pages int CHECK (pages > 0),\n"
      "    CONSTRAINT keep_this_name UNIQUE (url, owner_id),\n"
      "    CONSTRAINT positive_id CHECK (id > 0)\n"
      ");\n"
      "CREATE INDEX ON documents (url);\n"
      "CREATE INDEX documents_by_owner ON documents (owner_id);\n");
  CommandOutput generated = project.Run({"revision", "--autogenerate", "-m", "initial"});
  ASSERT_EQ(generated.exit_code, 0) << Describe(generated);
  std::string written = project.Migration();
  for (const char* name :
       {"pk_users", "uq_users_email", "pk_documents", "fk_documents_owner_id_users",
        "ix_documents_url", "keep_this_name", "documents_by_owner", "positive_id"}) {
    EXPECT_NE(written.find(name), std::string::npos) << name << " missing from\n" << written;
  }

  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  // An unnamed CHECK keeps the server's name: "ck_%(table_name)s_%(constraint_name)s" needs a
  // name, and SQLAlchemy refuses it without one too.
  EXPECT_EQ(project.ConstraintNames(),
            (std::vector<std::string>{"documents_pages_check", "fk_documents_owner_id_users",
                                      "keep_this_name", "pk_documents", "pk_users", "positive_id",
                                      "uq_users_email"}));
  EXPECT_EQ(project.IndexNames(),
            (std::vector<std::string>{"documents_by_owner", "ix_documents_url", "keep_this_name",
                                      "pk_documents", "pk_users", "uq_users_email"}));
  CommandOutput check = project.Run({"check"});
  EXPECT_EQ(check.exit_code, 0) << Describe(check);
  CommandOutput down = project.Run({"downgrade", "base"});
  EXPECT_EQ(down.exit_code, 0) << Describe(down);
  EXPECT_TRUE(project.ConstraintNames().empty());
}

// The names SQLAlchemy itself gives, asked of SQLAlchemy (Debian's python3-sqlalchemy).
std::vector<std::string> SqlAlchemyNames() {
  TempDir dir;
  std::string script = dir.Write("names.py", R"py(
from sqlalchemy import MetaData, Table, Column, Integer, Text, UniqueConstraint, Index
from sqlalchemy.schema import CreateTable, CreateIndex
from sqlalchemy.dialects import postgresql
import re
convention = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_N_name)s",
              "pk": "pk_%(table_name)s"}
table = Table("a_table_with_a_rather_long_name_for_documents", MetaData(naming_convention=convention),
              Column("id", Integer, primary_key=True),
              Column("an_equally_long_column_name_for_urls", Text),
              Column("second_long_column", Text),
              UniqueConstraint("an_equally_long_column_name_for_urls", "second_long_column"))
index = Index(None, table.c.an_equally_long_column_name_for_urls)
dialect = postgresql.dialect()
ddl = str(CreateTable(table).compile(dialect=dialect)) + str(CreateIndex(index).compile(dialect=dialect))
for name in sorted(re.findall(r"CONSTRAINT (\w+)", ddl) + re.findall(r"CREATE INDEX (\w+)", ddl)):
    print(name)
)py");
  CommandOutput run = RunProgram({"/usr/bin/python3", script}, dir.path());
  if (run.exit_code != 0) {
    ADD_FAILURE() << "SQLAlchemy (python3-sqlalchemy) is needed to check the names: "
                  << Describe(run);
    return {};
  }
  std::vector<std::string> names;
  size_t start = 0;
  for (size_t end; (end = run.out.find('\n', start)) != std::string::npos; start = end + 1) {
    if (end > start) names.push_back(run.out.substr(start, end - start));
  }
  return names;
}

TEST(NamingConvention, LongNamesAreShortenedAsSqlAlchemyShortensThem) {
  RETORT_REQUIRE_PG(pg);
  ConventionProject project(
      pg,
      "[naming_convention]\nix = \"ix_%(column_0_label)s\"\n"
      "uq = \"uq_%(table_name)s_%(column_0_N_name)s\"\npk = \"pk_%(table_name)s\"\n");
  project.Schema(
      "CREATE TABLE a_table_with_a_rather_long_name_for_documents (\n"
      "    id int PRIMARY KEY,\n"
      "    an_equally_long_column_name_for_urls text,\n"
      "    second_long_column text,\n"
      "    UNIQUE (an_equally_long_column_name_for_urls, second_long_column)\n"
      ");\n"
      "CREATE INDEX ON a_table_with_a_rather_long_name_for_documents "
      "(an_equally_long_column_name_for_urls);\n");
  ASSERT_EQ(project.Run({"revision", "--autogenerate", "-m", "long"}).exit_code, 0);
  ASSERT_EQ(project.Run({"upgrade", "head"}).exit_code, 0);
  std::vector<std::string> expected = SqlAlchemyNames();
  ASSERT_EQ(expected.size(), 3u);
  EXPECT_EQ(project.IndexNames(), expected);
}

TEST(NamingConvention, AnUnknownTokenIsBadInputNamingTheLine) {
  RETORT_REQUIRE_PG(pg);
  ConventionProject project(pg,
                            "[naming_convention]\npk = \"pk_%(table_name)s\"\n"
                            "ix = \"ix_%(tabel_name)s\"\n");
  project.Schema("CREATE TABLE t (id int PRIMARY KEY);\n");
  CommandOutput generated = project.Run({"revision", "--autogenerate", "-m", "x"});
  EXPECT_EQ(generated.exit_code, 2) << Describe(generated);
  EXPECT_NE(generated.err.find("retort.toml:"), std::string::npos) << Describe(generated);
  EXPECT_NE(generated.err.find("tabel_name"), std::string::npos) << Describe(generated);
  EXPECT_EQ(project.Migration(), "");
}

TEST(NamingConvention, OneNameForTwoObjectsIsBadInput) {
  RETORT_REQUIRE_PG(pg);
  ConventionProject project(pg, "[naming_convention]\nuq = \"uq_%(table_name)s\"\n");
  project.Schema("CREATE TABLE t (id int PRIMARY KEY, a int UNIQUE, b int UNIQUE);\n");
  CommandOutput generated = project.Run({"revision", "--autogenerate", "-m", "x"});
  EXPECT_EQ(generated.exit_code, 2) << Describe(generated);
  EXPECT_NE(generated.err.find("'uq_t'"), std::string::npos) << Describe(generated);
  EXPECT_EQ(project.Migration(), "");
}

}  // namespace
}  // namespace retort::testing
