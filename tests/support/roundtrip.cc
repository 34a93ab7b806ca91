#include "support/roundtrip.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iterator>
#include <map>
#include <regex>
#include <sstream>

#include "base/files.h"
#include "catalog/inspect.h"
#include "devdb/scratch.h"
#include "pg/connection.h"
#include "render/render.h"
#include "support/printed_definitions.h"

namespace retort::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

long MsSince(Clock::time_point start) {
  return static_cast<long>(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
}

std::string PgBinary(PgHarness* pg, const std::string& name) {
  std::string path = pg->bin_dir() + "/" + name;
  return fs::exists(path) ? path : "/usr/bin/" + name;
}

// `pg_dump --schema-only` as sorted lines, without comments, blank lines and pg_dump 15.20's
// per-run `\restrict KEY` / `\unrestrict KEY` lines. nullopt (and a problem) when it fails.
std::optional<std::vector<std::string>> SortedSchemaDump(PgHarness* pg, const std::string& db,
                                                         std::vector<std::string>* problems) {
  CommandOutput dump = RunProgram(
      {PgBinary(pg, "pg_dump"), "--schema-only", "--no-owner", "-d", pg->ConnInfo(db)}, "");
  if (dump.exit_code != 0) {
    problems->push_back("pg_dump of " + db + " fails: " + dump.err);
    return std::nullopt;
  }
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

// Lines of `a` missing from `b` (multiset difference of sorted lines), at most `limit`.
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

std::optional<schema::Database> Inspect(pg::Connection& connection,
                                        std::vector<std::string>* problems) {
  auto database = catalog::Inspect(connection, catalog::InspectOptions{});
  if (!database.ok()) {
    problems->push_back("inspect fails: " + database.status().message());
    return std::nullopt;
  }
  return std::move(*database);
}

// Equal models; otherwise a problem with the SQL between them and the create-script lines that
// differ.
void CompareModels(const schema::Database& actual, const schema::Database& expected,
                   const std::string& what, std::vector<std::string>* problems) {
  if (actual == expected) return;
  render::MigrationSql sql = render::RenderMigration(actual, expected);
  std::vector<std::string> actual_lines = SortedLines(render::RenderCreateScript(actual));
  std::vector<std::string> expected_lines = SortedLines(render::RenderCreateScript(expected));
  problems->push_back(what + ": the models differ. SQL from actual to expected:\n" +
                      sql.upgrade.substr(0, 6000) + "\ncreate-script lines only in actual:\n" +
                      Missing(actual_lines, expected_lines) + "only in expected:\n" +
                      Missing(expected_lines, actual_lines));
}

// The pg_dump lines that state a named-only object of each kind (UnmodelledObject::kind):
// retort cannot create those, so S's dump may have them and the rebuilt one not. A kind not
// listed here excuses no line.
const std::map<std::string, std::regex>& NamedOnlyDumpLines() {
  static const std::map<std::string, std::regex> kLines = {
      {"clustered index", std::regex(R"(^ALTER TABLE .* CLUSTER ON )")},
      {"column setting", std::regex(R"(^ALTER (TABLE|MATERIALIZED VIEW) .* ALTER COLUMN .* )"
                                    R"(SET (\(|STATISTICS |STORAGE ))")},
  };
  return kLines;
}

// Removes from `lines` those that state a named-only object of a kind `database` has.
void DropNamedOnlyLines(const schema::Database& database, std::vector<std::string>* lines) {
  std::vector<const std::regex*> patterns;
  for (const schema::UnmodelledObject& object : database.unmodelled) {
    auto found = NamedOnlyDumpLines().find(object.kind);
    if (found != NamedOnlyDumpLines().end()) patterns.push_back(&found->second);
  }
  std::erase_if(*lines, [&patterns](const std::string& line) {
    return std::any_of(patterns.begin(), patterns.end(), [&line](const std::regex* pattern) {
      return std::regex_search(line, *pattern);
    });
  });
}

void CompareDumps(const std::vector<std::string>& actual, const std::vector<std::string>& expected,
                  const std::string& what, std::vector<std::string>* problems) {
  if (actual == expected) return;
  problems->push_back(what + ": pg_dump --schema-only differs. Lines only in the first:\n" +
                      Missing(actual, expected) + "only in the second:\n" +
                      Missing(expected, actual));
}

// Applies `sql` through the same path as schema files (file:line in errors; statements that
// refuse a transaction block run on their own).
bool ApplyText(pg::Connection& connection, const TempDir& dir, const std::string& name,
               const std::string& sql, std::vector<std::string>* problems) {
  std::string path = dir.Write(name, sql);
  Status applied = devdb::ApplySqlFiles(connection, std::vector<std::string>{path});
  if (!applied.ok()) problems->push_back(name + " fails: " + applied.message());
  return applied.ok();
}

std::optional<pg::Connection> Open(PgHarness* pg, const std::string& dbname,
                                   std::vector<std::string>* problems) {
  auto connection = pg::Connection::Open(pg->ConnInfo(dbname), "retort-roundtrip");
  if (!connection.ok()) {
    problems->push_back(connection.status().message());
    return std::nullopt;
  }
  return std::move(*connection);
}

}  // namespace

bool RoundTripper::EnsureEmptyReference() {
  if (empty_model_) return true;
  std::vector<std::string> problems;
  empty_name_ = pg_->CreateDatabase("rt_empty");
  std::optional<pg::Connection> empty = Open(pg_, empty_name_, &problems);
  if (!empty) return false;
  empty_model_ = Inspect(*empty, &problems);
  auto dump = SortedSchemaDump(pg_, empty_name_, &problems);
  if (!empty_model_ || !dump) {
    empty_model_.reset();
    return false;
  }
  empty_dump_ = std::move(*dump);
  return true;
}

RoundTripResult RoundTripper::Run(const std::vector<std::string>& files) {
  RoundTripResult result;
  std::vector<std::string>& problems = result.problems;
  if (!EnsureEmptyReference()) {
    problems.push_back("cannot read the empty reference database");
    return result;
  }
  std::string s_name = pg_->CreateDatabase("rt_s");
  if (reusable_target_.empty()) reusable_target_ = pg_->CreateDatabase("rt_r");
  // Taken: the next round trip gets it back only if this one leaves it empty.
  std::string r_name = std::exchange(reusable_target_, std::string());
  TempDir dir;
  std::ostringstream timings;
  {
    std::optional<pg::Connection> s = Open(pg_, s_name, &problems);
    std::optional<pg::Connection> r = Open(pg_, r_name, &problems);
    if (!s || !r) return result;

    auto started = Clock::now();
    Status loaded = devdb::ApplySqlFiles(*s, files);
    if (!loaded.ok()) {
      problems.push_back("loading the schema fails: " + loaded.message());
      return result;
    }
    result.loaded = true;
    timings << " load " << MsSince(started) << "ms";

    started = Clock::now();
    std::optional<schema::Database> desired = Inspect(*s, &problems);
    if (!desired) return result;
    result.desired = std::move(*desired);
    timings << ", inspect " << MsSince(started) << "ms";
    // The definitions retort printed itself are PostgreSQL's text.
    for (std::string& problem : DefinitionsUnlikePostgres(pg_, s_name, result.desired)) {
      problems.push_back("S's " + std::move(problem));
    }
    // What the round trip can rebuild: S without its named-only objects (retort cannot plan
    // those; the corpus test pins which kinds each schema has).
    schema::Database modelled = result.desired;
    modelled.unmodelled.clear();

    started = Clock::now();
    render::MigrationSql sql = render::RenderMigration(*empty_model_, modelled);
    timings << ", diff " << MsSince(started) << "ms";
    result.upgrade_lines = SortedLines(sql.upgrade).size();
    if (sql.upgrade.empty()) {
      problems.push_back("diff(empty -> S) is empty");
      return result;
    }

    // (a) the upgrade from empty rebuilds S.
    started = Clock::now();
    if (!ApplyText(*r, dir, "up.sql", sql.upgrade, &problems)) return result;
    timings << ", apply up " << MsSince(started) << "ms";
    started = Clock::now();
    std::optional<schema::Database> rebuilt = Inspect(*r, &problems);
    if (!rebuilt) return result;
    timings << ", inspect " << MsSince(started) << "ms";
    CompareModels(*rebuilt, modelled, "(a) rebuilt from the upgrade", &problems);

    started = Clock::now();
    auto dump_s = SortedSchemaDump(pg_, s_name, &problems);
    auto dump_r = SortedSchemaDump(pg_, r_name, &problems);
    timings << ", pg_dump x2 (" << (dump_s ? dump_s->size() : 0) << " lines) " << MsSince(started)
            << "ms";
    if (dump_s && dump_r) {
      DropNamedOnlyLines(result.desired, &*dump_s);
      CompareDumps(*dump_s, *dump_r, "(a) S and the rebuilt database", &problems);
    }

    // (b) nothing left to diff.
    started = Clock::now();
    render::MigrationSql second = render::RenderMigration(modelled, *rebuilt);
    timings << ", second diff " << MsSince(started) << "ms";
    if (!second.empty()) {
      problems.push_back("(b) a second diff is not empty:\n" + second.upgrade.substr(0, 6000));
    }

    // (c) the downgrade takes the rebuilt database back to empty. pg_dump sees every object
    // the catalog reads (and more), so an equal dump makes a model comparison redundant; the
    // models are compared only to explain a difference.
    started = Clock::now();
    if (!ApplyText(*r, dir, "down.sql", sql.downgrade, &problems)) return result;
    timings << ", apply down " << MsSince(started) << "ms";
    auto dump_down = SortedSchemaDump(pg_, r_name, &problems);
    if (dump_down && *dump_down == empty_dump_) {
      reusable_target_ = r_name;
    } else if (dump_down) {
      CompareDumps(*dump_down, empty_dump_, "(c) after the downgrade and an empty database",
                   &problems);
      if (std::optional<schema::Database> after = Inspect(*r, &problems)) {
        CompareModels(*after, *empty_model_, "(c) after the downgrade", &problems);
      }
    }
  }
  pg_->Query("postgres", "DROP DATABASE " + pg::QuoteIdent(s_name));
  result.timings = timings.str();
  return result;
}

std::vector<std::string> UnavailableExtensions(PgHarness* pg,
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
          "postgres", "SELECT count(*) FROM pg_available_extensions WHERE name = '" + name + "'");
      if (available == "0") missing.push_back(name);
    }
  }
  return missing;
}

