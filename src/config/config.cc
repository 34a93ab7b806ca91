#include "config/config.h"

#include "config/naming.h"

// toml++ 3.3 (Debian 12's) states some of its parser's expectations about the input as
// assertions: `[=]` or a value cut short abort a debug build, and in a clang release build the
// assertion is __builtin_assume (undefined behaviour). Its parser reports those inputs as errors
// anyway when the checks are out of the way, as in Debian's own (GCC, NDEBUG) build of the
// library: they are switched off here, the only file that includes toml++ (so no other
// translation unit sees it otherwise). fuzz/config_fuzzer found them once toml++ was compiled in.
#include <toml++/impl/preprocessor.h>
#undef TOML_ASSERT
#define TOML_ASSERT(expr) static_assert(true)
#undef TOML_ASSERT_ASSUME
#define TOML_ASSERT_ASSUME(expr) static_assert(true)
#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <exception>
#include <string_view>
#include <utility>
#include <variant>

#include "base/files.h"
#include "base/strings.h"
#include "config/naming.h"

namespace retort::config {
namespace {

constexpr std::string_view kDefaultConfigName = "retort.toml";

// ---------------------------------------------------------------------------------------------
// The key table: every setting retort.toml understands, one line each. ParseConfig derives the
// set of sections, the "unknown key" errors and the type checks from it.

using StringField = std::string Config::*;
using BoolField = bool Config::*;
using IntField = long long Config::*;  // a whole number >= 0
using ListField = std::vector<std::string> Config::*;
// A key that becomes one entry of a map ([naming_convention] ix = "..." -> map["ix"]).
struct MapEntryField {
  std::map<std::string, std::string> Config::*map;
};
using Field = std::variant<StringField, BoolField, IntField, ListField, MapEntryField>;

// Returns what is wrong with a value ("must contain {rev}"), or nullopt. For an array, every
// element is checked.
using Check = std::optional<std::string> (*)(const std::string& value);

struct KeySpec {
  std::string_view section;
  std::string_view key;
  Field field;
  Check check;
  std::string_view example;  // a valid value, shown when the type is wrong
  // What the key does, for retort.toml(5) (`retort man`): one or two plain sentences.
  std::string_view description;
};

std::optional<std::string> CheckNotEmpty(const std::string& value) {
  if (Trim(value).empty()) return "must not be empty";
  return std::nullopt;
}

std::optional<std::string> CheckIdentifier(const std::string& value) {
  if (value.empty() || value.size() > 63) {
    return "must be a PostgreSQL identifier of 1 to 63 bytes (got " + std::to_string(value.size()) +
           ")";
  }
  if (value.find('\0') != std::string::npos) return "must not contain a NUL byte";
  return std::nullopt;
}

std::optional<std::string> CheckDuration(const std::string& value) {
  Result<long> parsed = ParseDurationMs(value);
  if (!parsed.ok()) return "value " + parsed.status().message();
  return std::nullopt;
}

std::optional<std::string> CheckBackupMode(const std::string& value) {
  if (value != "on" && value != "off") return "must be \"on\" or \"off\" (got \"" + value + "\")";
  return std::nullopt;
}

std::optional<std::string> CheckSize(const std::string& value) {
  Result<long long> parsed = ParseSizeBytes(value);
  if (!parsed.ok()) return "value " + parsed.status().message();
  return std::nullopt;
}

// Calls `on_placeholder` with the name inside every {...}; a message for unbalanced braces.
template <typename OnPlaceholder>
std::optional<std::string> ForEachPlaceholder(const std::string& text,
                                              OnPlaceholder on_placeholder) {
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '}') return "has a '}' without a matching '{'";
    if (text[i] != '{') {
      ++i;
      continue;
    }
    size_t close = text.find_first_of("{}", i + 1);
    if (close == std::string::npos || text[close] != '}') return "has a '{' that is not closed";
    if (std::optional<std::string> problem = on_placeholder(text.substr(i + 1, close - i - 1))) {
      return problem;
    }
    i = close + 1;
  }
  return std::nullopt;
}

std::optional<std::string> CheckFileTemplate(const std::string& value) {
  static constexpr std::string_view kPlaceholders[] = {"year",   "month",  "day", "hour",
                                                       "minute", "second", "rev", "slug"};
  bool has_rev = false;
  std::optional<std::string> problem =
      ForEachPlaceholder(value, [&](const std::string& name) -> std::optional<std::string> {
        if (name == "rev") has_rev = true;
        if (std::find(std::begin(kPlaceholders), std::end(kPlaceholders), name) ==
            std::end(kPlaceholders)) {
          return "has an unknown placeholder {" + name +
                 "} (known: {year} {month} {day} {hour} {minute} {second} {rev} {slug})";
        }
        return std::nullopt;
      });
  if (problem) return problem;
  if (!has_rev) return "must contain {rev} so that every file name is unique";
  if (value.find('/') != std::string::npos) return "must not contain '/' (it names a file)";
  return std::nullopt;
}

std::optional<std::string> CheckNamingTemplate(const std::string& value) {
  if (Trim(value).empty()) return "must not be empty";
  auto convention = NamingConvention::Make({{"ix", value}});
  if (convention.ok()) return std::nullopt;
  // "[naming_convention] ix = "...": <problem>": the key and value are the caller's to name.
  const std::string& message = convention.status().message();
  size_t problem = message.find("\": ");
  return problem == std::string::npos ? message : message.substr(problem + 3);
}

