// Switching from Alembic: `retort import alembic` on Alembic projects (tests/alembic/ and one
// made by `alembic init -t async`), the takeover of databases Alembic upgraded online, and the
// desired schema taken from a program or from SQLAlchemy models. Everything runs Debian's
// python3-alembic / python3-sqlalchemy through /usr/bin/python3 (the pyenv python3 on PATH here
// has neither); without them the tests skip locally and fail under CI=true.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/pg_harness.h"

namespace retort {
namespace {

namespace fs = std::filesystem;
using ::retort::testing::CommandOutput;
using ::retort::testing::Describe;
using ::retort::testing::InCi;
using ::retort::testing::PgHarness;
using ::retort::testing::RunProgram;
using ::retort::testing::RunRetort;
using ::retort::testing::TempDir;

using Env = std::map<std::string, std::string>;
using Strings = std::vector<std::string>;

constexpr char kPython[] = "/usr/bin/python3";

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void WriteText(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

bool Contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// Why Debian's Alembic stack is unusable, or "" when it is there.
std::string MissingPythonStack() {
  CommandOutput probe = RunProgram({kPython, "-c", "import alembic, sqlalchemy, asyncpg, psycopg2"},
                                   fs::temp_directory_path());
  if (probe.exit_code == 0) return "";
  return std::string(kPython) +
         " cannot import alembic, sqlalchemy, asyncpg and psycopg2 (apt-get install "
         "python3-alembic python3-sqlalchemy python3-asyncpg python3-psycopg2): " +
         probe.err;
}

#define REQUIRE_PYTHON_STACK()                  \
  do {                                          \
    std::string missing = MissingPythonStack(); \
    if (!missing.empty()) {                     \
      if (InCi()) FAIL() << missing;            \
      GTEST_SKIP() << missing;                  \
    }                                           \
  } while (false)

// The migration file of `revision` in `versions`, "" when there is none.
std::string FileOf(const std::string& versions, const std::string& revision) {
  for (const auto& entry : fs::directory_iterator(versions)) {
    if (entry.path().extension() == ".sql" && Contains(entry.path().filename(), revision)) {
      return entry.path().string();
    }
  }
  return "";
}

std::string HeaderValue(const std::string& text, const std::string& name) {
  std::regex pattern("^--\\s*retort:" + name + "[ \\t]+(.*?)\\s*$");
  std::istringstream lines(text);
  std::string line;
  std::smatch match;
  while (std::getline(lines, line)) {
    if (std::regex_match(line, match, pattern)) return match[1];
  }
  return "";
}

// A copy of an Alembic project, made a retort project too (`retort init` beside alembic.ini;
// retort's .sql files and Alembic's .py files share migrations/versions, each tool reading its
// own), with the harness server as the dev server.
class AlembicProject {
 public:
  AlembicProject(PgHarness* pg, const std::string& fixture) : pg_(pg) {
    if (!fixture.empty()) {
      fs::copy(std::string(RETORT_SOURCE_DIR) + "/tests/alembic/" + fixture, dir_.path(),
               fs::copy_options::recursive);
    }
  }

  // `retort init` plus the dev server; call once the Alembic side is in place.
  void InitRetort() {
    CommandOutput init = RunRetort({"init"}, dir_.path());
    ASSERT_EQ(init.exit_code, 0) << Describe(init);
    std::string toml = ReadText(Path("retort.toml"));
    toml = std::regex_replace(toml, std::regex("dev_url = \"embedded\""),
                              "dev_url = \"" + pg_->Url("postgres") + "\"");
    WriteText(Path("retort.toml"), toml);
    // The history is what these tests check; the empty schema/ of `init` would be compared too.
    fs::remove_all(Path("schema"));
  }

  std::string Path(const std::string& relative) const { return dir_.path() + "/" + relative; }
  std::string Versions() const { return Path("migrations/versions"); }

  // A SQLAlchemy URL for `db` with the given driver.
  std::string SqlAlchemyUrl(const std::string& db, const std::string& driver) const {
    return "postgresql+" + driver + "://" + pg_->superuser() +
           "@127.0.0.1:" + std::to_string(pg_->port()) + "/" + db;
  }

  CommandOutput Alembic(const Strings& args, const std::string& db,
                        const std::string& driver = "psycopg2") const {
    Strings argv = {kPython, "-m", "alembic"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProgram(argv, dir_.path(), {{"DATABASE_URL", SqlAlchemyUrl(db, driver)}});
  }
  CommandOutput Retort(Strings args, const std::string& db = "") const {
    if (!db.empty()) {
      args.push_back("--url");
      args.push_back(pg_->Url(db));
    }
    return RunRetort(args, dir_.path());
  }
  CommandOutput Import() const {
    return Retort({"import", "alembic", "--config", "alembic.ini", "--python", kPython});
  }
  // The schema as retort reads it (version and history tables left out).
  std::string Inspect(const std::string& db) const {
    CommandOutput out = Retort({"inspect"}, db);
    EXPECT_EQ(out.exit_code, 0) << Describe(out);
    return out.out;
  }
  Strings Rows(const std::string& db) const {
    Strings rows;
    for (const auto& row : pg_->Query(db, "SELECT version_num FROM alembic_version ORDER BY 1")) {
      rows.push_back(row[0]);
    }
    return rows;
  }

 private:
  PgHarness* pg_;
  TempDir dir_;
};

// ---------------------------------------------------------------------------------------------
// tests/alembic/shop: a branch with a label and its merge, depends_on, an enum, a naming
// convention, an autocommit block, and two heads at the end.

TEST(ImportAlembic, ShopHistoryKeepsTheGraphAndTheSql) {
  REQUIRE_PYTHON_STACK();
  RETORT_REQUIRE_PG(pg);
  AlembicProject project(pg, "shop");
  project.InitRetort();

  CommandOutput imported = project.Import();
  ASSERT_EQ(imported.exit_code, 0) << Describe(imported);
  EXPECT_TRUE(Contains(imported.err, "2 heads (6f0000000006, 7a0000000007)")) << imported.err;

  std::string versions = project.Versions();
  std::string root = ReadText(FileOf(versions, "1a0000000001"));
  EXPECT_EQ(HeaderValue(root, "revises"), "none");
  EXPECT_EQ(HeaderValue(root, "message"), "orders and their status");
  EXPECT_EQ(HeaderValue(root, "created"), "2024-03-01 09:30:00+00");
  EXPECT_TRUE(Contains(root, "CREATE TYPE order_status AS ENUM ('new', 'paid');"));
  // Names from env.py's naming convention, as Alembic renders them.
  EXPECT_TRUE(Contains(root, "CONSTRAINT uq_orders_code UNIQUE (code)"));
  EXPECT_TRUE(Contains(root, "CONSTRAINT ck_orders_total_positive CHECK"));
  EXPECT_FALSE(Contains(root, "alembic_version"));
  EXPECT_FALSE(Contains(root, "BEGIN;"));
  EXPECT_FALSE(Contains(root, "COMMIT;"));
  EXPECT_TRUE(Contains(root, "DROP TYPE order_status;")) << "enum.drop(op.get_bind()) renders";
  EXPECT_TRUE(fs::path(FileOf(versions, "1a0000000001"))
                  .filename()
                  .string()
                  .starts_with("20240301_0930-1a0000000001_orders_and_their_status"));

  std::string billing = ReadText(FileOf(versions, "2b0000000002"));
  EXPECT_EQ(HeaderValue(billing, "branch-labels"), "billing");
  // The label is declared once; Alembic's API also reports it on the branch's descendants.
  EXPECT_EQ(HeaderValue(ReadText(FileOf(versions, "4d0000000004")), "branch-labels"), "");
  EXPECT_EQ(HeaderValue(ReadText(FileOf(versions, "4d0000000004")), "revises"),
            "2b0000000002, 3c0000000003");
  EXPECT_EQ(HeaderValue(ReadText(FileOf(versions, "6f0000000006")), "depends-on"), "2b0000000002");
  std::string autocommit = ReadText(FileOf(versions, "5e0000000005"));
  EXPECT_EQ(HeaderValue(autocommit, "transaction"), "none");
  EXPECT_TRUE(Contains(autocommit, "CREATE INDEX CONCURRENTLY ix_orders_created_at"));
  // Its downgrade runs only partly in the block: all of it goes outside a transaction, said so.
  EXPECT_TRUE(
      Contains(autocommit, "Only part of this revision ran in Alembic's autocommit_block()"))
      << autocommit;
  EXPECT_TRUE(Contains(autocommit, "DROP TYPE order_status_old;")) << autocommit;

  std::string toml = ReadText(project.Path("retort.toml"));
  EXPECT_TRUE(Contains(toml, "version_table = \"alembic_version\"")) << toml;
  EXPECT_TRUE(fs::exists(project.Path("migrations/retort.sum")));
  CommandOutput validate = project.Retort({"validate"});
  EXPECT_EQ(validate.exit_code, 0) << Describe(validate);

  // Importing again needs --force, which replaces the imported files only.
  CommandOutput again = project.Import();
  EXPECT_EQ(again.exit_code, 2) << Describe(again);
  EXPECT_TRUE(Contains(again.err, "--force")) << again.err;
  CommandOutput forced = project.Retort(
      {"import", "alembic", "--config", "alembic.ini", "--python", kPython, "--force"});
  EXPECT_EQ(forced.exit_code, 0) << Describe(forced);

  // retort test wants one head: a retort merge revision joins Alembic's two.
  CommandOutput two_heads = project.Retort({"test"});
  EXPECT_EQ(two_heads.exit_code, 1) << Describe(two_heads);
  EXPECT_TRUE(Contains(two_heads.out, "2 heads: 6f0000000006, 7a0000000007")) << two_heads.out;
  CommandOutput merged = project.Retort({"merge", "-m", "merge heads", "heads"});
  ASSERT_EQ(merged.exit_code, 0) << Describe(merged);
  ASSERT_EQ(project.Retort({"hash"}).exit_code, 0);
  // retort test: one graph, base -> head, stairway up/down/up; the .py files beside are fine.
  CommandOutput test = project.Retort({"test"});
  EXPECT_EQ(test.exit_code, 0) << Describe(test);
}

TEST(ImportAlembic, TakesOverADatabaseAlembicLeftAtTwoHeads) {
  REQUIRE_PYTHON_STACK();
  RETORT_REQUIRE_PG(pg);
  AlembicProject project(pg, "shop");
  project.InitRetort();
  ASSERT_EQ(project.Import().exit_code, 0);

  // Alembic's own online upgrade, through psycopg2.
  std::string alembic_db = pg->CreateDatabase("alembic");
  CommandOutput upgraded = project.Alembic({"upgrade", "heads"}, alembic_db);
  ASSERT_EQ(upgraded.exit_code, 0) << Describe(upgraded);
  ASSERT_EQ(project.Rows(alembic_db), (Strings{"6f0000000006", "7a0000000007"}));

  // The same history replayed by retort from the imported files.
  std::string retort_db = pg->CreateDatabase("retort");
  CommandOutput replayed = project.Retort({"upgrade", "heads"}, retort_db);
  ASSERT_EQ(replayed.exit_code, 0) << Describe(replayed);
  EXPECT_EQ(project.Rows(retort_db), project.Rows(alembic_db));
  EXPECT_EQ(project.Inspect(retort_db), project.Inspect(alembic_db));

  CommandOutput current = project.Retort({"current"}, alembic_db);
  ASSERT_EQ(current.exit_code, 0) << Describe(current);
  EXPECT_TRUE(Contains(current.out, "6f0000000006")) << current.out;
  EXPECT_TRUE(Contains(current.out, "7a0000000007")) << current.out;
  CommandOutput drift = project.Retort({"drift"}, alembic_db);
  EXPECT_EQ(drift.exit_code, 0) << Describe(drift);
  CommandOutput noop = project.Retort({"upgrade", "heads"}, alembic_db);
  EXPECT_EQ(noop.exit_code, 0) << Describe(noop);

  // A retort revision merging the heads, and one on top.
  WriteText(project.Versions() + "/20240401_0000-8b0000000008_merge.sql",
            "-- retort:revision 8b0000000008\n-- retort:revises 6f0000000006, 7a0000000007\n"
            "-- retort:message merge, and track shipments\n\n-- retort:upgrade\n"
            "ALTER TABLE shipments ADD COLUMN tracking text;\n\n-- retort:downgrade\n"
            "ALTER TABLE shipments DROP COLUMN tracking;\n");
  ASSERT_EQ(project.Retort({"hash"}).exit_code, 0);
  CommandOutput onward = project.Retort({"upgrade", "head"}, alembic_db);
  ASSERT_EQ(onward.exit_code, 0) << Describe(onward);
  EXPECT_EQ(project.Rows(alembic_db), Strings{"8b0000000008"});
  EXPECT_EQ(pg->Scalar(alembic_db,
                       "SELECT count(*) FROM information_schema.columns WHERE "
                       "table_name = 'shipments' AND column_name = 'tracking'"),
            "1");

  // Back below the merge, the version table is Alembic's again, and Alembic reads it.
  CommandOutput back = project.Retort({"downgrade", "-1"}, alembic_db);
  ASSERT_EQ(back.exit_code, 0) << Describe(back);
  EXPECT_EQ(project.Rows(alembic_db), (Strings{"6f0000000006", "7a0000000007"}));
  CommandOutput alembic_current = project.Alembic({"current"}, alembic_db);
  ASSERT_EQ(alembic_current.exit_code, 0) << Describe(alembic_current);
  EXPECT_TRUE(Contains(alembic_current.out, "6f0000000006 (head)")) << alembic_current.out;
  EXPECT_TRUE(Contains(alembic_current.out, "7a0000000007 (head)")) << alembic_current.out;
  EXPECT_EQ(project.Inspect(alembic_db), project.Inspect(retort_db));
}

// ---------------------------------------------------------------------------------------------
// A data migration: Python that needs a live database cannot become SQL.

TEST(ImportAlembic, NamesTheDataMigrationAndRefusesToRunIt) {
  REQUIRE_PYTHON_STACK();
  RETORT_REQUIRE_PG(pg);
  AlembicProject project(pg, "datamig");
  project.InitRetort();

  CommandOutput imported = project.Import();
  ASSERT_EQ(imported.exit_code, 2) << Describe(imported);
  EXPECT_TRUE(Contains(imported.err,
                       "migrations/versions/b20000000002_lowercase_emails.py:21: runs "
                       "statements through op.get_bind()"))
      << imported.err;
  std::string path = FileOf(project.Versions(), "b20000000002");
  ASSERT_FALSE(path.empty());
  std::string text = ReadText(path);
  EXPECT_TRUE(Contains(text, "-- retort:needs-manual-conversion ")) << text;
  EXPECT_TRUE(Contains(text, "-- python: ")) << "the Python is kept for the person converting it";
  // An irreversible downgrade (NotImplementedError) is no downgrade section, not a problem.
  EXPECT_FALSE(Contains(imported.err, "c30000000003_login_count.py")) << imported.err;
  std::string irreversible = ReadText(FileOf(project.Versions(), "c30000000003"));
  EXPECT_TRUE(Contains(irreversible, "ADD COLUMN logins INTEGER DEFAULT '0' NOT NULL"))
      << irreversible;
  EXPECT_FALSE(Contains(irreversible, "-- retort:downgrade")) << irreversible;
  EXPECT_FALSE(Contains(irreversible, "needs-manual-conversion")) << irreversible;

  CommandOutput test = project.Retort({"test"});
  EXPECT_EQ(test.exit_code, 2) << Describe(test);
  EXPECT_TRUE(Contains(test.err + test.out, fs::path(path).filename().string() + ":"))
      << Describe(test);
  EXPECT_TRUE(Contains(test.err + test.out, "needs manual conversion")) << Describe(test);

  std::string fresh = pg->CreateDatabase("fresh");
  CommandOutput refused = project.Retort({"upgrade", "head"}, fresh);
  EXPECT_EQ(refused.exit_code, 2) << Describe(refused);
  EXPECT_TRUE(Contains(refused.err, "needs manual conversion")) << refused.err;
  EXPECT_EQ(pg->Scalar(fresh, "SELECT to_regclass('public.users') IS NULL"), "t")
      << "nothing runs before the refusal";

  // A database Alembic upgraded (data migration and all) is taken over as it is.
  std::string alembic_db = pg->CreateDatabase("alembic");
  CommandOutput upgraded = project.Alembic({"upgrade", "head"}, alembic_db);
  ASSERT_EQ(upgraded.exit_code, 0) << Describe(upgraded);
  CommandOutput current = project.Retort({"current"}, alembic_db);
  EXPECT_TRUE(Contains(current.out, "c30000000003")) << Describe(current);
  CommandOutput noop = project.Retort({"upgrade", "head"}, alembic_db);
  EXPECT_EQ(noop.exit_code, 0) << Describe(noop);
}

// ---------------------------------------------------------------------------------------------
// `alembic init -t async` with a postgresql+asyncpg:// URL, left at one head.

TEST(ImportAlembic, AsyncTemplateProject) {
  REQUIRE_PYTHON_STACK();
  RETORT_REQUIRE_PG(pg);
  AlembicProject project(pg, "");
  std::string alembic_db = pg->CreateDatabase("async");
  CommandOutput init = project.Alembic({"init", "-t", "async", "migrations"}, alembic_db);
  ASSERT_EQ(init.exit_code, 0) << Describe(init);
  std::string ini = ReadText(project.Path("alembic.ini"));
  ini = std::regex_replace(ini, std::regex("sqlalchemy.url = .*"),
                           "sqlalchemy.url = " + project.SqlAlchemyUrl(alembic_db, "asyncpg"));
  WriteText(project.Path("alembic.ini"), ini);
  WriteText(project.Versions() + "/a10000000001_documents.py",
            R"py("""documents

Revision ID: a10000000001
Revises:
Create Date: 2024-05-01 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "a10000000001"
down_revision = None
branch_labels = None
depends_on = None

kind = postgresql.ENUM("pdf", "html", name="document_kind")


def upgrade():
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), sa.Identity(always=True), primary_key=True),
        sa.Column("kind", kind, nullable=False),
        sa.Column("meta", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb")),
        sa.Column("title_len", sa.Integer(), sa.Computed("0")),
    )
    op.create_index("ix_documents_meta", "documents", ["meta"], postgresql_using="gin")


def downgrade():
    op.drop_index("ix_documents_meta", table_name="documents")
    op.drop_table("documents")
    kind.drop(op.get_bind())
)py");
  project.InitRetort();

  CommandOutput imported = project.Import();
  ASSERT_EQ(imported.exit_code, 0) << Describe(imported);
  CommandOutput test = project.Retort({"test"});
  EXPECT_EQ(test.exit_code, 0) << Describe(test);

  // Alembic online, through asyncpg (the URL in alembic.ini).
  CommandOutput upgraded =
      RunProgram({kPython, "-m", "alembic", "upgrade", "head"}, project.Path(""));
  ASSERT_EQ(upgraded.exit_code, 0) << Describe(upgraded);
  EXPECT_EQ(project.Rows(alembic_db), Strings{"a10000000001"});
  std::string retort_db = pg->CreateDatabase("retort");
  ASSERT_EQ(project.Retort({"upgrade", "head"}, retort_db).exit_code, 0);
  EXPECT_EQ(project.Inspect(alembic_db), project.Inspect(retort_db));

  EXPECT_EQ(project.Retort({"drift"}, alembic_db).exit_code, 0);
  CommandOutput made = project.Retort({"revision", "-m", "document titles"});
  ASSERT_EQ(made.exit_code, 0) << Describe(made);
  std::string added;
  for (const auto& entry : fs::directory_iterator(project.Versions())) {
    if (entry.path().extension() == ".sql" && !Contains(entry.path().filename(), "a10000000001")) {
      added = entry.path().string();
    }
  }
  ASSERT_FALSE(added.empty());
  std::string text = ReadText(added);
  text = std::regex_replace(text, std::regex("-- retort:upgrade\n"),
                            "-- retort:upgrade\nALTER TABLE documents ADD COLUMN title text;\n");
  text = std::regex_replace(text, std::regex("-- retort:downgrade\n"),
                            "-- retort:downgrade\nALTER TABLE documents DROP COLUMN title;\n");
  WriteText(added, text);
  CommandOutput onward = project.Retort({"upgrade", "head"}, alembic_db);
  ASSERT_EQ(onward.exit_code, 0) << Describe(onward);
  EXPECT_EQ(pg->Scalar(alembic_db,
                       "SELECT count(*) FROM information_schema.columns WHERE "
                       "table_name = 'documents' AND column_name = 'title'"),
            "1");
}

// ---------------------------------------------------------------------------------------------
// [schema] program

class ProgramProject {
 public:
  explicit ProgramProject(PgHarness* pg) : pg_(pg), db_(pg->CreateDatabase("prog")) {}
  void Configure(const std::string& schema_section) {
    WriteText(dir_.path() + "/retort.toml",
              "[database]\nurl = \"" + pg_->Url(db_) +
                  "\"\n\n[migrations]\nscript_location = \"migrations\"\n\n[schema]\ndev_url = \"" +
                  pg_->Url("postgres") + "\"\n" + schema_section);
    fs::create_directories(dir_.path() + "/migrations/versions");
  }
  std::string Path(const std::string& relative) const { return dir_.path() + "/" + relative; }
  CommandOutput Retort(const Strings& args) const { return RunRetort(args, dir_.path()); }
  const std::string& db() const { return db_; }
  std::string Versions() const { return Path("migrations/versions"); }

