// Round trips on real schemas nobody on the project wrote (issue 5's acceptance): the schemas
// Debian packages ship (fetched by scripts/fetch_schemas.sh into a cache folder) and every
// example project's schema/ folder. For each schema S, loaded into a database with
// devdb::ApplySqlFiles:
//   (a) the SQL rendered from diff(empty -> S), applied to an empty database, rebuilds S: equal
//       models (so equal `retort inspect` output) and `pg_dump --schema-only` equal up to line
//       order;
//   (b) a second diff, S against the rebuilt database, is empty;
//   (c) the rendered downgrade takes the rebuilt database back to an empty one.
// Without the cache the package cases skip locally (run scripts/fetch_schemas.sh) and fail in CI.
// The files load as shipped (kea's START TRANSACTION ... COMMIT and DO blocks included), except
// mediawiki's tables.sql (see its case). Examples whose schema creates an extension this server
// lacks (pgvector) are skipped, saying so.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "base/files.h"
#include "catalog/inspect.h"
#include "devdb/scratch.h"
#include "pg/connection.h"
#include "render/render.h"
#include "support/pg_harness.h"

namespace retort {
namespace {

namespace fs = std::filesystem;
using ::retort::testing::CommandOutput;
using ::retort::testing::PgHarness;
using ::retort::testing::RunProgram;
using ::retort::testing::TempDir;

// Same rule as scripts/fetch_schemas.sh.
std::string SchemaCache() {
  if (const char* cache = std::getenv("RETORT_SCHEMA_CACHE"); cache != nullptr && *cache) {
    return cache;
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg) {
    return JoinPath(xdg, "retort/debian-schemas");
  }
  const char* home = std::getenv("HOME");
  return JoinPath(home != nullptr ? home : "/root", ".cache/retort/debian-schemas");
}

// Line-based rewrites of a package's file so that it loads into a plain database on the test
// cluster (the minimum; each one is documented where the case is listed).
using Preprocess = std::function<std::string(const std::string&)>;

struct SchemaCase {
  std::string name;                // the test's name
  std::vector<std::string> files;  // applied in order
  bool from_package = false;       // lives in the schema cache
  Preprocess preprocess;           // may be empty
};

// gtest prints the parameter of a failing case: its name, not its bytes.
void PrintTo(const SchemaCase& schema_case, std::ostream* out) { *out << schema_case.name; }

// Drops whole lines matching `pattern`.
std::string DropLines(const std::string& text, const std::regex& pattern) {
  std::istringstream in(text);
  std::string line, kept;
  while (std::getline(in, line)) {
    // Keep the line count so that error positions still point into the original file.
    kept += std::regex_search(line, pattern) ? "\n" : line + "\n";
  }
  return kept;
}

std::string PackageFile(const std::string& package, const std::string& path) {
  return JoinPath(JoinPath(SchemaCache(), package), path);
}

std::vector<SchemaCase> Cases() {
  std::vector<SchemaCase> cases;
  cases.push_back({"zabbix",
                   {PackageFile("zabbix-server-pgsql", "usr/share/zabbix-server-pgsql/schema.sql")},
                   true,
                   {}});
  cases.push_back(
      {"pdns",
       {PackageFile("pdns-backend-pgsql", "usr/share/pdns-backend-pgsql/schema/schema.pgsql.sql")},
       true,
       {}});
  cases.push_back({"kea",
                   {PackageFile("kea-admin", "usr/share/kea/scripts/pgsql/dhcpdb_create.pgsql")},
                   true,
                   {}});
  cases.push_back({"icingaweb2_director",
                   {PackageFile("icingaweb2-module-director",
                                "usr/share/icingaweb2/modules/director/schema/pgsql.sql")},
                   true,
                   {}});
  cases.push_back(
      {"icinga2_ido",
       {PackageFile("icinga2-ido-pgsql", "usr/share/icinga2-ido-pgsql/schema/pgsql.sql")},
       true,
       {}});
  // tables.sql opens a transaction it never commits (MediaWiki's installer commits it): without
  // its BEGIN line each statement commits on its own, as the installer's COMMIT would.
  cases.push_back(
      {"mediawiki",
       {PackageFile("mediawiki", "usr/share/mediawiki/maintenance/postgres/tables-generated.sql"),
        PackageFile("mediawiki", "usr/share/mediawiki/maintenance/postgres/tables.sql")},
       true,
       [](const std::string& text) { return DropLines(text, std::regex(R"(^BEGIN;\s*$)")); }});
  cases.push_back({"tt_rss",
                   {PackageFile("tt-rss", "usr/share/tt-rss/schema/ttrss_schema_pgsql.sql")},
                   true,
                   {}});

  std::error_code error;
  std::vector<std::string> examples;
  for (const auto& entry : fs::directory_iterator(JoinPath(RETORT_SOURCE_DIR, "examples"), error)) {
    if (fs::is_directory(entry.path() / "schema")) {
      examples.push_back(entry.path().filename().string());
    }
  }
  std::sort(examples.begin(), examples.end());
  for (const std::string& example : examples) {
    SchemaCase schema_case{"example_" + example, {}, false, {}};
    fs::path dir = fs::path(RETORT_SOURCE_DIR) / "examples" / example / "schema";
    for (const auto& entry : fs::directory_iterator(dir, error)) {
      if (entry.path().extension() == ".sql") schema_case.files.push_back(entry.path().string());
    }
    std::sort(schema_case.files.begin(), schema_case.files.end());
    cases.push_back(std::move(schema_case));
  }
  return cases;
}

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string PgBinary(PgHarness* pg, const std::string& name) {
  std::string path = pg->bin_dir() + "/" + name;
  return fs::exists(path) ? path : "/usr/bin/" + name;
}

// `pg_dump --schema-only` as sorted lines, without comments, blank lines and pg_dump 15.20's
// per-run `\restrict KEY` / `\unrestrict KEY` lines.
std::vector<std::string> SortedSchemaDump(PgHarness* pg, const std::string& db) {
  CommandOutput dump = RunProgram(
      {PgBinary(pg, "pg_dump"), "--schema-only", "--no-owner", "-d", pg->ConnInfo(db)}, "");
  EXPECT_EQ(dump.exit_code, 0) << dump.err;
  std::istringstream in(dump.out);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) {
    if (line.empty() || line.rfind("--", 0) == 0 || line.rfind("\\restrict", 0) == 0 ||
        line.rfind("\\unrestrict", 0) == 0) {
      continue;
    }
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

// Lines of `a` missing from `b` (multiset difference), at most `limit` of them.
std::string Missing(const std::vector<std::string>& a, const std::vector<std::string>& b,
                    size_t limit = 40) {
  std::vector<std::string> only;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only));
  std::string text;
  for (size_t i = 0; i < only.size() && i < limit; ++i) text += "  " + only[i] + "\n";
  if (only.size() > limit) text += "  ... " + std::to_string(only.size() - limit) + " more\n";
  return text;
}

std::vector<std::string> SortedLines(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  return lines;
}

// Extensions the files create that this server cannot: the case is skipped (examples only).
std::vector<std::string> UnavailableExtensions(PgHarness* pg, const std::string& db,
                                               const std::vector<std::string>& files) {
  static const std::regex kCreateExtension(
      R"(create\s+extension\s+(?:if\s+not\s+exists\s+)?"?([A-Za-z0-9_-]+))", std::regex::icase);
  std::vector<std::string> missing;
  for (const std::string& file : files) {
    auto text = ReadFile(file);
    if (!text.ok()) continue;
    for (std::sregex_iterator it(text->begin(), text->end(), kCreateExtension), end; it != end;
         ++it) {
      std::string name = (*it)[1].str();
      std::string available = pg->Scalar(
          db, "SELECT count(*) FROM pg_available_extensions WHERE name = '" + name + "'");
      if (available == "0") missing.push_back(name);
    }
  }
  return missing;
}

class RoundTrip : public ::testing::TestWithParam<SchemaCase> {
 protected:
  pg::Connection Open(PgHarness* pg, const std::string& dbname) {
    auto connection = pg::Connection::Open(pg->ConnInfo(dbname), "retort-roundtrip");
    if (!connection.ok()) {
      ADD_FAILURE() << connection.status().message();
      std::abort();
    }
    return std::move(*connection);
  }