// "package.module:attribute" as SQLAlchemy users write entry points.
std::optional<std::string> CheckImportTarget(const std::string& value) {
  size_t colon = value.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == value.size() ||
      value.find(':', colon + 1) != std::string::npos) {
    return "must be \"module:attribute\", e.g. \"app.models:Base\" (got \"" + value + "\")";
  }
  return std::nullopt;
}

const MapEntryField kNamingConvention{&Config::naming_convention};

const KeySpec kKeys[] = {
    {"database", "url", &Config::database_url, CheckNotEmpty, R"("postgresql://app@localhost/app")",
     "The database that upgrade, downgrade, current, stamp and the other commands work on: a "
     "postgresql:// URL (SQLAlchemy forms such as postgresql+asyncpg:// are converted), a libpq "
     "keyword/value string, or \"embedded\" for a private cluster kept in .retort/. --url, "
     "RETORT_DATABASE_URL and DATABASE_URL win over it; keep passwords in ~/.pgpass or PGPASSWORD "
     "instead."},
    {"migrations", "script_location", &Config::script_location, CheckNotEmpty, R"("migrations")",
     "Directory holding script.sql.tmpl and versions/, relative to the directory of retort.toml."},
    {"migrations", "file_template", &Config::file_template, CheckFileTemplate, R"("{rev}_{slug}")",
     "Name of new migration files (.sql is appended). Placeholders: {year} {month} {day} {hour} "
     "{minute} {second}, {rev} (the revision id, required) and {slug} (from -m)."},
    {"migrations", "version_table", &Config::version_table, CheckIdentifier, R"("retort_version")",
     "Table recording the applied revisions; \"alembic_version\" adopts a database Alembic "
     "manages."},
    {"migrations", "version_table_schema", &Config::version_table_schema, CheckIdentifier,
     R"("public")", "Schema of the version table."},
    {"migrations", "transaction_per_migration", &Config::transaction_per_migration, nullptr, "true",
     "true: each migration runs in its own transaction; false: one transaction for the whole run. "
     "A migration marked \"-- retort:transaction none\" always runs outside one."},
    {"migrations", "lock_timeout", &Config::lock_timeout, CheckDuration, R"("5s")",
     "SET LOCAL lock_timeout in every migration's transaction, so a migration waiting for a lock "
     "gives up instead of blocking the traffic behind it. Units ms, s, min, h, d; a plain number "
     "means milliseconds; \"0\" means no limit."},
    {"migrations", "statement_timeout", &Config::statement_timeout, CheckDuration, R"("0")",
     "SET LOCAL statement_timeout in every migration's transaction; same units as lock_timeout."},
    {"migrations", "lock_retries", &Config::lock_retries, nullptr, "5",
     "How often a migration whose lock_timeout expired is rolled back and retried."},
    {"migrations", "lock_retry_base", &Config::lock_retry_base, CheckDuration, R"("200ms")",
     "The first wait before such a retry; it doubles each time, randomised by up to half."},
    {"migrations", "lock_retry_max", &Config::lock_retry_max, CheckDuration, R"("10s")",
     "The longest wait between two retries."},
    {"backup", "mode", &Config::backup_mode, CheckBackupMode, R"("on")",
     "\"on\": before a statement destroys data (DROP TABLE, DROP COLUMN, TRUNCATE, DELETE without "
     "WHERE) its rows are copied into the backup schema in the same transaction; \"off\" (or "
     "--no-backup) skips that."},
    {"backup", "schema", &Config::backup_schema, CheckIdentifier, R"("retort_backup")",
     "Schema holding the backups (retort backups list, restore ID, prune)."},
    {"schema", "paths", &Config::schema_paths, CheckNotEmpty, R"(["schema"])",
     "Files or directories of plain SQL describing the desired state, for revision --autogenerate, "
     "check and test."},
    {"schema", "dev_url", &Config::dev_url, CheckNotEmpty, R"("embedded")",
     "Scratch server where the desired state and the migrations are applied and compared: "
     "\"embedded\" or a URL."},
    {"schema", "program", &Config::schema_program, CheckNotEmpty,
     R"(["python3", "-m", "app.dump_schema"])",
     "The desired state from a program instead of paths: its standard output is DDL."},
    {"schema", "sqlalchemy", &Config::schema_sqlalchemy, CheckImportTarget, R"("app.models:Base")",
     "The desired state from SQLAlchemy models (\"module:Base\"), through the provider retort "
     "ships, run in python."},
    {"schema", "python", &Config::schema_python, CheckNotEmpty, R"("python3")",
     "The interpreter that runs the sqlalchemy provider."},
    {"schema", "program_timeout", &Config::schema_program_timeout, CheckDuration, R"("120s")",
     "How long program (or the sqlalchemy provider) may run."},
    {"naming_convention", "ix", kNamingConvention, CheckNamingTemplate,
     R"("ix_{table}_{column_0_label}")",
     "Name of indexes the schema leaves unnamed. Tokens: {table}, {referred_table}, "
     "{constraint_name}, {column_0_name}, {column_0_label}, {column_0N_name}, "
     "{referred_column_0_name}, and SQLAlchemy's %(table_name)s forms."},
    {"naming_convention", "uq", kNamingConvention, CheckNamingTemplate,
     R"("uq_{table}_{column_0_name}")", "Name of unnamed unique constraints (same tokens as ix)."},
    {"naming_convention", "ck", kNamingConvention, CheckNamingTemplate,
     R"("ck_{table}_{constraint_name}")", "Name of unnamed check constraints (same tokens as ix)."},
    {"naming_convention", "fk", kNamingConvention, CheckNamingTemplate,
     R"("fk_{table}_{column_0_name}_{referred_table}")",
     "Name of unnamed foreign keys (same tokens as ix)."},
    {"naming_convention", "pk", kNamingConvention, CheckNamingTemplate, R"("pk_{table}")",
     "Name of unnamed primary keys (same tokens as ix)."},
    {"lint", "warning_rows", &Config::lint_warning_rows, nullptr, "10000",
     "retort lint grades a lock or rewrite finding a warning from this many live rows of the table "
     "on."},
    {"lint", "error_rows", &Config::lint_error_rows, nullptr, "1000000",
     "retort lint grades such a finding an error from this many rows on."},
    {"lint", "warning_size", &Config::lint_warning_size, CheckSize, R"("32MB")",
     "The same by table size (pg_total_relation_size; units kB, MB, GB, TB)."},
    {"lint", "error_size", &Config::lint_error_size, CheckSize, R"("1GB")",
     "The size from which such a finding is an error."},
    {"lint", "disable", &Config::lint_disable, CheckNotEmpty, R"(["prefer-text-field"])",
     "Lint rules to skip, by name or code."},
};

