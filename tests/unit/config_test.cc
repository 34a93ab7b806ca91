#include "config/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>

#include "base/files.h"

namespace retort::config {
namespace {

namespace fs = std::filesystem;

// The message of a failed parse; fails the test if the parse succeeded.
std::string ParseError(const std::string& toml) {
  Result<Config> config = ParseConfig(toml, "retort.toml");
  EXPECT_FALSE(config.ok()) << "parsed without error:\n" << toml;
  if (config.ok()) return "";
  EXPECT_EQ(config.status().code(), Code::kInvalidInput);
  return config.status().message();
}

TEST(ConfigTest, EmptyFileGivesDefaults) {
  Result<Config> config = ParseConfig("", "retort.toml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->database_url, "");
  EXPECT_EQ(config->script_location, "migrations");
  EXPECT_EQ(config->file_template, "{year}{month}{day}_{hour}{minute}-{rev}_{slug}");
  EXPECT_EQ(config->version_table, "retort_version");
  EXPECT_EQ(config->version_table_schema, "public");
  EXPECT_TRUE(config->transaction_per_migration);
  EXPECT_EQ(config->lock_timeout, "5s");
  EXPECT_EQ(config->statement_timeout, "0");
  EXPECT_EQ(config->schema_paths, std::vector<std::string>{"schema"});
  EXPECT_EQ(config->dev_url, "embedded");
  EXPECT_TRUE(config->naming_convention.empty());
}

// Inputs fuzz/config_fuzzer found to abort toml++ 3.3's assertions (now off) or reach its
// __builtin_unreachable (a character beyond ASCII where white space may be): each is bad input
// with its line, and nothing crashes.
TEST(ConfigTest, InputsThatTrippedTomlPlusPlusAreBadInputWithALine) {
  for (std::string toml :
       {"[=]\n", "[ #]\n", "[[=]]\n", "\n[.a]\n", "[\x1amigrations]\n", "[\xc3\xa9]\n",
        "a = \xc3\xa9\n", "[schema]\npaths = [\"a\",\xe3\x80\x80]\n"}) {
    Result<Config> config = ParseConfig(toml, "retort.toml");
    ASSERT_FALSE(config.ok()) << toml;
    EXPECT_EQ(config.status().code(), Code::kInvalidInput) << toml;
    EXPECT_EQ(config.status().message().rfind("retort.toml:", 0), 0u) << config.status().message();
  }
  // Beyond ASCII in strings and comments is fine, also in a multi-line string.
  Result<Config> config = ParseConfig(R"(
# Schéma
[migrations]
script_location = "migrations_é"
[schema]
paths = [
  "a", # «b»
  """multi
line ‘c’""",
]
)",
                                      "retort.toml");
  EXPECT_TRUE(config.ok()) << config.status().message();
  // A quote where no value starts is no string to toml++: what follows is refused as outside one.
  for (std::string toml : {"uq =4\"[\xc3\xa9]\n", "uq =4\"[\xc3\xa9]\"\n"}) {
    EXPECT_FALSE(ParseConfig(toml, "retort.toml").ok()) << toml;
  }
  // So is a byte order mark opening the file; not one further on.
  EXPECT_TRUE(ParseConfig("\xEF\xBB\xBF[migrations]\n", "retort.toml").ok());
  EXPECT_FALSE(ParseConfig("[migrations]\n\xEF\xBB\xBF\n", "retort.toml").ok());
}

TEST(ConfigTest, FullFile) {
  Result<Config> config = ParseConfig(R"(
[database]
url = "postgresql+asyncpg://app@db:5432/app"

[migrations]
script_location = "db/migrations"
file_template   = "{rev}_{slug}"
version_table   = "alembic_version"
version_table_schema = "ops"
transaction_per_migration = false
lock_timeout = "250ms"
statement_timeout = "2min"

[schema]
paths = ["schema/core", "schema/extra.sql"]
dev_url = "postgresql://scratch@localhost/dev"

[naming_convention]
ix = "ix_{table}_{column_0_label}"
uq = "uq_{table}_{column_0_name}"
ck = "ck_{table}_{constraint_name}"
fk = "fk_{table}_{column_0_name}_{referred_table}"
pk = "pk_{table}"
)",
                                      "conf/retort.toml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->database_url, "postgresql+asyncpg://app@db:5432/app");
  EXPECT_EQ(config->script_location, "db/migrations");
  EXPECT_EQ(config->file_template, "{rev}_{slug}");
  EXPECT_EQ(config->version_table, "alembic_version");
  EXPECT_EQ(config->version_table_schema, "ops");
  EXPECT_FALSE(config->transaction_per_migration);
  EXPECT_EQ(config->lock_timeout, "250ms");
  EXPECT_EQ(config->statement_timeout, "2min");
  EXPECT_EQ(config->schema_paths, (std::vector<std::string>{"schema/core", "schema/extra.sql"}));
  EXPECT_EQ(config->dev_url, "postgresql://scratch@localhost/dev");
  EXPECT_EQ(config->naming_convention, (std::map<std::string, std::string>{
                                           {"ix", "ix_{table}_{column_0_label}"},
                                           {"uq", "uq_{table}_{column_0_name}"},
                                           {"ck", "ck_{table}_{constraint_name}"},
                                           {"fk", "fk_{table}_{column_0_name}_{referred_table}"},
                                           {"pk", "pk_{table}"},
                                       }));
}

TEST(ConfigTest, TargetGroupsAreReadInFileOrder) {
  auto config = ParseConfig(R"([[targets]]
name = "shards"
urls = ["postgresql://app@db1/app", { url = "postgresql://app@db2/app", schema = "tenant_7" }]
canary = 2
width = 8
max_failures = 3

[[targets]]
name = "tenants"
query = "SELECT url FROM tenants"
registry_url = "postgresql://ops@registry/tenants"
search_path = "{schema}"

[[targets]]
name = "listed"
file = "fleet.txt"
)",
                            "retort.toml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  ASSERT_EQ(config->target_groups.size(), 3u);
  const TargetGroup& shards = config->target_groups[0];
  EXPECT_EQ(shards.name, "shards");
  EXPECT_EQ(shards.line, 1);
  ASSERT_EQ(shards.urls.size(), 2u);
  EXPECT_EQ(shards.urls[0].url, "postgresql://app@db1/app");
  EXPECT_EQ(shards.urls[0].schema, "");
  EXPECT_EQ(shards.urls[1].url, "postgresql://app@db2/app");
  EXPECT_EQ(shards.urls[1].schema, "tenant_7");
  EXPECT_EQ(shards.canary, 2);
  EXPECT_EQ(shards.width, 8);
  EXPECT_EQ(shards.max_failures, 3);
  EXPECT_EQ(shards.search_path, "{schema}, public");
  const TargetGroup& tenants = config->target_groups[1];
  EXPECT_EQ(tenants.query, "SELECT url FROM tenants");
  EXPECT_EQ(tenants.registry_url, "postgresql://ops@registry/tenants");
  EXPECT_EQ(tenants.search_path, "{schema}");
  EXPECT_EQ(tenants.canary, 1);
  EXPECT_EQ(tenants.width, 4);
  EXPECT_EQ(tenants.max_failures, 1);
  EXPECT_EQ(config->target_groups[2].file, "fleet.txt");
}

TEST(ConfigTest, BadTargetGroupsAreNamedWithTheirLines) {
  struct Case {
    const char* toml;
    const char* expected;
  };
  const Case cases[] = {
      {"[targets]\nname = \"a\"\n", "retort.toml:1: targets must be an array of tables"},
      {"[[targets]]\nurls = [\"postgresql://a@b/c\"]\n", "retort.toml:1: [[targets]] needs a name"},
      {"[[targets]]\nname = \"a\"\n", "needs exactly one of urls, file and query (it has 0)"},
      {"[[targets]]\nname = \"a\"\nfile = \"f\"\nquery = \"q\"\n",
       "needs exactly one of urls, file and query (it has 2)"},
      {"[[targets]]\nname = \"a\"\nfile = \"f\"\n[[targets]]\nname = \"a\"\nfile = \"g\"\n",
       "retort.toml:4: [[targets]] name 'a' is used twice"},
      {"[[targets]]\nname = \"a\"\nfile = \"f\"\nwidht = 3\n",
       "retort.toml:4: unknown key 'widht' in [[targets]] (did you mean 'width'?)"},
      {"[[targets]]\nname = \"a\"\nfile = \"f\"\nwidth = 0\n",
       "retort.toml:4: [[targets]] width must be a whole number >= 1"},
      {"[[targets]]\nname = \"a\"\nfile = \"f\"\nsearch_path = \"public\"\n",
       "retort.toml:4: [[targets]] search_path must contain {schema}"},
      {"[[targets]]\nname = \"a\"\nfile = \"f\"\nregistry_url = \"postgresql://a@b/c\"\n",
       "registry_url is only used with query"},
      {"[[targets]]\nname = \"a\"\nurls = []\n", "urls must be a non-empty array"},
      {"[[targets]]\nname = \"a\"\nurls = [{ schema = \"s\" }]\n", "a target needs a url"},
      {"[[targets]]\nname = \"a\"\nurls = [{ url = \"postgresql://a@b/c\", db = \"s\" }]\n",
       "unknown key 'db' in a target (url, schema)"},
  };
  for (const Case& test : cases) {
    auto config = ParseConfig(test.toml, "retort.toml");
    ASSERT_FALSE(config.ok()) << test.toml;
    EXPECT_EQ(config.status().code(), Code::kInvalidInput);
    EXPECT_NE(config.status().message().find(test.expected), std::string::npos)
        << test.toml << "\n"
        << config.status().message();
  }
}

TEST(ConfigTest, DefaultConfigTomlParsesToTheDefaults) {
  std::string text = DefaultConfigToml();
  Result<Config> config = ParseConfig(text, "retort.toml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  Config defaults;
  EXPECT_EQ(config->database_url, "embedded");
  EXPECT_EQ(config->script_location, defaults.script_location);
  EXPECT_EQ(config->file_template, defaults.file_template);
  EXPECT_EQ(config->version_table, defaults.version_table);
  EXPECT_EQ(config->version_table_schema, defaults.version_table_schema);
  EXPECT_EQ(config->transaction_per_migration, defaults.transaction_per_migration);
  EXPECT_EQ(config->lock_timeout, defaults.lock_timeout);
  EXPECT_EQ(config->statement_timeout, defaults.statement_timeout);
  EXPECT_EQ(config->schema_paths, defaults.schema_paths);
  EXPECT_EQ(config->dev_url, defaults.dev_url);
  EXPECT_EQ(config->naming_convention.size(), 5u);
  // Every setting is shown and explained, so users find them without reading docs.
  for (const char* key : {"url", "script_location", "file_template", "version_table",
                          "version_table_schema", "transaction_per_migration", "lock_timeout",
                          "statement_timeout", "paths", "dev_url", "alembic_version"}) {
    EXPECT_NE(text.find(key), std::string::npos) << key;
  }
  EXPECT_GT(std::count(text.begin(), text.end(), '#'), 20);
}

TEST(ConfigTest, TomlSyntaxErrorNamesLineAndColumn) {
  std::string message = ParseError("[migrations]\nlock_timeout = \"5s\"\nversion_table = \n");
  EXPECT_TRUE(message.starts_with("retort.toml:3:")) << message;
  // line:column, then the parser's description
  EXPECT_NE(message.find_first_of("0123456789", 14), std::string::npos);
  EXPECT_EQ(message.rfind("retort.toml:3:", 0), 0u);
  EXPECT_EQ(ParseError("[database\n").rfind("retort.toml:1:", 0), 0u);
}

TEST(ConfigTest, UnknownKeySuggestsTheNearMiss) {
  EXPECT_EQ(ParseError("[migrations]\nversion_table = \"v\"\nlock_timout = \"5s\"\n"),
            "retort.toml:3: unknown key 'lock_timout' in [migrations] (did you mean "
            "'lock_timeout'?)");
  EXPECT_EQ(ParseError("[schema]\npath = [\"schema\"]\n"),
            "retort.toml:2: unknown key 'path' in [schema] (did you mean 'paths'?)");
  EXPECT_EQ(ParseError("[migrations]\ncolour = \"red\"\n"),
            "retort.toml:2: unknown key 'colour' in [migrations]");
}

TEST(ConfigTest, KeyInTheWrongSectionSaysWhereItBelongs) {
  EXPECT_EQ(ParseError("[migrations]\nurl = \"postgresql://h/app\"\n"),
            "retort.toml:2: unknown key 'url' in [migrations] (it belongs in [database])");
  EXPECT_EQ(ParseError("url = \"postgresql://h/app\"\n"),
            "retort.toml:1: unknown key 'url' at the top level (it belongs in [database])");
}

TEST(ConfigTest, UnknownSectionSuggestsTheNearMiss) {
  EXPECT_EQ(ParseError("\n[migration]\nlock_timeout = \"5s\"\n"),
            "retort.toml:2: unknown section [migration] (did you mean [migrations]?)");
  EXPECT_EQ(ParseError("[widgets]\nkeep = 3\n"), "retort.toml:1: unknown section [widgets]");
  EXPECT_EQ(ParseError("[migrations.extra]\nx = 1\n"),
            "retort.toml:1: unknown key 'extra' in [migrations]");
}

TEST(ConfigTest, SectionMustBeATable) {
  EXPECT_EQ(ParseError("migrations = 5\n"),
            "retort.toml:1: [migrations] must be a table (a [migrations] section)");
}

TEST(ConfigTest, WrongTypesSayWhatIsExpected) {
  EXPECT_EQ(ParseError("[migrations]\nlock_timeout = 5\n"),
            "retort.toml:2: [migrations] lock_timeout must be a string, like lock_timeout = "
            "\"5s\" (got an integer)");
  EXPECT_EQ(ParseError("[migrations]\n\ntransaction_per_migration = \"yes\"\n"),
            "retort.toml:3: [migrations] transaction_per_migration must be true or false, like "
            "transaction_per_migration = true (got a string)");
  EXPECT_EQ(ParseError("[schema]\npaths = \"schema\"\n"),
            "retort.toml:2: [schema] paths must be an array of strings, like paths = "
            "[\"schema\"] (got a string)");
  EXPECT_EQ(ParseError("[schema]\npaths = [\"a\",\n  1]\n"),
            "retort.toml:3: [schema] paths must be an array of strings, like paths = "
            "[\"schema\"] (element 2 is an integer)");
  EXPECT_EQ(ParseError("[naming_convention]\npk = true\n"),
            "retort.toml:2: [naming_convention] pk must be a string, like pk = \"pk_{table}\" "
            "(got a boolean)");
}

TEST(ConfigTest, AllProblemsAreReportedInFileOrder) {
  std::string message = ParseError(
      "[migrations]\nversion_table = \"\"\nlock_timeout = 5\n[zzz]\n[database]\nuri = \"x\"\n");
  EXPECT_EQ(message,
            "retort.toml:2: [migrations] version_table must be a PostgreSQL identifier of 1 to 63 "
            "bytes (got 0)\n"
            "retort.toml:3: [migrations] lock_timeout must be a string, like lock_timeout = "
            "\"5s\" (got an integer)\n"
            "retort.toml:4: unknown section [zzz]\n"
            "retort.toml:6: unknown key 'uri' in [database] (did you mean 'url'?)");
}

TEST(ConfigTest, VersionTableMustBeAnIdentifier) {
  std::string long_name(64, 'v');
  EXPECT_EQ(ParseError("[migrations]\nversion_table = \"" + long_name + "\"\n"),
            "retort.toml:2: [migrations] version_table must be a PostgreSQL identifier of 1 to "
            "63 bytes (got 64)");
  EXPECT_EQ(ParseError("[migrations]\n\nversion_table_schema = \"a\\u0000b\"\n"),
            "retort.toml:3: [migrations] version_table_schema must not contain a NUL byte");
  EXPECT_EQ(ParseError("[migrations]\nversion_table_schema = \"\"\n").rfind("retort.toml:2:", 0),
            0u);
  Result<Config> longest = ParseConfig("[migrations]\nversion_table = \"" + std::string(63, 'v') +
                                           "\"\nversion_table_schema = \"My Schema\"\n",
                                       "retort.toml");
  ASSERT_TRUE(longest.ok()) << longest.status().message();
  EXPECT_EQ(longest->version_table_schema, "My Schema");
}

TEST(ConfigTest, TimeoutsMustBeDurations) {
  std::string message =
      ParseError("[migrations]\nlock_timeout = \"5s\"\nstatement_timeout = \"5 sec\"\n");
  EXPECT_EQ(
      message.rfind(
          "retort.toml:3: [migrations] statement_timeout value \"5 sec\" is not a duration", 0),
      0u)
      << message;
  EXPECT_EQ(ParseError("[migrations]\nlock_timeout = \"-1\"\n").rfind("retort.toml:2:", 0), 0u);
}

TEST(ConfigTest, FileTemplateNeedsRevAndKnownPlaceholders) {
  EXPECT_EQ(ParseError("[migrations]\nfile_template = \"{year}_{slug}\"\n"),
            "retort.toml:2: [migrations] file_template must contain {rev} so that every file "
            "name is unique");
  EXPECT_EQ(ParseError("[migrations]\nfile_template = \"{rev}_{hash}\"\n"),
            "retort.toml:2: [migrations] file_template has an unknown placeholder {hash} (known: "
            "{year} {month} {day} {hour} {minute} {second} {rev} {slug})");
  EXPECT_EQ(ParseError("[migrations]\nfile_template = \"{rev}_{slug\"\n"),
            "retort.toml:2: [migrations] file_template has a '{' that is not closed");
  EXPECT_EQ(ParseError("[migrations]\nfile_template = \"{rev}}\"\n"),
            "retort.toml:2: [migrations] file_template has a '}' without a matching '{'");
  EXPECT_EQ(ParseError("[migrations]\nfile_template = \"{year}/{rev}\"\n"),
            "retort.toml:2: [migrations] file_template must not contain '/' (it names a file)");
  Result<Config> every = ParseConfig(
      "[migrations]\nfile_template = \"{year}{month}{day}{hour}{minute}{second}-{rev}-{slug}\"\n",
      "retort.toml");
  EXPECT_TRUE(every.ok()) << every.status().message();
}

TEST(ConfigTest, NamingConventionKeysAndTokens) {
  EXPECT_EQ(ParseError("[naming_convention]\nixx = \"ix_{table}\"\n"),
            "retort.toml:2: unknown key 'ixx' in [naming_convention] (did you mean 'ix'?)");
  std::string message = ParseError("[naming_convention]\nfk = \"fk_{tabel}\"\n");
  EXPECT_EQ(message.rfind("retort.toml:2: [naming_convention] fk has an unknown token {tabel}", 0),
            0u)
      << message;
  EXPECT_EQ(
      ParseError("[naming_convention]\nuq = \"uq_{column_x_name}\"\n")
          .rfind("retort.toml:2: [naming_convention] uq has an unknown token {column_x_name}", 0),
      0u);
  Result<Config> sqlalchemy_tokens = ParseConfig(
      "[naming_convention]\nix = \"ix_%{table_name}_{column_0N_name}\"\n"
      "fk = \"fk_{table_name}_{column_0_N_key}_{referred_table_name}_{referred_column_0_name}\"\n",
      "retort.toml");
  EXPECT_TRUE(sqlalchemy_tokens.ok()) << sqlalchemy_tokens.status().message();
}

TEST(ConfigTest, EmptyStringsAreRejected) {
  EXPECT_EQ(ParseError("[migrations]\nscript_location = \"\"\n"),
            "retort.toml:2: [migrations] script_location must not be empty");
  EXPECT_EQ(ParseError("[schema]\npaths = [\"schema\", \" \"]\n"),
            "retort.toml:2: [schema] paths must not be empty");
  EXPECT_EQ(ParseError("[database]\nurl = \"\"\n"),
            "retort.toml:2: [database] url must not be empty");
}

TEST(ConfigTest, ParseDurationMs) {
  const std::pair<const char*, long> kValid[] = {
      {"0", 0},        {"250ms", 250},
      {"5s", 5000},    {"2min", 120000},
      {"1h", 3600000}, {"1d", 86400000},
      {"1500", 1500},  {" 5 s ", 5000},
      {"0ms", 0},      {"2147483647", 2147483647},
  };
  for (const auto& [text, expected] : kValid) {
    Result<long> parsed = ParseDurationMs(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status().message();
    EXPECT_EQ(*parsed, expected) << text;
  }
  for (const char* text : {"", "s", "5sec", "5S", "-1", "1.5s", "5 s s", "five",
                           "99999999999999999999999", "25d", "2147483648"}) {
    Result<long> parsed = ParseDurationMs(text);
    EXPECT_FALSE(parsed.ok()) << text;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), Code::kInvalidInput);
      EXPECT_NE(parsed.status().message().find(text), std::string::npos)
          << parsed.status().message();
    }
  }
}

Overrides ConfigFlag(const std::string& path) {
  Overrides overrides;
  overrides.config_path = path;
  return overrides;
}

Overrides UrlFlag(const std::string& url) {
  Overrides overrides;
  overrides.url = url;
  return overrides;
}

// LoadConfig reads real files: each test gets a fresh temporary directory and runs with it as the
// working directory, restoring the previous one afterwards.
class LoadConfigTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "retort-config-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = fs::canonical(pattern).string();
    previous_cwd_ = fs::current_path().string();
    fs::current_path(dir_);
  }
  void TearDown() override {
    fs::current_path(previous_cwd_);
    fs::remove_all(dir_);
  }

  void Write(const std::string& relative_path, const std::string& text) {
    std::string path = JoinPath(dir_, relative_path);
    ASSERT_TRUE(MakeDirectories(DirName(path)).ok());
    ASSERT_TRUE(WriteFile(path, text).ok());
  }

  GetEnv Env(std::map<std::string, std::string> values) {
    return [values](const std::string& name) -> std::optional<std::string> {
      auto it = values.find(name);
      if (it == values.end()) return std::nullopt;
      return it->second;
    };
  }

  std::string dir_;
  std::string previous_cwd_;
};

