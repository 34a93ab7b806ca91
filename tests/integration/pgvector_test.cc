// The pgvector DocuAI example (examples/docuai-pgvector) against PGlite with the vector
// extension (tests/support/pglite_harness.h): Debian packages no pgvector for its PostgreSQL.
//
// Server 0 is the example's database; server 1 holds the desired state, the example's schema/
// files applied by the test. PGlite serves one database per server, so it cannot be retort's
// dev server (scratch databases): schema/ is compared through a second server instead, and a
// test checks that retort refuses PGlite as dev server rather than apply schema/ to the user's
// database.
// GCC 12 at -O2 reports the inlined string copies in Example's constructor as out of bounds
// (GCC bug 105329, a false positive); nothing here indexes an array.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#pragma GCC diagnostic ignored "-Wrestrict"
#endif
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/files.h"
#include "devdb/scratch.h"
#include "pg/connection.h"
#include "support/pg_harness.h"
#include "support/pglite_harness.h"

namespace retort {
namespace {

namespace fs = std::filesystem;
using testing::CommandOutput;
using testing::Describe;
using testing::PgliteServer;
using testing::RunRetort;
using testing::TempDir;

constexpr char kHead[] = "c6e1f0a94b38";
constexpr char kHnswIndex[] =
    "CREATE INDEX ix_document_chunks_embedding ON public.document_chunks USING hnsw (embedding "
    "vector_cosine_ops) WITH (m='16', ef_construction='64')";

bool Contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

std::string ExampleDir() { return std::string(RETORT_SOURCE_DIR) + "/examples/docuai-pgvector"; }

// A copy of the example (only what is in git: someone may have run it, .retort/ holds a live
// cluster) that every command runs in, against `server` by --url.
class Example {
 public:
  explicit Example(PgliteServer* server) : server_(server) {
    for (const char* part : {"retort.toml", "migrations", "schema"}) {
      fs::copy(ExampleDir() + "/" + part, dir_.path() + "/" + part, fs::copy_options::recursive);
    }
  }
  CommandOutput Run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--url", server_->Url()});
    return RunRetort(args, dir_.path());
  }
  const std::string& path() const { return dir_.path(); }