// ---------------------------------------------------------------------------------------------

// " (did you mean 'x'?)" for the closest candidate within a typo's distance, else "".
std::string DidYouMean(std::string_view typed, const std::vector<std::string>& candidates,
                       std::string_view quote_open = "'", std::string_view quote_close = "'") {
  std::optional<std::string> best = ClosestMatch(typed, candidates);
  if (!best) return "";
  return " (did you mean " + std::string(quote_open) + *best + std::string(quote_close) + "?)";
}

std::vector<std::string> Sections() {
  std::vector<std::string> sections;
  for (const KeySpec& spec : kKeys) {
    if (std::find(sections.begin(), sections.end(), spec.section) == sections.end()) {
      sections.emplace_back(spec.section);
    }
  }
  return sections;
}

const KeySpec* FindKey(std::string_view section, std::string_view key) {
  for (const KeySpec& spec : kKeys) {
    if (spec.section == section && spec.key == key) return &spec;
  }
  return nullptr;
}

std::string UnknownKeyMessage(std::string_view section, std::string_view key) {
  std::string where = section.empty() ? "at the top level" : "in [" + std::string(section) + "]";
  std::vector<std::string> same_section;
  std::string home;
  for (const KeySpec& spec : kKeys) {
    if (spec.section == section) same_section.emplace_back(spec.key);
    if (spec.key == key && home.empty()) home = spec.section;
  }
  std::string hint =
      home.empty() ? DidYouMean(key, same_section) : " (it belongs in [" + home + "])";
  return "unknown key '" + std::string(key) + "' " + where + hint;
}