TEST_F(LoadConfigTest, MissingDefaultFileNamesTheDirectory) {
  Result<Config> config = LoadConfig({}, Env({}));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), Code::kInvalidInput);
  EXPECT_EQ(config.status().message(),
            "retort.toml not found in " + dir_ + " (run `retort init`, or pass --config)");
}

TEST_F(LoadConfigTest, MissingExplicitFile) {
  Result<Config> config = LoadConfig(ConfigFlag("nowhere/retort.toml"), Env({}));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), Code::kInvalidInput);
  EXPECT_EQ(config.status().message(),
            "nowhere/retort.toml: config file not found (check --config)");
}

TEST_F(LoadConfigTest, DefaultFileInWorkingDirectory) {
  Write("retort.toml", "[migrations]\nscript_location = \"db/migrations\"\n");
  Result<Config> config = LoadConfig({}, Env({}));
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->config_path, dir_ + "/retort.toml");
  EXPECT_EQ(config->project_dir, dir_);
  EXPECT_EQ(config->ScriptDirectory(), dir_ + "/db/migrations");
  EXPECT_EQ(config->VersionsDirectory(), dir_ + "/db/migrations/versions");
  EXPECT_EQ(config->EmbeddedDirectory(), dir_ + "/.retort");
  EXPECT_EQ(config->database_url, "");
}

