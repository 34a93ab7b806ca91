// Secrets: a password given in any URL source (retort.toml [database] url and [schema] dev_url,
// --url, RETORT_DATABASE_URL, DATABASE_URL) never shows up in what retort prints (text or
// JSON, success or failure), in the files it writes, in the rows it stores, or in the
// environment and arguments of the processes it starts.
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/pg_harness.h"

namespace retort {
namespace {

namespace fs = std::filesystem;
using ::retort::testing::CommandOutput;
using ::retort::testing::Describe;
using ::retort::testing::PgHarness;
using ::retort::testing::RunRetort;
using ::retort::testing::TempDir;
using Strings = std::vector<std::string>;
using Env = std::map<std::string, std::string>;

// The password, unique enough that any occurrence anywhere is a leak. It carries this process's
// pid: a secrets_test run at the same time (another checkout, another build) has its own, so
// the scan of every process on the machine finds only what this run leaked.
const std::string kSecret = "Qx7pSecretMarker" + std::to_string(::getpid());
constexpr char kRole[] = "secret_app";
constexpr int kTimeoutMs = 120000;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string MigrationText(const std::string& id, const std::string& parent, const std::string& up,
                          const std::string& down) {
  return "-- retort:revision  " + id + "\n-- retort:revises   " + parent +
         "\n-- retort:message   m\n\n-- retort:upgrade\n" + up + "\n\n-- retort:downgrade\n" +
         down + "\n";
}

// A role that must log in with kSecret over TCP (the harness's pg_hba asks for passwords there).
void EnsureRole(PgHarness* pg) {
  pg->Query("postgres",
            std::string("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '") +
                kRole + "') THEN CREATE ROLE " + kRole + " LOGIN SUPERUSER; END IF; END $$");
  pg->Query("postgres", std::string("ALTER ROLE ") + kRole + " PASSWORD '" + kSecret + "'");
}

std::string UrlFor(PgHarness* pg, const std::string& db, const std::string& password,
                   int port = 0) {
  return std::string("postgresql://") + kRole + ":" + password +
         "@127.0.0.1:" + std::to_string(port == 0 ? pg->port() : port) + "/" + db;
}

class Secrets : public ::testing::Test {
 protected:
  void SetUp() override {
    pg_ = PgHarness::Get();
    if (pg_ == nullptr) GTEST_SKIP() << PgHarness::UnavailableReason();
    EnsureRole(pg_);
    db_ = pg_->CreateDatabase("secrets");
    url_ = UrlFor(pg_, db_, kSecret);
    dev_url_ = UrlFor(pg_, "postgres", kSecret);
    dir_.Write("migrations/versions/01_one.sql",
               MigrationText("aaaa00000001", "none",
                             "CREATE TABLE one (id int PRIMARY KEY, note text);\n"
                             "INSERT INTO one VALUES (1, 'x');",
                             "DROP TABLE one;"));
    dir_.Write("migrations/versions/02_two.sql",
               MigrationText("bbbb00000002", "aaaa00000001", "ALTER TABLE one ADD COLUMN c int;",
                             "ALTER TABLE one DROP COLUMN c;"));
    dir_.Write("schema/one.sql", "CREATE TABLE one (id int PRIMARY KEY, note text, c int);\n");
  }

  // retort.toml with the given [database] url (none when empty) and dev_url.
  void WriteConfig(const std::string& url) {
    std::string text =
        "[migrations]\nscript_location = \"migrations\"\n\n[schema]\n"
        "paths = [\"schema\"]\ndev_url = \"" +
        dev_url_ + "\"\n";
    if (!url.empty()) text += "\n[database]\nurl = \"" + url + "\"\n";
    dir_.Write("retort.toml", text);
  }

  CommandOutput Run(const Strings& args, const Env& extra = {}) {
    Env env = {{"RETORT_DATABASE_URL", ""}, {"DATABASE_URL", ""}, {"PGPASSWORD", ""}};
    for (const auto& [name, value] : extra) env[name] = value;
    CommandOutput output = RunRetort(args, dir_.path(), env, kTimeoutMs);
    EXPECT_FALSE(output.timed_out) << Describe(output);
    std::string command;
    for (std::string arg : args) {
      for (size_t at = arg.find(kSecret); at != std::string::npos; at = arg.find(kSecret)) {
        arg.replace(at, std::string(kSecret).size(), "<secret>");
      }
      command += arg + " ";
    }
    outputs_.push_back({command, Describe(output)});
    return output;
  }