std::string TypeName(toml::node_type type) {
  switch (type) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

// Problems found while reading the file, reported together and in file order.
class Problems {
 public:
  explicit Problems(const std::string& path) : path_(path) {}

  void Add(const toml::source_region& where, std::string message) {
    problems_.emplace_back(where.begin.line, std::move(message));
  }

  Status ToStatus() {
    if (problems_.empty()) return Status::Ok();
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> lines;
    for (const auto& [line, message] : problems_) {
      lines.push_back(path_ + ":" + std::to_string(line) + ": " + message);
    }
    return Status::InvalidInput(Join(lines, "\n"));
  }

 private:
  std::string path_;
  std::vector<std::pair<toml::source_index, std::string>> problems_;
};

// Stores one value into `config` as `spec` says, or records why it cannot.
void Apply(const KeySpec& spec, const toml::node& node, Config& config, Problems& problems) {
  std::string name = "[" + std::string(spec.section) + "] " + std::string(spec.key);
  auto wrong_type = [&](std::string_view expected, const toml::node& actual,
                        const std::string& actual_description) {
    problems.Add(actual.source(), name + " must be " + std::string(expected) + ", like " +
                                      std::string(spec.key) + " = " + std::string(spec.example) +
                                      " (" + actual_description + ")");
  };
  auto checked = [&](const toml::node& value_node, const std::string& value) {
    if (spec.check == nullptr) return true;
    std::optional<std::string> problem = spec.check(value);
    if (problem) problems.Add(value_node.source(), name + " " + *problem);
    return !problem;
  };
  auto read_string = [&](const toml::node& value_node,
                         size_t element) -> std::optional<std::string> {
    const toml::value<std::string>* value = value_node.as_string();
    if (value == nullptr && element == 0) {
      wrong_type("a string", value_node, "got " + TypeName(value_node.type()));
      return std::nullopt;
    }
    if (value == nullptr) {
      wrong_type("an array of strings", value_node,
                 "element " + std::to_string(element) + " is " + TypeName(value_node.type()));
      return std::nullopt;
    }
    if (!checked(value_node, value->get())) return std::nullopt;
    return value->get();
  };

  if (const auto* field = std::get_if<StringField>(&spec.field)) {
    if (std::optional<std::string> value = read_string(node, 0)) config.*(*field) = *value;
  } else if (const auto* map_entry = std::get_if<MapEntryField>(&spec.field)) {
    if (std::optional<std::string> value = read_string(node, 0)) {
      (config.*(map_entry->map))[std::string(spec.key)] = *value;
    }
  } else if (const auto* bool_field = std::get_if<BoolField>(&spec.field)) {
    if (const toml::value<bool>* value = node.as_boolean()) {
      config.*(*bool_field) = value->get();
    } else {
      wrong_type("true or false", node, "got " + TypeName(node.type()));
    }
  } else if (const auto* int_field = std::get_if<IntField>(&spec.field)) {
    if (const toml::value<int64_t>* value = node.as_integer()) {
      if (value->get() < 0) {
        problems.Add(node.source(), name + " must not be negative");
      } else {
        config.*(*int_field) = value->get();
      }
    } else {
      wrong_type("a whole number", node, "got " + TypeName(node.type()));
    }
  } else if (const auto* list_field = std::get_if<ListField>(&spec.field)) {
    const toml::array* array = node.as_array();
    if (array == nullptr) {
      wrong_type("an array of strings", node, "got " + TypeName(node.type()));
      return;
    }
    std::vector<std::string> values;
    bool ok = true;
    size_t position = 0;
    for (const toml::node& element : *array) {
      std::optional<std::string> value = read_string(element, ++position);
      ok = ok && value.has_value();
      if (value) values.push_back(*value);
    }
    if (ok) config.*(*list_field) = std::move(values);
  }
}

// [[targets]]: the keys of one group, for the unknown-key check and retort.toml(5).
struct TargetKeyDoc {
  std::string_view key;
  std::string_view default_value;
  std::string_view example;
  std::string_view description;
};
const TargetKeyDoc kTargetKeys[] = {
    {"name", "", R"("tenants")",
     "The group's name, as `retort fleet upgrade NAME` takes it; unique in the file."},
    {"urls", "",
     R"(["postgresql://app@db1/app", { url = "postgresql://app@db2/app", schema = "t7" }])",
     "The targets: database URLs, or { url, schema } for one tenant's schema in a database."},
    {"file", "", R"("fleet/tenants.txt")",
     "Or a file of targets, one a line: URL, or URL and a schema after a blank; # starts a "
     "comment. Relative to the directory of retort.toml; read at every fleet command."},
    {"query", "", R"("SELECT url FROM tenants WHERE active ORDER BY id")",
     "Or a query run on registry_url whose rows are the targets: a `url` column, a `schema` "
     "column, or both (schemas alone are in the registry database itself)."},
    {"registry_url", "", R"("postgresql://ops@registry/tenants")",
     "Where query runs; the [database] url when unset."},
    {"search_path", R"("{schema}, public")", R"("{schema}, public")",
     "The search_path of a schema target's sessions; {schema} is replaced by its quoted name. "
     "The target's version table is kept in that schema."},
    {"canary", "1", "2",
     "How many targets go first, one at a time: the rollout goes on only if they all succeed."},
    {"width", "4", "8", "How many targets are migrated at once after the canaries."},
    {"max_failures", "1", "3",
     "The failure budget: once this many targets have failed, no new target starts (those in "
     "flight finish)."},
};

// One [[targets]] table into a TargetGroup, or the problems with it.
void ParseTargetGroup(const toml::table& table, Config& config, Problems& problems) {
  TargetGroup group;
  group.line = static_cast<int>(table.source().begin.line);
  auto string_value = [&](const toml::node& node,
                          std::string_view key) -> std::optional<std::string> {
    const toml::value<std::string>* value = node.as_string();
    if (value == nullptr) {
      problems.Add(node.source(), "[[targets]] " + std::string(key) + " must be a string (got " +
                                      TypeName(node.type()) + ")");
      return std::nullopt;
    }
    if (Trim(value->get()).empty()) {
      problems.Add(node.source(), "[[targets]] " + std::string(key) + " must not be empty");
      return std::nullopt;
    }
    return value->get();
  };
  auto count_value = [&](const toml::node& node, std::string_view key, long long minimum) {
    const toml::value<int64_t>* value = node.as_integer();
    if (value == nullptr || value->get() < minimum) {
      problems.Add(node.source(), "[[targets]] " + std::string(key) +
                                      " must be a whole number >= " + std::to_string(minimum));
      return minimum;
    }
    return static_cast<long long>(value->get());
  };
  int sources = 0;
  for (const auto& [key, node] : table) {
    std::string_view name = key.str();
    if (name == "name") {
      group.name = string_value(node, name).value_or("");
    } else if (name == "urls") {
      ++sources;
      const toml::array* array = node.as_array();
      if (array == nullptr || array->empty()) {
        problems.Add(node.source(),
                     "[[targets]] urls must be a non-empty array of URLs or "
                     "{ url = \"...\", schema = \"...\" } tables");
        continue;
      }
      for (const toml::node& element : *array) {
        TargetEntry entry;
        if (const toml::table* inline_table = element.as_table()) {
          for (const auto& [entry_key, entry_node] : *inline_table) {
            if (entry_key.str() == "url") {
              entry.url = string_value(entry_node, "url").value_or("");
            } else if (entry_key.str() == "schema") {
              entry.schema = string_value(entry_node, "schema").value_or("");
              if (auto problem = CheckIdentifier(entry.schema); problem && !entry.schema.empty()) {
                problems.Add(entry_node.source(), "[[targets]] schema " + *problem);
              }
            } else {
              problems.Add(entry_key.source(), "unknown key '" + std::string(entry_key.str()) +
                                                   "' in a target (url, schema)");
            }
          }
          if (entry.url.empty()) problems.Add(element.source(), "[[targets]] a target needs a url");
        } else if (auto url = string_value(element, "urls element")) {
          entry.url = *url;
        }
        group.urls.push_back(std::move(entry));
      }
    } else if (name == "file") {
      ++sources;
      group.file = string_value(node, name).value_or("");
    } else if (name == "query") {
      ++sources;
      group.query = string_value(node, name).value_or("");
    } else if (name == "registry_url") {
      group.registry_url = string_value(node, name).value_or("");
    } else if (name == "search_path") {
      group.search_path = string_value(node, name).value_or(group.search_path);
      if (group.search_path.find("{schema}") == std::string::npos) {
        problems.Add(node.source(), "[[targets]] search_path must contain {schema}");
      }
    } else if (name == "canary") {
      group.canary = count_value(node, name, 0);
    } else if (name == "width") {
      group.width = count_value(node, name, 1);
    } else if (name == "max_failures") {
      group.max_failures = count_value(node, name, 1);
    } else {
      std::vector<std::string> known;
      for (const TargetKeyDoc& doc : kTargetKeys) known.emplace_back(doc.key);
      problems.Add(key.source(), "unknown key '" + std::string(name) + "' in [[targets]]" +
                                     DidYouMean(name, known));
    }
  }
  if (group.name.empty()) {
    problems.Add(table.source(), "[[targets]] needs a name");
  } else if (std::any_of(config.target_groups.begin(), config.target_groups.end(),
                         [&](const TargetGroup& other) { return other.name == group.name; })) {
    problems.Add(table.source(), "[[targets]] name '" + group.name + "' is used twice");
  }
  if (sources != 1) {
    problems.Add(table.source(), "[[targets]] '" + group.name +
                                     "' needs exactly one of urls, file and query (it has " +
                                     std::to_string(sources) + ")");
  }
  if (!group.registry_url.empty() && group.query.empty()) {
    problems.Add(table.source(), "[[targets]] registry_url is only used with query");
  }
  config.target_groups.push_back(std::move(group));
}

// TOML allows characters beyond ASCII only in strings and comments, and toml++ 3.3 (Debian
// 12's) must not see one anywhere else: its test for Unicode white space reaches
// __builtin_unreachable for most of them (`[é]`, undefined behaviour; fuzz/config_fuzzer found
// it once toml++ was compiled in). They are refused by name here first, and so is an
// unterminated string, which toml++ would read on past.
Status CheckNonAsciiOutsideStrings(std::string_view text, const std::string& path) {
  int line = 1;
  auto refuse = [&](const std::string& what) {
    return Status::InvalidInput(path + ":" + std::to_string(line) + ": " + what);
  };
  // A quote opens a string only where a key or value can start; anywhere else toml++ reads it
  // as a stray character, and what follows it is not a string to toml++ either.
  char before = '\n';  // the last character outside strings and comments, blanks aside
  // A UTF-8 byte order mark may open the file (toml++ skips it).
  for (size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (c == '\n') {
      ++line;
      before = c;
    } else if (c == '#') {  // a comment, to the end of the line
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
    } else if ((c == '"' || c == '\'') &&
               std::string_view("\n=[,{.").find(before) != std::string_view::npos) {
      bool multi = text.substr(i, 3) == std::string(3, c);
      std::string close(multi ? 3 : 1, c);
      size_t at = i + close.size();
      int lines = 0;
      while (at < text.size() && text.substr(at, close.size()) != close) {
        if (text[at] == '\\' && c == '"' && at + 1 < text.size()) ++at;  // an escape
        if (text[at] == '\n' && !multi) return refuse("unterminated string");
        if (text[at] == '\n') ++lines;
        ++at;
      }
      if (at >= text.size()) return refuse("unterminated string");
      line += lines;
      i = at + close.size() - 1;
      before = c;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      return refuse(
          "a character beyond ASCII outside a string or comment (TOML keys are ASCII letters, "
          "digits, _ and -; quote other names)");
    } else {
      before = c;
    }
  }
  return Status::Ok();
}

Result<toml::table> ParseToml(const std::string& toml_text, const std::string& path) {
  RETORT_RETURN_IF_ERROR(CheckNonAsciiOutsideStrings(toml_text, path));
  auto describe = [&](const toml::parse_error& error) {
    const toml::source_position& where = error.source().begin;
    return Status::InvalidInput(path + ":" + std::to_string(where.line) + ":" +
                                std::to_string(where.column) + ": " +
                                std::string(error.description()));
  };
#if TOML_EXCEPTIONS
  try {
    return toml::parse(toml_text, path);
  } catch (const toml::parse_error& error) {
    return describe(error);
  } catch (const std::exception& error) {
    return Status::Failed(path + ": cannot read: " + error.what());
  }
#else
  toml::parse_result result = toml::parse(toml_text, path);
  if (!result) return describe(result.error());
  return std::move(result).table();
#endif
}

std::optional<std::string> NonEmptyEnv(const GetEnv& env, const std::string& name) {
  if (!env) return std::nullopt;
  std::optional<std::string> value = env(name);
  if (value && Trim(*value).empty()) return std::nullopt;
  return value;
}

// The libpq variables that say which server or database to reach. PGUSER, PGPORT or PGPASSWORD
// alone do not: set for psql's convenience, they must not send retort to a default database.
constexpr const char* kLibpqTargetVariables[] = {"PGHOST", "PGHOSTADDR", "PGDATABASE", "PGSERVICE"};

}  // namespace