 private:
  PgHarness* pg_;
  TempDir dir_;
  std::string db_;
};

TEST(SchemaProgram, ItsOutputIsTheDesiredSchema) {
  RETORT_REQUIRE_PG(pg);
  ProgramProject project(pg);
  project.Configure("program = [\"/bin/sh\", \"-c\", \"cat ddl/*.sql; echo progress >&2\"]\n");
  WriteText(project.Path("ddl/10_docs.sql"), "CREATE TABLE docs (id bigint PRIMARY KEY);\n");

  CommandOutput made = project.Retort({"revision", "--autogenerate", "-m", "docs"});
  ASSERT_EQ(made.exit_code, 0) << Describe(made);
  CommandOutput check = project.Retort({"check"});
  EXPECT_EQ(check.exit_code, 0) << Describe(check);
  CommandOutput test = project.Retort({"test"});
  EXPECT_EQ(test.exit_code, 0) << Describe(test);
  EXPECT_TRUE(Contains(test.out, "[schema] program")) << test.out;

  WriteText(project.Path("ddl/10_docs.sql"),
            "CREATE TABLE docs (id bigint PRIMARY KEY, title text);\n");
  CommandOutput differs = project.Retort({"check"});
  EXPECT_EQ(differs.exit_code, 3) << Describe(differs);
  EXPECT_TRUE(Contains(differs.out, "ADD COLUMN title")) << differs.out;
  CommandOutput diff = project.Retort({"diff", "head", "schema"});
  EXPECT_TRUE(Contains(diff.out, "ADD COLUMN title")) << Describe(diff);
}

TEST(SchemaProgram, FailuresAreBadInputWithTheirStderr) {
  RETORT_REQUIRE_PG(pg);
  struct Case {
    std::string program;
    std::string expected;
  };
  const Case cases[] = {
      {R"(["/bin/sh", "-c", "echo models are broken >&2; exit 3"])", "models are broken"},
      {R"(["/bin/sh", "-c", "echo nothing to say >&2"])", "printed no DDL"},
      {R"(["/bin/sh", "-c", "exec sleep 30"])", "timed out"},
      {R"(["/nonexistent/dump-schema"])", "cannot run /nonexistent/dump-schema"},
      {R"(["/bin/sh", "-c", "echo 'CREATE TABLE broken (;'"])", "syntax error"},
  };
  for (const Case& c : cases) {
    ProgramProject project(pg);
    project.Configure("program = " + c.program + "\nprogram_timeout = \"2s\"\n");
    CommandOutput check = project.Retort({"check"});
    EXPECT_EQ(check.exit_code, 2) << c.program << "\n" << Describe(check);
    EXPECT_TRUE(Contains(check.err, c.expected)) << c.program << "\n" << check.err;
  }
}

// ---------------------------------------------------------------------------------------------
// [schema] sqlalchemy: the models as the desired schema, through the shipped provider.

const char kModelsV1[] = R"py(import enum
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})
metadata.info["retort_extensions"] = ["pg_trgm"]
Base = declarative_base(metadata=metadata)