  schema::Database Inspect(pg::Connection& connection) {
    auto database = catalog::Inspect(connection, catalog::InspectOptions{});
    if (!database.ok()) {
      ADD_FAILURE() << database.status().message();
      return {};
    }
    return std::move(*database);
  }

  // Applies `sql` through the same path as schema files (file:line in errors; statements that
  // refuse a transaction block run on their own).
  bool ApplyText(pg::Connection& connection, const TempDir& dir, const std::string& name,
                 const std::string& sql) {
    std::string path = dir.Write(name, sql);
    Status applied = devdb::ApplySqlFiles(connection, std::vector<std::string>{path});
    if (!applied.ok()) ADD_FAILURE() << applied.message();
    return applied.ok();
  }

  // Equal models; otherwise the SQL between them and the create-script lines that differ.
  void ExpectSame(const schema::Database& actual, const schema::Database& expected,
                  const std::string& what) {
    if (actual == expected) return;
    render::MigrationSql sql = render::RenderMigration(actual, expected);
    std::vector<std::string> actual_lines = SortedLines(render::RenderCreateScript(actual));
    std::vector<std::string> expected_lines = SortedLines(render::RenderCreateScript(expected));
    ADD_FAILURE() << what << ": the models differ. SQL from actual to expected:\n"
                  << sql.upgrade.substr(0, 6000) << "\ncreate-script lines only in actual:\n"
                  << Missing(actual_lines, expected_lines) << "only in expected:\n"
                  << Missing(expected_lines, actual_lines);
  }
};

TEST_P(RoundTrip, RebuildsComparesAndTearsDown) {
  const SchemaCase& schema_case = GetParam();
  if (schema_case.from_package) {
    for (const std::string& file : schema_case.files) {
      if (PathExists(file)) continue;
      std::string message = file + " is missing: run scripts/fetch_schemas.sh (cache " +
                            SchemaCache() + ", or set RETORT_SCHEMA_CACHE)";
      if (::retort::testing::InCi()) FAIL() << message;
      GTEST_SKIP() << message;
    }
  }
  RETORT_REQUIRE_PG(pg);
  TempDir dir;
  std::string s_name = pg->CreateDatabase("rt_s");
  std::string r_name = pg->CreateDatabase("rt_r");
  std::string e_name = pg->CreateDatabase("rt_e");

  std::vector<std::string> missing_extensions =
      UnavailableExtensions(pg, e_name, schema_case.files);
  if (!missing_extensions.empty()) {
    std::string names;
    for (const std::string& name : missing_extensions) names += " " + name;
    std::cout << "[roundtrip] " << schema_case.name
              << ": skipped, needs extensions not installed here:" << names << std::endl;
    GTEST_SKIP() << schema_case.name << " needs extensions not installed here:" << names;
  }

  // The files as loaded: preprocessed copies when the case needs them.
  std::vector<std::string> files = schema_case.files;
  if (schema_case.preprocess) {
    for (size_t i = 0; i < files.size(); ++i) {
      auto text = ReadFile(files[i]);
      ASSERT_TRUE(text.ok()) << text.status().message();
      files[i] = dir.Write("s" + std::to_string(i) + "_" + fs::path(files[i]).filename().string(),
                           schema_case.preprocess(*text));
    }
  }

  pg::Connection s = Open(pg, s_name);
  pg::Connection r = Open(pg, r_name);
  pg::Connection e = Open(pg, e_name);
  std::ostringstream timings;

  auto started = Clock::now();
  Status loaded = devdb::ApplySqlFiles(s, files);
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  timings << " load " << static_cast<int>(MsSince(started)) << "ms";

  started = Clock::now();
  schema::Database desired = Inspect(s);
  schema::Database empty = Inspect(e);
  ASSERT_FALSE(HasFailure());
  timings << ", inspect " << static_cast<int>(MsSince(started)) << "ms";

  started = Clock::now();
  render::MigrationSql sql = render::RenderMigration(empty, desired);
  timings << ", diff " << static_cast<int>(MsSince(started)) << "ms";
  ASSERT_FALSE(sql.upgrade.empty());

  // (a) the upgrade from empty rebuilds S.
  started = Clock::now();
  ASSERT_TRUE(ApplyText(r, dir, "up.sql", sql.upgrade)) << "the upgrade from empty fails";
  timings << ", apply up " << static_cast<int>(MsSince(started)) << "ms";
  started = Clock::now();
  schema::Database rebuilt = Inspect(r);
  timings << ", inspect " << static_cast<int>(MsSince(started)) << "ms";
  ExpectSame(rebuilt, desired, "(a) rebuilt from the upgrade");
  EXPECT_EQ(render::RenderCreateScript(rebuilt), render::RenderCreateScript(desired));

  started = Clock::now();
  std::vector<std::string> dump_s = SortedSchemaDump(pg, s_name);
  std::vector<std::string> dump_r = SortedSchemaDump(pg, r_name);
  timings << ", pg_dump x2 (" << dump_s.size() << " lines) " << static_cast<int>(MsSince(started))
          << "ms";
  EXPECT_TRUE(dump_s == dump_r) << "(a) pg_dump --schema-only differs. Lines only in S:\n"
                                << Missing(dump_s, dump_r) << "only in the rebuilt database:\n"
                                << Missing(dump_r, dump_s);

  // (b) nothing left to diff.
  started = Clock::now();
  render::MigrationSql second = render::RenderMigration(desired, rebuilt);
  timings << ", second diff " << static_cast<int>(MsSince(started)) << "ms";
  EXPECT_TRUE(second.empty()) << "(b) a second diff is not empty:\n"
                              << second.upgrade.substr(0, 6000);

  // (c) the downgrade takes the rebuilt database back to empty.
  started = Clock::now();
  ASSERT_TRUE(ApplyText(r, dir, "down.sql", sql.downgrade)) << "the downgrade fails";
  timings << ", apply down " << static_cast<int>(MsSince(started)) << "ms";
  ExpectSame(Inspect(r), empty, "(c) after the downgrade");
  std::vector<std::string> dump_down = SortedSchemaDump(pg, r_name);
  std::vector<std::string> dump_empty = SortedSchemaDump(pg, e_name);
  EXPECT_TRUE(dump_down == dump_empty)
      << "(c) pg_dump --schema-only after the downgrade differs from an empty database's. Lines "
         "left over:\n"
      << Missing(dump_down, dump_empty) << "missing:\n"
      << Missing(dump_empty, dump_down);

  size_t foreign_keys = std::count_if(desired.constraints.begin(), desired.constraints.end(),
                                      [](const schema::Constraint& c) { return c.type == 'f'; });
  size_t checks = std::count_if(desired.constraints.begin(), desired.constraints.end(),
                                [](const schema::Constraint& c) { return c.type == 'c'; });
  std::cout << "[roundtrip] " << schema_case.name << ": " << desired.tables.size() << " tables, "
            << foreign_keys << " FKs, " << checks << " checks, " << desired.indexes.size()
            << " indexes, " << desired.enums.size() << " enums, " << desired.functions.size()
            << " functions, " << desired.triggers.size() << " triggers, " << desired.views.size()
            << " views; " << SortedLines(sql.upgrade).size() << " lines up;" << timings.str()
            << std::endl;
}

INSTANTIATE_TEST_SUITE_P(Schemas, RoundTrip, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<SchemaCase>& param) {
                           std::string name = param.param.name;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace retort