std::string Config::ScriptDirectory() const {
  return AbsolutePath(JoinPath(project_dir, script_location));
}

std::string Config::VersionsDirectory() const { return JoinPath(ScriptDirectory(), "versions"); }

std::string Config::EmbeddedDirectory() const {
  return AbsolutePath(JoinPath(project_dir, ".retort"));
}

GetEnv ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<Config> ParseConfig(const std::string& toml_text, const std::string& path) {
  RETORT_ASSIGN_OR_RETURN(toml::table root, ParseToml(toml_text, path));
  Config config;
  Problems problems(path);
  std::vector<std::string> sections = Sections();
  for (const auto& [section_key, section_node] : root) {
    std::string_view section = section_key.str();
    if (section == "targets") {
      const toml::array* groups = section_node.as_array();
      if (groups == nullptr || !groups->is_array_of_tables()) {
        problems.Add(section_key.source(),
                     "targets must be an array of tables: one [[targets]] section per group");
        continue;
      }
      for (const toml::node& group : *groups) ParseTargetGroup(*group.as_table(), config, problems);
      continue;
    }
    bool known = std::find(sections.begin(), sections.end(), section) != sections.end();
    const toml::table* table = section_node.as_table();
    if (table == nullptr) {
      problems.Add(section_key.source(), known ? "[" + std::string(section) +
                                                     "] must be a table (a [" +
                                                     std::string(section) + "] section)"
                                               : UnknownKeyMessage("", section));
      continue;
    }
    if (!known) {
      problems.Add(section_key.source(), "unknown section [" + std::string(section) + "]" +
                                             DidYouMean(section, sections, "[", "]"));
      continue;
    }
    for (const auto& [key, node] : *table) {
      const KeySpec* spec = FindKey(section, key.str());
      if (spec == nullptr) {
        problems.Add(key.source(), UnknownKeyMessage(section, key.str()));
        continue;
      }
      Apply(*spec, node, config, problems);
    }
  }
  RETORT_RETURN_IF_ERROR(problems.ToStatus());
  return config;
}