class Status(enum.Enum):
    new = "new"
    done = "done"
STATUS_EXTRA


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        sa.CheckConstraint("CHECK_EXPR", name="title_length"),
        sa.Index("ix_documents_title_search", "title", postgresql_using=INDEX_METHOD,
                 postgresql_ops=INDEX_OPS),
        sa.Index("ix_documents_open", "created_at", postgresql_where=sa.text(PREDICATE)),
        {"comment": "documents to index"},
    )
    id = sa.Column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    title = sa.Column(sa.Text, nullable=False, comment="shown in lists")
    url = sa.Column(sa.Text, nullable=False, unique=True)
    status = sa.Column(sa.Enum(Status, name="document_status"), nullable=False,
                       server_default=DEFAULT_STATUS)
    created_at = sa.Column(sa.DateTime(timezone=True), server_default=sa.func.now(),
                           nullable=False)
    title_length = sa.Column(sa.Integer, sa.Computed("length(title)"))


class Chunk(Base):
    __tablename__ = "chunks"
    id = sa.Column(sa.BigInteger, primary_key=True)
    document_id = sa.Column(sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False,
                            index=True)
    body = sa.Column(sa.Text, nullable=False)
)py";

std::string Models(const std::map<std::string, std::string>& values) {
  std::string text = kModelsV1;
  for (const auto& [key, value] : values) {
    text = std::regex_replace(text, std::regex(key), value);
  }
  return text;
}