TEST_F(LoadConfigTest, ExplicitConfigPathSetsTheProjectDirectory) {
  Write("project/conf/retort.toml", "[migrations]\nscript_location = \"../migrations\"\n");
  Result<Config> config = LoadConfig(ConfigFlag("project/conf/retort.toml"), Env({}));
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->project_dir, dir_ + "/project/conf");
  EXPECT_EQ(config->ScriptDirectory(), dir_ + "/project/migrations");

  Result<Config> by_directory = LoadConfig(ConfigFlag("project/conf"), Env({}));
  ASSERT_TRUE(by_directory.ok()) << by_directory.status().message();
  EXPECT_EQ(by_directory->config_path, dir_ + "/project/conf/retort.toml");
}

TEST_F(LoadConfigTest, AbsoluteScriptLocation) {
  Write("retort.toml", "[migrations]\nscript_location = \"/srv/app/migrations\"\n");
  Result<Config> config = LoadConfig({}, Env({}));
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->ScriptDirectory(), "/srv/app/migrations");
  EXPECT_EQ(config->VersionsDirectory(), "/srv/app/migrations/versions");
}

TEST_F(LoadConfigTest, ErrorsNameTheConfigPath) {
  Write("conf/retort.toml", "[migrations]\n\nlock_timeout = 5\n");
  Result<Config> config = LoadConfig(ConfigFlag("conf/retort.toml"), Env({}));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message().rfind("conf/retort.toml:3: [migrations] lock_timeout", 0), 0u)
      << config.status().message();
}

