// retort.toml + environment + command-line flags -> Config, a plain struct.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace retort::config {

// The database URL when only libpq's environment names one (PGHOST, PGDATABASE, PGSERVICE...):
// a URI with nothing in it, so libpq takes every setting from its environment, as psql does.
inline constexpr char kLibpqDefaultsUrl[] = "postgresql://";

// One target of a fleet group as retort.toml lists it (`urls = [...]`). Targets from a file or a
// registry query are read when a fleet command runs (commands/fleet.cc).
struct TargetEntry {
  std::string url = {};     // as given: a URL or libpq conninfo; never printed unredacted
  std::string schema = {};  // "": the whole database; else one tenant's schema in it
};

// [[targets]]: a named group of databases (or of schemas in databases) that `retort fleet`
// moves together. Exactly one of urls, file and query says where its targets come from.
struct TargetGroup {
  std::string name = {};
  int line = 0;  // of its [[targets]] header, for messages
  std::vector<TargetEntry> urls = {};
  std::string file = {};          // one target a line, "URL [SCHEMA]"; relative to the project
  std::string query = {};         // rows with a `url` and/or a `schema` column, run on registry_url
  std::string registry_url = {};  // where `query` runs; "" means the [database] url
  // The search_path of a schema target's sessions; {schema} is its schema, quoted.
  std::string search_path = "{schema}, public";
  long long canary = 1;        // targets that go first, alone, and must all succeed
  long long width = 4;         // targets moved at once after the canaries
  long long max_failures = 1;  // no new target starts once this many have failed
};

struct Config {
  // Directory holding retort.toml; every relative path below is relative to it.
  std::string project_dir;
  std::string config_path;  // empty when no file was read

  std::string database_url;  // as given; may be "embedded"; never printed unredacted

  std::string script_location = "migrations";
  std::string file_template = "{year}{month}{day}_{hour}{minute}-{rev}_{slug}";
  std::string version_table = "retort_version";
  std::string version_table_schema = "public";
  bool transaction_per_migration = true;
  std::string lock_timeout = "5s";
  std::string statement_timeout = "0";
  // On a lock timeout a migration's transaction is retried up to lock_retries times, after a
  // jittered exponential backoff from lock_retry_base, capped at lock_retry_max.
  long long lock_retries = 5;
  std::string lock_retry_base = "200ms";
  std::string lock_retry_max = "10s";

  // [backup]: before a statement destroys data (DROP TABLE / COLUMN, TRUNCATE, DELETE without
  // WHERE) its rows are copied into backup_schema, unless backup_mode is "off".
  std::string backup_mode = "on";
  std::string backup_schema = "retort_backup";

  std::vector<std::string> schema_paths = {"schema"};
  std::string dev_url = "embedded";
  // The desired state from a program instead of schema_paths: its standard output is DDL
  // (`program`), or the SQLAlchemy provider retort ships run on "module:Base" in `python`.
  std::vector<std::string> schema_program;
  std::string schema_sqlalchemy;
  std::string schema_python = "python3";
  std::string schema_program_timeout = "120s";

  std::map<std::string, std::string> naming_convention;

  // [lint]: how `retort lint` grades lock and rewrite findings by live table size (a table
  // below both warning thresholds: note; at or above an error threshold: error; else warning),
  // and rules it skips (names or codes).
  long long lint_warning_rows = 10000;
  long long lint_error_rows = 1000000;
  std::string lint_warning_size = "32MB";  // pg_total_relation_size; units kB, MB, GB, TB
  std::string lint_error_size = "1GB";
  std::vector<std::string> lint_disable;

  std::vector<TargetGroup> target_groups;  // [[targets]], in file order

  // Absolute paths derived from project_dir.
  std::string ScriptDirectory() const;    // <project>/<script_location>
  std::string VersionsDirectory() const;  // <script dir>/versions
  std::string EmbeddedDirectory() const;  // <project>/.retort
};

struct Overrides {
  std::optional<std::string> config_path;  // --config
  std::optional<std::string> url;          // --url
  // A command that can run outside a project (inspect or diff of database URLs): a missing
  // ./retort.toml then gives the defaults, with config_path empty. An explicit --config that
  // names no file is still an error.
  bool project_optional = false;
};

// Environment lookup, injectable so tests need not touch the process environment.
using GetEnv = std::function<std::optional<std::string>(const std::string&)>;
GetEnv ProcessEnvironment();

// Parses TOML text. `path` names the file in errors ("retort.toml:7: ..."). Unknown sections or
// keys are errors, not silently ignored: a typo in `lock_timeout` must not go unnoticed. Every
// problem found is reported (one per line, in file order) in a single InvalidInput. Never
// reads the environment.
Result<Config> ParseConfig(const std::string& toml_text, const std::string& path);

// Finds the config (--config, which may also name a directory holding retort.toml; else
// ./retort.toml), parses it, then applies the URL precedence:
// --url > RETORT_DATABASE_URL > DATABASE_URL > [database] url, and RETORT_DEV_URL over
// [schema] dev_url. Empty environment variables count as unset; an empty --url is an error. A
// missing retort.toml is an error naming the path (run `retort init`), unless the project is
// optional.
Result<Config> LoadConfig(const Overrides& overrides, const GetEnv& env);

// The error for a command that needs a project where there is none (no ./retort.toml).
Status MissingConfigError();

// `text` (a retort.toml) with `key = value_literal` set in [section]: the key's line replaced
// when present (even commented out as `# key = ...`), else added at the end of the section,
// else the section appended. Comments and everything else are kept as written.
std::string SetTomlKey(const std::string& text, const std::string& section, const std::string& key,
                       const std::string& value_literal);

// One key retort.toml accepts, for its manual page (retort.toml(5)): read from the very table
// ParseConfig checks keys against, so the two cannot drift apart.
struct KeyDoc {
  std::string_view section;
  std::string_view key;
  std::string default_value;  // as TOML; "" when the key is unset by default
  std::string_view example;   // a valid value, as TOML
  std::string_view description;
};
std::vector<KeyDoc> DocumentedKeys();

// The text `retort init` writes.
std::string DefaultConfigToml();

// "32MB", "1GB", "512kB", "8192" -> bytes (PostgreSQL's units, 1024-based: B, kB, MB, GB, TB;
// a plain number means bytes). Error for anything else.
Result<long long> ParseSizeBytes(const std::string& text);

// "5s", "500ms", "2min", "1h", "1d", "0" -> milliseconds; a plain number means milliseconds, as
// in PostgreSQL. Error for anything else, and above INT_MAX ms (PostgreSQL's limit).
Result<long> ParseDurationMs(const std::string& text);

}  // namespace retort::config