TEST(SqlAlchemySchema, AutogenerateFindsWhatAlembicMisses) {
  REQUIRE_PYTHON_STACK();
  RETORT_REQUIRE_PG(pg);
  ProgramProject project(pg);
  project.Configure("sqlalchemy = \"app.models:Base\"\npython = \"/usr/bin/python3\"\n");
  WriteText(project.Path("app/__init__.py"), "");
  const std::map<std::string, std::string> v1 = {
      {"STATUS_EXTRA", ""}, {"CHECK_EXPR", "length(title) > 0"}, {"INDEX_METHOD", "\"btree\""},
      {"INDEX_OPS", "{}"},  {"PREDICATE", "\"status = 'new'\""}, {"DEFAULT_STATUS", "\"new\""},
  };
  WriteText(project.Path("app/models.py"), Models(v1));

  CommandOutput first = project.Retort({"revision", "--autogenerate", "-m", "documents"});
  ASSERT_EQ(first.exit_code, 0) << Describe(first);
  CommandOutput up = project.Retort({"upgrade", "head"});
  ASSERT_EQ(up.exit_code, 0) << Describe(up);
  // Names from the MetaData's naming convention, by SQLAlchemy's own machinery.
  EXPECT_EQ(pg->Scalar(project.db(),
                       "SELECT string_agg(conname, ',' ORDER BY conname) FROM "
                       "pg_constraint WHERE conrelid = 'documents'::regclass"),
            "ck_documents_title_length,pk_documents,uq_documents_url");
  EXPECT_EQ(pg->Scalar(project.db(),
                       "SELECT count(*) FROM pg_indexes WHERE indexname = "
                       "'ix_chunks_document_id'"),
            "1");
  std::string v1_schema = RunRetort({"inspect"}, project.Path("")).out;
  CommandOutput clean = project.Retort({"check"});
  EXPECT_EQ(clean.exit_code, 0) << Describe(clean);

  // Every change kind Alembic's autogenerate does not see.
  const std::map<std::string, std::string> v2 = {
      {"STATUS_EXTRA", "    archived = \"archived\""},
      {"CHECK_EXPR", "length(title) BETWEEN 1 AND 200"},
      {"INDEX_METHOD", "\"gin\""},
      {"INDEX_OPS", "{\"title\": \"gin_trgm_ops\"}"},
      {"PREDICATE", "\"status <> 'done'\""},
      {"DEFAULT_STATUS", "\"done\""},
  };
  WriteText(project.Path("app/models.py"), Models(v2));
  CommandOutput second = project.Retort({"revision", "--autogenerate", "-m", "v2"});
  ASSERT_EQ(second.exit_code, 0) << Describe(second);
  std::string v2_file;
  for (const auto& entry : fs::directory_iterator(project.Versions())) {
    if (Contains(entry.path().filename(), "_v2")) v2_file = entry.path().string();
  }
  ASSERT_FALSE(v2_file.empty());
  std::string text = ReadText(v2_file);
  size_t downgrade_at = text.find("-- retort:downgrade");
  std::string upgrade = text.substr(0, downgrade_at);
  std::string downgrade = text.substr(downgrade_at);
  EXPECT_TRUE(Contains(upgrade, "'archived'")) << text;
  EXPECT_TRUE(Contains(upgrade, "SET DEFAULT 'done'")) << text;
  EXPECT_TRUE(Contains(upgrade, "gin_trgm_ops")) << text;
  EXPECT_TRUE(Contains(upgrade, "status <> 'done'")) << text;
  EXPECT_TRUE(Contains(upgrade, "length(title) <= 200")) << text;
  EXPECT_TRUE(Contains(downgrade, "SET DEFAULT 'new'")) << text;
  EXPECT_TRUE(Contains(downgrade, "length(title) > 0")) << text;
  EXPECT_TRUE(Contains(downgrade, "status = 'new'")) << text;

  CommandOutput up2 = project.Retort({"upgrade", "head"});
  ASSERT_EQ(up2.exit_code, 0) << Describe(up2);
  CommandOutput matches = project.Retort({"check"});
  EXPECT_EQ(matches.exit_code, 0) << Describe(matches);
  CommandOutput test = project.Retort({"test"});
  EXPECT_EQ(test.exit_code, 0) << Describe(test);
  // A real downgrade: back to exactly the first schema.
  CommandOutput down = project.Retort({"downgrade", "-1"});
  ASSERT_EQ(down.exit_code, 0) << Describe(down);
  EXPECT_EQ(RunRetort({"inspect"}, project.Path("")).out, v1_schema);
}