  // Every output so far, every file under the project, every row of the database.
  void ExpectNoSecretAnywhere() {
    for (const auto& [command, output] : outputs_) {
      EXPECT_EQ(output.find(kSecret), std::string::npos) << command << "\n" << output;
    }
    std::error_code error;
    for (auto it = fs::recursive_directory_iterator(dir_.path(), error);
         it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (error) break;
      if (!it->is_regular_file(error)) continue;
      std::string path = it->path().string();
      // The test's own input.
      if (path == dir_.path() + "/retort.toml") continue;
      // The embedded cluster's own files belong to the server, not to retort's output.
      if (path.find("/.retort/") != std::string::npos && path.find("/base/") != std::string::npos)
        continue;
      EXPECT_EQ(ReadAll(path).find(kSecret), std::string::npos) << path;
    }
    std::string rows = pg_->Scalar(
        db_,
        "SELECT coalesce(string_agg(query_to_xml(format('SELECT t::text AS r FROM %s t', "
        "c.oid::regclass), false, false, '')::text, ' '), '') FROM pg_class c JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN "
        "('pg_catalog', 'information_schema')");
    EXPECT_EQ(rows.find(kSecret), std::string::npos) << rows;
  }

  PgHarness* pg_ = nullptr;
  TempDir dir_;
  std::string db_;
  std::string url_;
  std::string dev_url_;
  std::vector<std::pair<std::string, std::string>> outputs_;  // command, what it printed
};

// Each command that reads or changes the database, in text and JSON, with the URL from each
// source in turn.
TEST_F(Secrets, NeverPrintedStoredOrWrittenByAnyCommand) {
  struct Source {
    std::string name;
    Strings flags;
    Env env;
    std::string toml_url;
  };
  const std::vector<Source> sources = {
      {"--url", {"--url", url_}, {}, ""},
      {"RETORT_DATABASE_URL", {}, {{"RETORT_DATABASE_URL", url_}}, ""},
      {"DATABASE_URL", {}, {{"DATABASE_URL", url_}}, ""},
      {"retort.toml", {}, {}, url_},
  };
  for (const Source& source : sources) {
    SCOPED_TRACE(source.name);
    WriteConfig(source.toml_url);
    auto run = [&](Strings args, int expected) {
      Strings full = source.flags;
      full.insert(full.end(), args.begin(), args.end());
      CommandOutput output = Run(full, source.env);
      EXPECT_EQ(output.exit_code, expected) << source.name << " " << args[0] << "\n"
                                            << Describe(output);
    };
    run({"upgrade", "aaaa00000001"}, 0);
    run({"upgrade", "head"}, 0);
    run({"current", "--verbose"}, 0);
    run({"--format", "json", "current", "--verbose"}, 0);
    run({"history", "--verbose", "-i"}, 0);
    run({"--format", "json", "history", "--verbose", "-i"}, 0);
    run({"upgrade", "base:head", "--sql"}, 0);
    run({"downgrade", "head:base", "--sql"}, 0);
    run({"validate"}, 0);
    run({"lint"}, 0);
    run({"--format", "json", "lint", "--all"}, 0);
    run({"inspect"}, 0);
    run({"--format", "json", "inspect"}, 0);
    run({"drift"}, 0);
    run({"--format", "json", "drift"}, 0);
    run({"check"}, 0);
    run({"downgrade", "-1"}, 0);
    run({"upgrade", "head"}, 0);
    run({"backups", "list"}, 0);
    run({"stamp", "head"}, 0);
  }
  WriteConfig(url_);
  EXPECT_EQ(Run({"diff", url_, url_}).exit_code, 0);
  EXPECT_EQ(Run({"diff", url_, "schema"}).exit_code, 0);
  EXPECT_EQ(Run({"--format", "json", "diff", url_, dev_url_}).exit_code, 0);
  EXPECT_EQ(Run({"--format", "json", "diff", url_, url_}).exit_code, 0);
  EXPECT_EQ(Run({"inspect", url_}).exit_code, 0);
  EXPECT_EQ(Run({"test"}).exit_code, 0);
  Run({"lint", "--probe", "bbbb00000002"});
  Run({"--format", "json", "lint", "--probe", "bbbb00000002"});
  EXPECT_EQ(Run({"--format", "json", "test"}).exit_code, 0);
  EXPECT_EQ(Run({"revision", "-m", "plain"}).exit_code, 0);
  dir_.Write("schema/two.sql", "CREATE TABLE two (id int);\n");
  EXPECT_EQ(Run({"revision", "--autogenerate", "-m", "auto"}).exit_code, 0);
  EXPECT_EQ(Run({"check"}).exit_code, 0);
  ExpectNoSecretAnywhere();
}

// Failures: a wrong password, an unreachable server, a malformed URL and a migration whose SQL
// fails; each through every source.
TEST_F(Secrets, NeverPrintedWhenThingsFail) {
  const std::string wrong = UrlFor(pg_, db_, std::string(kSecret) + "Wrong");
  const std::string unreachable = UrlFor(pg_, db_, kSecret, 1);
  const std::string malformed = "postgresql://" + std::string(kRole) + ":" + kSecret + "@[::1/x";
  const std::string bad_port = "postgresql://" + std::string(kRole) + ":" + kSecret + "@h:99999/x";
  const std::string keyword =
      "host=127.0.0.1 port=1 user=" + std::string(kRole) + " password=" + kSecret + " dbname=x";
  struct Attempt {
    std::string url;
    int exit_code;
  };
  for (const Attempt& attempt : std::vector<Attempt>{
           {wrong, 1}, {unreachable, 1}, {malformed, 2}, {bad_port, 2}, {keyword, 1}}) {
    SCOPED_TRACE(attempt.url);
    for (const Strings& command :
         {Strings{"upgrade", "head"}, Strings{"current"}, Strings{"--format", "json", "current"},
          Strings{"drift"}, Strings{"lint"}, Strings{"inspect"}}) {
      WriteConfig("");
      Strings args = {"--url", attempt.url};
      args.insert(args.end(), command.begin(), command.end());
      CommandOutput flag = Run(args);
      if (command[0] != "lint") {
        EXPECT_EQ(flag.exit_code, attempt.exit_code) << Describe(flag);
      }
      Run(command, {{"RETORT_DATABASE_URL", attempt.url}});
      Run(command, {{"DATABASE_URL", attempt.url}});
      WriteConfig(attempt.url);
      Run(command);
    }
    WriteConfig("");
    CommandOutput diff = Run({"diff", attempt.url, url_});
    EXPECT_EQ(diff.exit_code, attempt.exit_code) << Describe(diff);
    Run({"--format", "json", "diff", url_, attempt.url});
    Run({"inspect", attempt.url});
    // A broken dev_url.
    std::string toml = "[migrations]\nscript_location = \"migrations\"\n[schema]\ndev_url = \"" +
                       attempt.url + "\"\n[database]\nurl = \"" + url_ + "\"\n";
    dir_.Write("retort.toml", toml);
    Run({"check"});
    Run({"test"});
    Run({"diff", "head", "schema"});
  }

  // SQL that fails while the good URL is in use, also outside a transaction.
  WriteConfig(url_);
  dir_.Write("migrations/versions/03_bad.sql",
             MigrationText("cccc00000003", "bbbb00000002", "INSERT INTO nowhere VALUES (1);",
                           "SELECT 1;"));
  EXPECT_EQ(Run({"upgrade", "head"}).exit_code, 1);
  dir_.Write("migrations/versions/03_bad.sql",
             "-- retort:revision  cccc00000003\n-- retort:revises bbbb00000002\n"
             "-- retort:transaction none\n-- retort:upgrade\nCREATE TABLE fine (id int);\n"
             "INSERT INTO nowhere VALUES (1);\n");
  EXPECT_EQ(Run({"upgrade", "head"}).exit_code, 1);
  EXPECT_EQ(Run({"current", "--verbose"}).exit_code, 0);
  EXPECT_EQ(Run({"--format", "json", "current", "--verbose"}).exit_code, 0);
  ExpectNoSecretAnywhere();
}

// `diff` used to print "no differences between postgresql://app:PASSWORD@..." and copy the raw
// URLs into its JSON.
TEST_F(Secrets, DiffShowsRedactedUrls) {
  WriteConfig("");
  CommandOutput text = Run({"diff", url_, url_});
  ASSERT_EQ(text.exit_code, 0) << Describe(text);
  EXPECT_NE(text.err.find(std::string(kRole) + ":****@127.0.0.1"), std::string::npos) << text.err;
  CommandOutput json = Run({"--format", "json", "diff", url_, url_});
  ASSERT_EQ(json.exit_code, 0) << Describe(json);
  auto document = nlohmann::json::parse(json.out);
  EXPECT_EQ(document["from"], UrlFor(pg_, db_, "****"));
  EXPECT_EQ(document["to"], UrlFor(pg_, db_, "****"));
  ExpectNoSecretAnywhere();
}

// Every process on the machine whose environment or arguments hold the secret.
Strings ProcessesHolding(const std::string& secret) {
  Strings found;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return found;
  while (dirent* entry = ::readdir(proc)) {
    std::string pid = entry->d_name;
    if (pid.empty() || !std::isdigit(static_cast<unsigned char>(pid[0]))) continue;
    if (pid == std::to_string(::getpid())) continue;
    for (const char* what : {"environ", "cmdline"}) {
      std::string text = ReadAll("/proc/" + pid + "/" + what);
      if (text.find(secret) != std::string::npos) {
        found.push_back(pid + " " + what + ": " + ReadAll("/proc/" + pid + "/comm"));
      }
    }
  }
  ::closedir(proc);
  return found;
}

// The embedded server outlives retort: it must not keep the URLs and passwords of the shell
// that started it, must listen only on its private socket, and must never trust TCP.
TEST_F(Secrets, EmbeddedServerKeepsNoSecretAndTrustsNoTcp) {
  dir_.Write("retort.toml",
             "[database]\nurl = \"embedded\"\n[migrations]\nscript_location = \"migrations\"\n");
  Env env = {{"RETORT_DATABASE_URL", url_},
             {"DATABASE_URL", url_},
             {"PGPASSWORD", kSecret},
             {"PGSERVICEFILE", std::string("/tmp/") + kSecret},
             {"APP_DB_PASSWORD", kSecret}};
  // The server outlives a failed assertion otherwise.
  struct DestroyOnExit {
    std::string dir;
    ~DestroyOnExit() { RunRetort({"dev", "destroy"}, dir, {}, kTimeoutMs); }
  } destroy_on_exit{dir_.path()};
  CommandOutput started = Run({"dev", "start"}, env);
  ASSERT_EQ(started.exit_code, 0) << Describe(started);
  CommandOutput status = Run({"--format", "json", "dev", "status"});
  ASSERT_EQ(status.exit_code, 0) << Describe(status);
  auto report = nlohmann::json::parse(status.out);
  int pid = report["pid"];
  std::string data_dir = report["data_dir"];
  ASSERT_GT(pid, 0);

  std::string environ = ReadAll("/proc/" + std::to_string(pid) + "/environ");
  EXPECT_FALSE(environ.empty());
  EXPECT_EQ(environ.find(kSecret), std::string::npos) << environ;
  EXPECT_EQ(environ.find("DATABASE_URL"), std::string::npos) << environ;
  EXPECT_EQ(environ.find("PGPASSWORD"), std::string::npos) << environ;
  EXPECT_EQ(ProcessesHolding(kSecret), Strings{});

  // Only its socket, in a directory of its own that nobody else may enter.
  std::string pid_file = ReadAll(data_dir + "/postmaster.pid");
  std::vector<std::string> lines;
  std::istringstream pid_lines(pid_file);
  for (std::string line; std::getline(pid_lines, line);) lines.push_back(line);
  ASSERT_GE(lines.size(), 6u) << pid_file;
  EXPECT_EQ(lines[5], "") << "listen address of the embedded server: " << lines[5];
  struct stat socket_dir {};
  ASSERT_EQ(::stat(lines[4].c_str(), &socket_dir), 0) << lines[4];
  EXPECT_EQ(socket_dir.st_mode & 0077, 0u) << lines[4] << " is open to others";
  std::string hba = ReadAll(data_dir + "/pg_hba.conf");
  std::istringstream hba_lines(hba);
  for (std::string line; std::getline(hba_lines, line);) {
    if (line.rfind("host", 0) == 0) {
      EXPECT_EQ(line.find("trust"), std::string::npos) << line;
    }
  }
  EXPECT_EQ(Run({"dev", "destroy"}).exit_code, 0);
  ExpectNoSecretAnywhere();
}

// The test clusters listen on 127.0.0.1: there a password is required.
TEST_F(Secrets, TcpNeedsThePassword) {
  auto rules = pg_->Query("postgres",
                          "SELECT type, auth_method FROM pg_hba_file_rules WHERE type <> 'local'");
  for (const auto& rule : rules) {
    EXPECT_NE(rule[1], "trust") << rule[0];
  }
  WriteConfig("");
  CommandOutput wrong = Run({"current", "--url", UrlFor(pg_, db_, "not-the-password")});
  EXPECT_EQ(wrong.exit_code, 1) << Describe(wrong);
  EXPECT_NE(wrong.err.find("password authentication failed"), std::string::npos) << wrong.err;
}

}  // namespace
}  // namespace retort