 private:
  PgliteServer* server_;
  TempDir dir_;
};

// Applies the SQL files of `schema_dir` to `server` as retort applies schema/ to a scratch
// database.
void LoadSchema(PgliteServer* server, const std::string& schema_dir) {
  auto files = ListFiles(schema_dir, ".sql");
  ASSERT_TRUE(files.ok()) << files.status().message();
  ASSERT_FALSE(files->empty()) << schema_dir;
  auto connection = pg::Connection::Open(server->ConnInfo(), "retort-test");
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  Status applied = devdb::ApplySqlFiles(*connection, *files);
  ASSERT_TRUE(applied.ok()) << applied.message();
}

// "[x, y, 0, 0, ...]" with 1536 dimensions as a SQL expression.
std::string Vector1536(const std::string& x, const std::string& y) {
  return "(ARRAY[" + x + ", " + y + "]::real[] || array_fill(0::real, ARRAY[1534]))::vector";
}

TEST(Pgvector, UpgradeHeadAppliesTheExample) {
  RETORT_REQUIRE_PGLITE(server, 0);
  server->Reset();
  Example example(server);
  CommandOutput upgrade = example.Run({"upgrade", "head"});
  ASSERT_EQ(upgrade.exit_code, 0) << Describe(upgrade);
  EXPECT_TRUE(Contains(upgrade.err, std::string("now at ") + kHead)) << Describe(upgrade);
  EXPECT_EQ(server->Scalar("SELECT version_num FROM retort_version"), kHead);
  EXPECT_EQ(server->Scalar("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                           "WHERE attrelid = 'document_chunks'::regclass "
                           "AND attname = 'embedding'"),
            "vector(1536)");
  CommandOutput current = example.Run({"current"});
  EXPECT_EQ(current.exit_code, 0) << Describe(current);
  EXPECT_TRUE(Contains(current.out, kHead)) << Describe(current);
}

TEST(Pgvector, InspectReadsTheVectorColumnAndTheHnswIndex) {
  RETORT_REQUIRE_PGLITE(server, 0);
  server->Reset();
  Example example(server);
  ASSERT_EQ(example.Run({"upgrade", "head"}).exit_code, 0);

  CommandOutput sql = example.Run({"inspect"});
  ASSERT_EQ(sql.exit_code, 0) << Describe(sql);
  EXPECT_TRUE(Contains(sql.out, "    embedding vector(1536)\n")) << sql.out;
  EXPECT_TRUE(Contains(sql.out, std::string(kHnswIndex) + ";")) << sql.out;
  EXPECT_TRUE(Contains(sql.out, "CREATE EXTENSION vector WITH SCHEMA public VERSION ")) << sql.out;

  CommandOutput json = example.Run({"--format", "json", "inspect"});
  ASSERT_EQ(json.exit_code, 0) << Describe(json);
  auto model = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_FALSE(model.is_discarded()) << json.out;
  nlohmann::json embedding;
  for (const auto& table : model["tables"]) {
    if (table["name"] != "document_chunks") continue;
    for (const auto& column : table["columns"]) {
      if (column["name"] == "embedding") embedding = column;
    }
  }
  ASSERT_FALSE(embedding.is_null()) << json.out;
  EXPECT_EQ(embedding["type"], "vector(1536)") << embedding.dump();
  nlohmann::json hnsw;
  for (const auto& index : model["indexes"]) {
    if (index["name"] == "ix_document_chunks_embedding") hnsw = index;
  }
  ASSERT_FALSE(hnsw.is_null()) << json.out;
  EXPECT_EQ(hnsw["definition"], kHnswIndex);
  std::string version =
      server->Scalar("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
  ASSERT_EQ(model["extensions"].size(), 1u) << json.out;
  EXPECT_EQ(model["extensions"][0]["name"], "vector");
  EXPECT_EQ(model["extensions"][0]["version"], version);
}

TEST(Pgvector, LeavesTheExtensionsOwnObjectsOut) {
  RETORT_REQUIRE_PGLITE(server, 0);
  server->Reset();
  Example example(server);
  ASSERT_EQ(example.Run({"upgrade", "head"}).exit_code, 0);
  // What pgvector owns: the check below means something only if there is plenty of it.
  auto members = server->Query(
      "SELECT DISTINCT coalesce(p.proname, t.typname, o.oprname, c.opcname) "
      "FROM pg_depend d "
      "LEFT JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid "
      "LEFT JOIN pg_type t ON d.classid = 'pg_type'::regclass AND t.oid = d.objid "
      "LEFT JOIN pg_operator o ON d.classid = 'pg_operator'::regclass AND o.oid = d.objid "
      "LEFT JOIN pg_opclass c ON d.classid = 'pg_opclass'::regclass AND c.oid = d.objid "
      "WHERE d.deptype = 'e' AND d.refobjid = (SELECT oid FROM pg_extension "
      "WHERE extname = 'vector') AND d.classid IN ('pg_proc'::regclass, 'pg_type'::regclass)");
  ASSERT_GT(members.size(), 50u);

  CommandOutput sql = example.Run({"inspect"});
  ASSERT_EQ(sql.exit_code, 0) << Describe(sql);
  for (const char* kind : {"CREATE TYPE", "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION",
                           "CREATE OPERATOR", "CREATE AGGREGATE", "CREATE CAST"}) {
    EXPECT_FALSE(Contains(sql.out, kind)) << kind << " in\n" << sql.out;
  }
  CommandOutput json = example.Run({"--format", "json", "inspect"});
  ASSERT_EQ(json.exit_code, 0) << Describe(json);
  auto model = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_FALSE(model.is_discarded()) << json.out;
  for (const char* list : {"functions", "types", "enums", "domains", "composite_types"}) {
    EXPECT_TRUE(!model.contains(list) || model[list].empty()) << list << ": " << model[list];
  }
  // The extension is there by its name; none of its members is, by theirs.
  ASSERT_EQ(model["extensions"].size(), 1u) << json.out;
  model.erase("extensions");
  std::string rest = model.dump();
  for (const auto& member : members) {
    EXPECT_FALSE(Contains(rest, "\"" + member[0] + "\"")) << member[0] << " in " << json.out;
  }
}

TEST(Pgvector, NearestNeighbourSearchByCosineDistance) {
  RETORT_REQUIRE_PGLITE(server, 0);
  server->Reset();
  Example example(server);
  ASSERT_EQ(example.Run({"upgrade", "head"}).exit_code, 0);
  // Chunk i points at angle 10*i degrees in the first two dimensions; the query points at 0.
  server->Query(
      "INSERT INTO data_sources (id, name, base_url) VALUES "
      "('00000000-0000-0000-0000-000000000001', 'docs', 'https://example.com/');"
      "INSERT INTO documents (id, data_source_id, url) VALUES "
      "('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', "
      "'https://example.com/a');"
      "INSERT INTO document_chunks (document_id, chunk_index, content, embedding) "
      "SELECT '00000000-0000-0000-0000-000000000002', i, 'chunk ' || i, " +
      Vector1536("cos(radians(10 * i))", "sin(radians(10 * i))") +
      " FROM unnest(ARRAY[5, 2, 8, 0, 7, 3, 1, 6, 4]) AS i");
  ASSERT_EQ(server->Scalar("SELECT count(*) FROM document_chunks WHERE vector_dims(embedding) = "
                           "1536"),
            "9");

  std::string query = "SELECT chunk_index FROM document_chunks ORDER BY embedding <=> " +
                      Vector1536("1", "0") + " LIMIT 3";
  auto nearest = server->Query(query);
  ASSERT_EQ(nearest.size(), 3u);
  EXPECT_EQ(nearest[0][0], "0");
  EXPECT_EQ(nearest[1][0], "1");
  EXPECT_EQ(nearest[2][0], "2");
  EXPECT_EQ(server->Scalar("SELECT round((embedding <=> " + Vector1536("1", "0") +
                           ")::numeric, 6) FROM document_chunks WHERE chunk_index = 6"),
            "0.500000");  // 1 - cos(60 degrees)

  // The planner can answer it from the HNSW index. SET LOCAL inside a transaction: every
  // client shares PGlite's one session.
  std::string plan_text;
  {
    auto connection = pg::Connection::Open(server->ConnInfo(), "retort-test");
    ASSERT_TRUE(connection.ok()) << connection.status().message();
    ASSERT_TRUE(connection->Execute("BEGIN").ok());
    ASSERT_TRUE(connection->Execute("SET LOCAL enable_seqscan = off").ok());
    auto explain = connection->Execute("EXPLAIN (COSTS OFF) " + query);
    ASSERT_TRUE(explain.ok()) << explain.error.ToString();
    for (int row = 0; row < explain.value->rows(); ++row) {
      plan_text += explain.value->Get(row, 0) + "\n";
    }
    ASSERT_TRUE(connection->Execute("COMMIT").ok());
  }
  EXPECT_TRUE(Contains(plan_text, "Index Scan using ix_document_chunks_embedding")) << plan_text;

  // The column takes 1536 dimensions, no other number.
  auto connection = pg::Connection::Open(server->ConnInfo(), "retort-test");
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  auto wrong = connection->Execute(
      "INSERT INTO document_chunks (document_id, chunk_index, content, embedding) VALUES "
      "('00000000-0000-0000-0000-000000000002', 99, 'short', '[1,2,3]')");
  ASSERT_FALSE(wrong.ok());
  EXPECT_TRUE(Contains(wrong.error.ToString(), "expected 1536 dimensions, not 3"))
      << wrong.error.ToString();
}

TEST(Pgvector, DowngradeBaseReturnsToEmpty) {
  RETORT_REQUIRE_PGLITE(server, 0);
  server->Reset();
  Example example(server);
  ASSERT_EQ(example.Run({"upgrade", "head"}).exit_code, 0);
  server->Query(
      "INSERT INTO data_sources (name, base_url) VALUES ('docs', 'https://example.com/')");

  CommandOutput downgrade = example.Run({"downgrade", "base"});
  ASSERT_EQ(downgrade.exit_code, 0) << Describe(downgrade);
  EXPECT_TRUE(Contains(downgrade.err, "now at base")) << Describe(downgrade);
  CommandOutput inspect = example.Run({"inspect"});
  ASSERT_EQ(inspect.exit_code, 0) << Describe(inspect);
  EXPECT_EQ(inspect.out, "") << Describe(inspect);
  EXPECT_EQ(server->Scalar("SELECT count(*) FROM pg_extension WHERE extname = 'vector'"), "0");
  EXPECT_EQ(server->Scalar("SELECT count(*) FROM pg_type WHERE typname = 'vector'"), "0");

  // And back up: every downgrade undid its upgrade.
  CommandOutput again = example.Run({"upgrade", "head"});
  EXPECT_EQ(again.exit_code, 0) << Describe(again);
}

TEST(Pgvector, DatabaseAtHeadMatchesSchemaFiles) {
  RETORT_REQUIRE_PGLITE(server, 0);
  RETORT_REQUIRE_PGLITE(desired, 1);
  server->Reset();
  desired->Reset();
  Example example(server);
  ASSERT_EQ(example.Run({"upgrade", "head"}).exit_code, 0);
  LoadSchema(desired, example.path() + "/schema");
  if (HasFatalFailure()) return;

  CommandOutput diff = example.Run({"diff", server->Url(), desired->Url()});
  EXPECT_EQ(diff.exit_code, 0) << Describe(diff);
  EXPECT_EQ(diff.out, "") << Describe(diff);
  // Both read the same: the comparison is not empty because inspection saw nothing.
  CommandOutput left = example.Run({"inspect"});
  CommandOutput right = RunRetort({"--url", desired->Url(), "inspect"}, example.path());
  ASSERT_EQ(left.exit_code, 0) << Describe(left);
  EXPECT_TRUE(Contains(left.out, kHnswIndex)) << left.out;
  EXPECT_EQ(left.out, right.out);
}

TEST(Pgvector, ChangingHnswMIsADropAndCreateKeepingOpclassAndWith) {
  RETORT_REQUIRE_PGLITE(server, 0);
  RETORT_REQUIRE_PGLITE(desired, 1);
  server->Reset();
  desired->Reset();
  Example example(server);
  ASSERT_EQ(example.Run({"upgrade", "head"}).exit_code, 0);
  std::string chunks_file = example.path() + "/schema/30_document_chunks.sql";
  auto text = ReadFile(chunks_file);
  ASSERT_TRUE(text.ok()) << text.status().message();
  std::string edited = *text;
  size_t at = edited.find("m = 16");
  ASSERT_NE(at, std::string::npos) << edited;
  edited.replace(at, 6, "m = 32");
  ASSERT_TRUE(WriteFile(chunks_file, edited).ok());
  LoadSchema(desired, example.path() + "/schema");
  if (HasFatalFailure()) return;

  CommandOutput diff = example.Run({"diff", server->Url(), desired->Url()});
  ASSERT_EQ(diff.exit_code, 0) << Describe(diff);
  EXPECT_TRUE(Contains(diff.out, "DROP INDEX public.ix_document_chunks_embedding;"))
      << Describe(diff);
  EXPECT_TRUE(Contains(diff.out,
                       "CREATE INDEX ix_document_chunks_embedding ON public.document_chunks "
                       "USING hnsw (embedding vector_cosine_ops) WITH (m='32', "
                       "ef_construction='64');"))
      << Describe(diff);
  EXPECT_LT(diff.out.find("DROP INDEX"), diff.out.find("CREATE INDEX")) << Describe(diff);
  EXPECT_FALSE(Contains(diff.out, "TABLE")) << "only the index changes\n" << Describe(diff);

  // The generated SQL runs on PGlite and leaves nothing to do.
  server->Query(diff.out);
  CommandOutput after = example.Run({"diff", server->Url(), desired->Url()});
  EXPECT_EQ(after.exit_code, 0) << Describe(after);
  EXPECT_EQ(after.out, "") << Describe(after);
}

// PGlite takes CREATE DATABASE but connects every client to its one database: as dev server it
// would have schema/ applied to the user's own database. retort must refuse it.
TEST(Pgvector, RefusesPgliteAsDevServer) {
  RETORT_REQUIRE_PGLITE(server, 0);
  server->Reset();
  Example example(server);
  ASSERT_EQ(example.Run({"upgrade", "head"}).exit_code, 0);
  std::string config_path = example.path() + "/retort.toml";
  auto config = ReadFile(config_path);
  ASSERT_TRUE(config.ok());
  ASSERT_TRUE(
      WriteFile(config_path, *config + "\n[schema]\ndev_url = \"" + server->Url() + "\"\n").ok());
  CommandOutput before = example.Run({"inspect"});
  ASSERT_EQ(before.exit_code, 0) << Describe(before);

  CommandOutput diff = example.Run({"diff", server->Url(), "schema"});
  EXPECT_EQ(diff.exit_code, 1) << Describe(diff);
  EXPECT_TRUE(Contains(diff.err, "does not keep databases apart")) << Describe(diff);
  CommandOutput check = example.Run({"check"});
  EXPECT_NE(check.exit_code, 0) << Describe(check);
  EXPECT_NE(check.exit_code, 3) << "not a verdict on the migrations\n" << Describe(check);
  EXPECT_TRUE(Contains(check.err, "does not keep databases apart")) << Describe(check);

  CommandOutput after = example.Run({"inspect"});
  EXPECT_EQ(after.out, before.out) << "the database was changed";
}

}  // namespace
}  // namespace retort