// pgvector's Python package is optional: a stand-in with its module layout shows that a model
// using its type gets the extension first and the type as pgvector renders it.
TEST(SqlAlchemySchema, PgvectorTypeWhenThePackageIsImportable) {
  REQUIRE_PYTHON_STACK();
  TempDir dir;
  dir.Write("pgvector/__init__.py", "");
  dir.Write("pgvector/sqlalchemy.py",
            "from sqlalchemy.types import UserDefinedType\n\n\n"
            "class Vector(UserDefinedType):\n"
            "    cache_ok = True\n\n"
            "    def __init__(self, dim=None):\n"
            "        self.dim = dim\n\n"
            "    def get_col_spec(self, **kw):\n"
            "        return 'VECTOR(%d)' % self.dim\n");
  dir.Write("models.py",
            "import sqlalchemy as sa\nfrom pgvector.sqlalchemy import Vector\n\n"
            "metadata = sa.MetaData()\n"
            "sa.Table('chunks', metadata, sa.Column('id', sa.BigInteger, primary_key=True),\n"
            "         sa.Column('embedding', Vector(3)),\n"
            "         sa.Index('ix_chunks_embedding', 'embedding', postgresql_using='hnsw',\n"
            "                  postgresql_with={'m': 16},\n"
            "                  postgresql_ops={'embedding': 'vector_cosine_ops'}))\n");
  std::string provider = std::string(RETORT_SOURCE_DIR) + "/share/retort/sqlalchemy_schema.py";
  CommandOutput out = RunProgram({kPython, provider, "models:metadata"}, dir.path());
  ASSERT_EQ(out.exit_code, 0) << Describe(out);
  size_t extension = out.out.find("CREATE EXTENSION IF NOT EXISTS \"vector\";");
  size_t table = out.out.find("embedding VECTOR(3)");
  ASSERT_NE(extension, std::string::npos) << out.out;
  ASSERT_NE(table, std::string::npos) << out.out;
  EXPECT_LT(extension, table);
  EXPECT_TRUE(Contains(out.out, "USING hnsw (embedding vector_cosine_ops) WITH (m = 16)"))
      << out.out;
  EXPECT_TRUE(
      out.out.starts_with("-- retort:naming_convention {\"ix\": \"ix_%(column_0_label)s\"}"))
      << out.out;

  // Without the package the provider still runs for models that do not use it.
  fs::remove_all(dir.path() + "/pgvector");
  dir.Write("plain.py",
            "import sqlalchemy as sa\nmetadata = sa.MetaData()\n"
            "sa.Table('t', metadata, sa.Column('id', sa.Integer, primary_key=True))\n");
  CommandOutput plain = RunProgram({kPython, provider, "plain:metadata"}, dir.path());
  EXPECT_EQ(plain.exit_code, 0) << Describe(plain);
  EXPECT_FALSE(Contains(plain.out, "EXTENSION")) << plain.out;
}