Status MissingConfigError() {
  return Status::InvalidInput(std::string(kDefaultConfigName) + " not found in " +
                              DirName(AbsolutePath(std::string(kDefaultConfigName))) +
                              " (run `retort init`, or pass --config)");
}

Result<Config> LoadConfig(const Overrides& overrides, const GetEnv& env) {
  std::string path = overrides.config_path.value_or(std::string(kDefaultConfigName));
  if (overrides.config_path && IsDirectory(path)) {
    path = JoinPath(path, std::string(kDefaultConfigName));
  }
  Config config;
  if (!PathExists(path)) {
    if (overrides.config_path) {
      return Status::InvalidInput(path + ": config file not found (check --config)");
    }
    if (!overrides.project_optional) return MissingConfigError();
    config.project_dir = DirName(AbsolutePath(path));
  } else {
    if (IsDirectory(path)) {
      return Status::InvalidInput(path + ": is a directory, not a config file");
    }
    RETORT_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    RETORT_RETURN_IF_ERROR(CheckTextFile(text, path));
    RETORT_ASSIGN_OR_RETURN(config, ParseConfig(text, path));
    config.config_path = AbsolutePath(path);
    config.project_dir = DirName(config.config_path);
  }

  if (overrides.url) {
    // An empty --url is usually an unset shell variable; falling back to another URL could
    // reach the wrong database.
    if (Trim(*overrides.url).empty()) return Status::InvalidInput("--url is empty");
    config.database_url = *overrides.url;
  } else if (std::optional<std::string> url = NonEmptyEnv(env, "RETORT_DATABASE_URL")) {
    config.database_url = *url;
  } else if (std::optional<std::string> fallback = NonEmptyEnv(env, "DATABASE_URL")) {
    config.database_url = *fallback;
  } else if (config.database_url.empty()) {
    // No URL anywhere: connect as psql would, with libpq filling in every setting from its
    // environment (and ~/.pgpass, service files), when that environment names a target.
    bool named = std::any_of(std::begin(kLibpqTargetVariables), std::end(kLibpqTargetVariables),
                             [&](const char* variable) { return NonEmptyEnv(env, variable); });
    if (named) config.database_url = kLibpqDefaultsUrl;
  }
  // CI points the scratch databases at its own server without editing the developers'
  // retort.toml, where dev_url is usually "embedded".
  if (std::optional<std::string> dev_url = NonEmptyEnv(env, "RETORT_DEV_URL")) {
    config.dev_url = *dev_url;
  }
  return config;
}