std::vector<KindCount> CountObjects(const schema::Database& database) {
  auto constraints = [&database](schema::ConstraintType type) {
    return static_cast<size_t>(
        std::count_if(database.constraints.begin(), database.constraints.end(),
                      [type](const schema::Constraint& c) { return c.type == type; }));
  };
  size_t columns = 0;
  for (const schema::Table& table : database.tables) columns += table.columns.size();
  size_t materialized = static_cast<size_t>(
      std::count_if(database.views.begin(), database.views.end(),
                    [](const schema::View& view) { return view.materialized; }));
  std::vector<KindCount> counts = {
      {"schemas", database.schemas.size()},
      {"extensions", database.extensions.size()},
      {"enums", database.enums.size()},
      {"domains", database.domains.size()},
      {"composite types", database.composite_types.size()},
      {"sequences", database.sequences.size()},
      {"tables", database.tables.size()},
      {"columns", columns},
      {"primary keys", constraints(schema::ConstraintType::kPrimaryKey)},
      {"unique constraints", constraints(schema::ConstraintType::kUnique)},
      {"check constraints", constraints(schema::ConstraintType::kCheck)},
      {"foreign keys", constraints(schema::ConstraintType::kForeignKey)},
      {"exclusion constraints", constraints(schema::ConstraintType::kExclusion)},
      {"indexes", database.indexes.size()},
      {"views", database.views.size() - materialized},
      {"materialized views", materialized},
      {"functions", database.functions.size()},
      {"triggers", database.triggers.size()},
      {"policies", database.policies.size()},
      {"rules", database.rules.size()},
      {"collations", database.collations.size()},
      {"operators", database.operators.size()},
      {"operator families", database.operator_families.size()},
      {"operator classes", database.operator_classes.size()},
  };
  std::map<std::string, size_t> named_only;
  for (const schema::UnmodelledObject& object : database.unmodelled) ++named_only[object.kind];
  for (const auto& [kind, count] : named_only) counts.push_back({kind, count, false});
  return counts;
}

}  // namespace retort::testing