TEST(SqlAlchemySchema, ProviderErrorsAreShown) {
  REQUIRE_PYTHON_STACK();
  RETORT_REQUIRE_PG(pg);
  ProgramProject project(pg);
  project.Configure("sqlalchemy = \"app.nothere:Base\"\npython = \"/usr/bin/python3\"\n");
  CommandOutput check = project.Retort({"check"});
  EXPECT_EQ(check.exit_code, 2) << Describe(check);
  EXPECT_TRUE(Contains(check.err, "cannot import app.nothere")) << check.err;
}

// ---------------------------------------------------------------------------------------------
// The examples that need Python.

// A copy of examples/NAME as in git (no .retort/), with the harness server as the dev server and
// Debian's interpreter.
std::string CopyExample(PgHarness* pg, const TempDir& dir, const std::string& name) {
  std::string example = std::string(RETORT_SOURCE_DIR) + "/examples/" + name;
  for (const auto& entry : fs::directory_iterator(example)) {
    if (entry.path().filename() == ".retort") continue;
    fs::copy(entry.path(), dir.path() + "/" + entry.path().filename().string(),
             fs::copy_options::recursive);
  }
  std::string toml = ReadText(dir.path() + "/retort.toml");
  toml = std::regex_replace(toml, std::regex("python = \"python3\""),
                            "python = \"" + std::string(kPython) + "\"");
  toml = std::regex_replace(toml, std::regex("\\[schema\\]\n"),
                            "[schema]\ndev_url = \"" + pg->Url("postgres") + "\"\n");
  WriteText(dir.path() + "/retort.toml", toml);
  return example;
}