TEST_F(LoadConfigTest, UrlPrecedence) {
  Write("retort.toml", "[database]\nurl = \"postgresql://file/app\"\n");
  const std::map<std::string, std::string> both = {
      {"RETORT_DATABASE_URL", "postgresql://retort-env/app"},
      {"DATABASE_URL", "postgresql://generic-env/app"}};

  Result<Config> from_file = LoadConfig({}, Env({}));
  ASSERT_TRUE(from_file.ok()) << from_file.status().message();
  EXPECT_EQ(from_file->database_url, "postgresql://file/app");

  Result<Config> generic = LoadConfig({}, Env({{"DATABASE_URL", "postgresql://generic-env/app"}}));
  ASSERT_TRUE(generic.ok());
  EXPECT_EQ(generic->database_url, "postgresql://generic-env/app");

  Result<Config> specific = LoadConfig({}, Env(both));
  ASSERT_TRUE(specific.ok());
  EXPECT_EQ(specific->database_url, "postgresql://retort-env/app");

  Result<Config> flag = LoadConfig(UrlFlag("postgresql://flag/app"), Env(both));
  ASSERT_TRUE(flag.ok());
  EXPECT_EQ(flag->database_url, "postgresql://flag/app");
}

TEST_F(LoadConfigTest, EmptyEnvironmentValuesAreUnset) {
  Write("retort.toml", "[database]\nurl = \"embedded\"\n");
  Result<Config> config =
      LoadConfig({}, Env({{"RETORT_DATABASE_URL", ""}, {"DATABASE_URL", "postgresql://env/app"}}));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->database_url, "postgresql://env/app");
}