Result<long long> ParseSizeBytes(const std::string& text) {
  auto invalid = [&] {
    return Status::InvalidInput("\"" + text +
                                "\" is not a size (use a whole number with a unit: \"512kB\", "
                                "\"32MB\", \"1GB\", \"1TB\"; a plain number means bytes)");
  };
  std::string_view trimmed = Trim(text);
  size_t digits = 0;
  long long number = 0;
  while (digits < trimmed.size() && std::isdigit(static_cast<unsigned char>(trimmed[digits]))) {
    if (number > (LLONG_MAX - 9) / 10) return invalid();
    number = number * 10 + (trimmed[digits] - '0');
    ++digits;
  }
  if (digits == 0) return invalid();
  std::string_view unit = Trim(trimmed.substr(digits));
  static constexpr std::pair<std::string_view, long long> kUnits[] = {
      {"", 1},           {"B", 1},          {"kB", 1LL << 10},
      {"MB", 1LL << 20}, {"GB", 1LL << 30}, {"TB", 1LL << 40}};
  for (const auto& [unit_name, factor] : kUnits) {
    if (unit != unit_name) continue;
    if (number > LLONG_MAX / factor) return invalid();
    return number * factor;
  }
  return invalid();
}

Result<long> ParseDurationMs(const std::string& text) {
  auto invalid = [&] {
    return Status::InvalidInput(
        "\"" + text +
        "\" is not a duration (use a whole number with a unit: \"250ms\", \"5s\", "
        "\"2min\", \"1h\", \"1d\"; a plain number means milliseconds, "
        "\"0\" means no limit)");
  };
  std::string_view trimmed = Trim(text);
  size_t digits = 0;
  long number = 0;
  while (digits < trimmed.size() && std::isdigit(static_cast<unsigned char>(trimmed[digits]))) {
    if (number > (LONG_MAX - 9) / 10) return invalid();
    number = number * 10 + (trimmed[digits] - '0');
    ++digits;
  }
  if (digits == 0) return invalid();
  std::string_view unit = Trim(trimmed.substr(digits));
  static constexpr std::pair<std::string_view, long> kUnits[] = {
      {"", 1}, {"ms", 1}, {"s", 1000}, {"min", 60 * 1000}, {"h", 3600 * 1000}, {"d", 86400 * 1000}};
  for (const auto& [name, factor] : kUnits) {
    if (unit != name) continue;
    // PostgreSQL's timeouts are int4 milliseconds.
    if (number > INT_MAX / factor) {
      return Status::InvalidInput("\"" + text + "\" is too long (at most " +
                                  std::to_string(INT_MAX) + "ms, about 24 days)");
    }
    return number * factor;
  }
  return invalid();
}

namespace {

// Whether `line` sets `key` ("key = ...", or "# key = ..." commented out).
bool SetsKey(std::string_view line, std::string_view key) {
  std::string_view text = Trim(line);
  if (StartsWith(text, "#")) text = Trim(text.substr(1));
  if (!StartsWith(text, key)) return false;
  text = Trim(text.substr(key.size()));
  return StartsWith(text, "=");
}

bool IsSectionHeader(std::string_view line) { return StartsWith(Trim(line), "["); }

}  // namespace

std::string SetTomlKey(const std::string& text, const std::string& section, const std::string& key,
                       const std::string& value_literal) {
  std::vector<std::string> lines = Split(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  const std::string setting = key + " = " + value_literal;
  const std::string header = "[" + section + "]";
  size_t start = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view trimmed = Trim(lines[i]);
    if (StartsWith(trimmed, header)) {
      start = i;
      break;
    }
  }
  if (start == lines.size()) {
    if (!lines.empty() && !Trim(lines.back()).empty()) lines.emplace_back("");
    lines.push_back(header);
    lines.push_back(setting);
  } else {
    size_t end = start + 1;
    while (end < lines.size() && !IsSectionHeader(lines[end])) ++end;
    size_t found = end;
    for (size_t i = start + 1; i < end; ++i) {
      if (SetsKey(lines[i], key)) {
        // A live setting wins over a commented-out one.
        bool live = !StartsWith(Trim(lines[i]), "#");
        if (found == end || live) found = i;
        if (live) break;
      }
    }
    if (found != end) {
      lines[found] = setting;
    } else {
      size_t last = end;
      while (last > start + 1 && Trim(lines[last - 1]).empty()) --last;
      lines.insert(lines.begin() + static_cast<long>(last), setting);
    }
  }
  return Join(lines, "\n") + "\n";
}