TEST(Examples, AgentsImportIsReproducibleAndTheModelsMatch) {
  REQUIRE_PYTHON_STACK();
  RETORT_REQUIRE_PG(pg);
  TempDir dir;
  std::string example = CopyExample(pg, dir, "agents");
  CommandOutput check = RunRetort({"check"}, dir.path());
  EXPECT_EQ(check.exit_code, 0) << Describe(check);

  CommandOutput imported =
      RunRetort({"import", "alembic", "--python", kPython, "--force"}, dir.path());
  ASSERT_EQ(imported.exit_code, 0) << Describe(imported);
  int compared = 0;
  for (const auto& entry : fs::directory_iterator(example + "/migrations/versions")) {
    if (entry.path().extension() != ".sql") continue;
    std::string copy = dir.path() + "/migrations/versions/" + entry.path().filename().string();
    EXPECT_EQ(ReadText(copy), ReadText(entry.path())) << entry.path();
    ++compared;
  }
  EXPECT_EQ(compared, 4);

  // Alembic's own upgrade and retort's give the same schema.
  std::string alembic_db = pg->CreateDatabase("agents_alembic");
  std::string url = "postgresql+psycopg2://" + pg->superuser() +
                    "@127.0.0.1:" + std::to_string(pg->port()) + "/" + alembic_db;
  CommandOutput alembic = RunProgram({kPython, "-m", "alembic", "upgrade", "head"}, dir.path(),
                                     {{"DATABASE_URL", url}});
  ASSERT_EQ(alembic.exit_code, 0) << Describe(alembic);
  std::string retort_db = pg->CreateDatabase("agents_retort");
  CommandOutput up = RunRetort({"upgrade", "head", "--url", pg->Url(retort_db)}, dir.path());
  ASSERT_EQ(up.exit_code, 0) << Describe(up);
  EXPECT_EQ(RunRetort({"inspect", "--url", pg->Url(alembic_db)}, dir.path()).out,
            RunRetort({"inspect", "--url", pg->Url(retort_db)}, dir.path()).out);
  CommandOutput drift = RunRetort({"drift", "--url", pg->Url(alembic_db)}, dir.path());
  EXPECT_EQ(drift.exit_code, 0) << Describe(drift);
}

TEST(Examples, DocuaiSqlalchemyModelsDescribeTheHead) {
  REQUIRE_PYTHON_STACK();
  RETORT_REQUIRE_PG(pg);
  TempDir dir;
  CopyExample(pg, dir, "docuai-sqlalchemy");
  CommandOutput check = RunRetort({"check"}, dir.path());
  EXPECT_EQ(check.exit_code, 0) << Describe(check);
  EXPECT_TRUE(Contains(check.out, "migrations match")) << Describe(check);
}

}  // namespace
}  // namespace retort