TEST_F(LoadConfigTest, DevUrlFromTheEnvironment) {
  Write("retort.toml", "[schema]\ndev_url = \"embedded\"\n");
  Result<Config> from_file = LoadConfig({}, Env({{"RETORT_DEV_URL", ""}}));
  ASSERT_TRUE(from_file.ok()) << from_file.status().message();
  EXPECT_EQ(from_file->dev_url, "embedded");

  Result<Config> from_env =
      LoadConfig(UrlFlag("postgresql://ci/app"), Env({{"RETORT_DEV_URL", "postgresql://ci/dev"}}));
  ASSERT_TRUE(from_env.ok()) << from_env.status().message();
  EXPECT_EQ(from_env->dev_url, "postgresql://ci/dev");
  EXPECT_EQ(from_env->database_url, "postgresql://ci/app");
}

TEST_F(LoadConfigTest, EmptyUrlFlagIsAnError) {
  Write("retort.toml", "[database]\nurl = \"postgresql://file/app\"\n");
  Result<Config> config = LoadConfig(UrlFlag(""), Env({}));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), Code::kInvalidInput);
  EXPECT_EQ(config.status().message(), "--url is empty");
}

TEST_F(LoadConfigTest, NoUrlAnywhereLeavesItEmpty) {
  Write("retort.toml", "");
  // PGUSER, PGPORT and PGPASSWORD say how to connect, not to which database.
  Result<Config> config =
      LoadConfig({}, Env({{"PGUSER", "app"}, {"PGPORT", "5433"}, {"PGPASSWORD", "secret"}}));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->database_url, "");
}

// As psql: with no URL anywhere, libpq's variables that name a server or database choose it.
TEST_F(LoadConfigTest, LibpqVariablesAloneChooseTheDatabase) {
  Write("retort.toml", "");
  Result<Config> config =
      LoadConfig({}, Env({{"PGHOST", "elsewhere"}, {"PGDATABASE", "app"}, {"PGPASSWORD", "pw"}}));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->database_url, kLibpqDefaultsUrl);
  Result<Config> service = LoadConfig({}, Env({{"PGSERVICE", "app"}}));
  ASSERT_TRUE(service.ok());
  EXPECT_EQ(service->database_url, kLibpqDefaultsUrl);
  // Any URL wins over them.
  Write("retort.toml", "[database]\nurl = \"postgresql://file/app\"\n");
  Result<Config> from_file = LoadConfig({}, Env({{"PGHOST", "elsewhere"}}));
  ASSERT_TRUE(from_file.ok());
  EXPECT_EQ(from_file->database_url, "postgresql://file/app");
}

}  // namespace
}  // namespace retort::config