std::string DefaultConfigToml() {
  return R"(# retort configuration. Every key is optional; the values below are the defaults.
# Relative paths are relative to the directory holding this file.

[database]
# The database that upgrade, downgrade, current, stamp, ... work on.
# RETORT_DATABASE_URL or DATABASE_URL in the environment, or --url on the command line, win
# over this setting. Without any of them, libpq's PGHOST, PGHOSTADDR, PGDATABASE or PGSERVICE
# choose the database as they do for psql. Accepted forms:
#   postgresql://user@host:5432/dbname?sslmode=require
#   postgresql+asyncpg://... and postgresql+psycopg2://... (SQLAlchemy URLs are converted)
#   host=localhost dbname=app         (a libpq keyword/value string)
#   embedded                          (a private PostgreSQL cluster kept in .retort/)
# Keep passwords out of this file: use ~/.pgpass, PGPASSWORD or the environment instead.
url = "embedded"

[migrations]
# Directory holding script.sql.tmpl and versions/.
script_location = "migrations"
# Name of new migration files (".sql" is appended). Placeholders: {year} {month} {day}
# {hour} {minute} {second}, {rev} (the revision id, required), {slug} (from -m).
file_template = "{year}{month}{day}_{hour}{minute}-{rev}_{slug}"
# Table recording the applied revisions. Set "alembic_version" to adopt an Alembic database.
version_table = "retort_version"
version_table_schema = "public"
# true: each migration runs in its own transaction. false: one transaction for the whole
# upgrade. A migration marked "-- retort:transaction none" always runs outside one.
transaction_per_migration = true
# SET lock_timeout / statement_timeout inside every migration's transaction, so a migration
# waiting for a lock gives up instead of blocking all traffic behind it.
# Units: ms, s, min, h, d; a plain number means milliseconds; "0" means no limit.
lock_timeout = "5s"
statement_timeout = "0"
# When lock_timeout expires, the migration's whole transaction is rolled back and retried up
# to lock_retries times, waiting lock_retry_base * 2^n (at most lock_retry_max, randomised
# by up to half) in between. Readers then wait at most lock_timeout behind a migration.
lock_retries = 5
lock_retry_base = "200ms"
lock_retry_max = "10s"

[backup]
# Before a statement destroys data (DROP TABLE, DROP COLUMN, TRUNCATE, DELETE without
# WHERE), its rows are copied into this schema, in the same transaction.
# `retort backups list | restore ID | prune --older-than 30d`; "off" (or --no-backup) skips it.
mode = "on"
schema = "retort_backup"

[schema]
# Files or directories of plain SQL describing the desired state, for
# `revision --autogenerate` and `check`.
paths = ["schema"]
# Scratch server where the desired state is applied and compared; "embedded" or a URL.
# RETORT_DEV_URL in the environment overrides it (CI's own server).
dev_url = "embedded"
# Or take the desired state from the application's models instead of paths:
# program = ["python3", "-m", "app.dump_schema"]   # its standard output is DDL
# sqlalchemy = "app.models:Base"                   # the SQLAlchemy provider retort ships
# python = "python3"                               # the interpreter for `sqlalchemy`

[naming_convention]
# Names given to constraints and indexes that the schema leaves unnamed, so that autogenerated
# migrations can drop them again. Tokens: {table}, {referred_table}, {constraint_name},
# {column_0_name}, {column_0_label}, {column_0N_name}, {referred_column_0_name}, ...
ix = "ix_{table}_{column_0_label}"
uq = "uq_{table}_{column_0_name}"
ck = "ck_{table}_{constraint_name}"
fk = "fk_{table}_{column_0_name}_{referred_table}"
pk = "pk_{table}"

# Fleets: `retort fleet upgrade|downgrade|status|drift|check GROUP` over a group of databases
# (or tenant schemas), canaries first, then `width` at a time. docs/fleet.md.
# [[targets]]
# name = "tenants"
# urls = ["postgresql://app@db1/app", { url = "postgresql://app@db2/app", schema = "tenant_7" }]
# (or) file = "fleet/tenants.txt"
# (or) query = "SELECT url FROM tenants ORDER BY id"   # run on registry_url
# canary = 1
# width = 4
# max_failures = 1
)";
}

namespace {

// A key's default as TOML, read from a default Config; "" when unset by default.
std::string DefaultAsToml(const Field& field) {
  static const Config defaults;
  auto quoted = [](const std::string& text) { return "\"" + text + "\""; };
  if (auto* string_field = std::get_if<StringField>(&field)) {
    const std::string& value = defaults.*(*string_field);
    return value.empty() ? "" : quoted(value);
  }
  if (auto* bool_field = std::get_if<BoolField>(&field)) {
    return defaults.*(*bool_field) ? "true" : "false";
  }
  if (auto* int_field = std::get_if<IntField>(&field)) {
    return std::to_string(defaults.*(*int_field));
  }
  if (auto* list_field = std::get_if<ListField>(&field)) {
    const std::vector<std::string>& values = defaults.*(*list_field);
    if (values.empty()) return "";
    std::vector<std::string> items;
    for (const std::string& value : values) items.push_back(quoted(value));
    return "[" + Join(items, ", ") + "]";
  }
  return "";  // a naming convention entry: none by default
}

}  // namespace

std::vector<KeyDoc> DocumentedKeys() {
  std::vector<KeyDoc> keys;
  for (const KeySpec& spec : kKeys) {
    keys.push_back(
        {spec.section, spec.key, DefaultAsToml(spec.field), spec.example, spec.description});
  }
  for (const TargetKeyDoc& doc : kTargetKeys) {
    keys.push_back(
        {"targets", doc.key, std::string(doc.default_value), doc.example, doc.description});
  }
  return keys;
}

}  // namespace retort::config
