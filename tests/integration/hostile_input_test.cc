// Hostile input: malformed projects, configs, URLs, targets and migration headers, each run
// through the built binary. Every case must end quickly with the right exit code (2 for bad
// input unless the input is legitimately accepted), no signal, a `file:line` where a line is at
// fault, and a database that is byte for byte what it was before.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "support/pg_harness.h"

namespace retort {
namespace {

using ::retort::testing::CommandOutput;
using ::retort::testing::Describe;
using ::retort::testing::PgHarness;
using ::retort::testing::RunRetort;
using ::retort::testing::TempDir;

// Far above what any case needs (the slowest reads 50 MB), far below a hang.
constexpr int kTimeoutMs = 60000;

constexpr char kConfig[] =
    "[migrations]\nscript_location = \"migrations\"\nlock_timeout = \"5s\"\n";
constexpr char kGoodOne[] =
    "-- retort:revision  g1aaaa\n-- retort:revises   none\n-- retort:message   one\n\n"
    "-- retort:upgrade\nCREATE TABLE good_one (id int);\nINSERT INTO good_one VALUES (1);\n\n"
    "-- retort:downgrade\nDROP TABLE good_one;\n";
constexpr char kGoodTwo[] =
    "-- retort:revision  g2bbbb\n-- retort:revises   g1aaaa\n-- retort:message   two\n\n"
    "-- retort:upgrade\nCREATE TABLE good_two (id int);\n\n"
    "-- retort:downgrade\nDROP TABLE good_two;\n";

std::string Versions(const std::string& name) { return "migrations/versions/" + name; }

// A third migration after the good ones: `header` lines between revision/revises and the
// upgrade section, `upgrade` as its SQL.
std::string Third(const std::string& id, const std::string& extra_header,
                  const std::string& upgrade) {
  return "-- retort:revision  " + id + "\n-- retort:revises   g2bbbb\n" + extra_header +
         "\n-- retort:upgrade\n" + upgrade + "\n";
}

struct Case {
  std::string name;
  std::map<std::string, std::string> files;  // relative path -> contents, over the good project
  std::function<void(const std::string& dir)> setup;  // symlinks, FIFOs, ... after the files
  std::vector<std::string> args = {"upgrade", "head"};
  enum class Url { kTestDatabase, kNone, kGiven } url_mode = Url::kTestDatabase;
  std::string url;  // with Url::kGiven
  int exit_code = 2;
  std::string location;                    // "file:line" that stderr must name, if any
  std::vector<std::string> message_parts;  // each must appear in stderr
  std::vector<std::string> stdout_parts;   // each must appear in stdout
};

void PrintTo(const Case& c, std::ostream* out) { *out << c.name; }

// 1-based line of the first `needle` in `text`.
int LineOf(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  if (at == std::string::npos) return 0;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

// "<file>:<line>" of `needle` in a versions/ file.
std::string At(const std::string& file, const std::string& text, const std::string& needle) {
  return file + ":" + std::to_string(LineOf(text, needle));
}

// A migration file that must be refused at the line holding `needle`.
Case BadFile(const std::string& name, const std::string& text, const std::string& needle,
             const std::string& message_part = "") {
  Case c;
  c.name = name;
  std::string file = "30_" + name + ".sql";
  c.files[Versions(file)] = text;
  c.location = At(file, text, needle);
  if (!message_part.empty()) c.message_parts.push_back(message_part);
  return c;
}

Case BadHeader(const std::string& name, const std::string& header_line,
               const std::string& message_part = "") {
  std::string text = Third("h3" + name.substr(0, 0) + "cccc", header_line + "\n",
                           "CREATE TABLE hostile (id int);");
  return BadFile(name, text, header_line.substr(0, 20), message_part);
}

Case BadRevisionId(const std::string& name, const std::string& id) {
  std::string text = "-- retort:revision  " + id +
                     "\n-- retort:revises   g2bbbb\n\n-- retort:upgrade\n"
                     "CREATE TABLE hostile (id int);\n";
  return BadFile(name, text, "-- retort:revision");
}

Case BadConfig(const std::string& name, const std::string& text, const std::string& needle,
               const std::string& message_part = "") {
  Case c;
  c.name = name;
  c.files["retort.toml"] = text;
  if (!needle.empty()) c.location = "retort.toml:" + std::to_string(LineOf(text, needle));
  if (!message_part.empty()) c.message_parts.push_back(message_part);
  return c;
}

Case BadUrl(const std::string& name, const std::string& url, const std::string& message_part = "") {
  Case c;
  c.name = name;
  c.args = {"current"};
  c.url_mode = Case::Url::kGiven;
  c.url = url;
  if (!message_part.empty()) c.message_parts.push_back(message_part);
  return c;
}

Case BadTarget(const std::string& name, std::vector<std::string> args,
               const std::string& message_part = "") {
  Case c;
  c.name = name;
  c.args = std::move(args);
  if (!message_part.empty()) c.message_parts.push_back(message_part);
  return c;
}

// `prefix`, `megabytes` MB of `fill`, `suffix`. RETORT_HOSTILE_MAX_MB caps the size: the
// sanitizer run in CI (where reading 50 MB at -O0 costs a minute) uses smaller huge files.
void WriteBig(const std::string& path, const std::string& prefix, char fill,
              const std::string& suffix, int megabytes = 50) {
  if (const char* cap = std::getenv("RETORT_HOSTILE_MAX_MB");
      cap != nullptr && std::atoi(cap) > 0) {
    megabytes = std::min(megabytes, std::atoi(cap));
  }
  FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr) << path;
  std::string chunk(1 << 20, fill);
  std::fputs(prefix.c_str(), file);
  for (int i = 0; i < megabytes; ++i) std::fwrite(chunk.data(), 1, chunk.size(), file);
  std::fputs(suffix.c_str(), file);
  ASSERT_EQ(std::fclose(file), 0);
}

void MakeFifo(const std::string& path) { ASSERT_EQ(::mkfifo(path.c_str(), 0644), 0) << path; }
void MakeLink(const std::string& target, const std::string& path) {
  ASSERT_EQ(::symlink(target.c_str(), path.c_str()), 0) << path;
}

std::vector<Case> HeaderCases() {
  std::vector<Case> cases;
  // Revision ids that are not ids, or that a target could not name unambiguously.
  const std::vector<std::pair<std::string, std::string>> ids = {
      {"IdSingleQuote", "ab'cd"},  {"IdSemicolonInjection", "ab;DROP TABLE good_one"},
      {"IdDoubleQuote", "ab\"cd"}, {"IdBackslash", "ab\\cd"},
      {"IdInnerSpace", "ab cd"},   {"IdNonAscii", "caf\xC3\xA9"},
      {"IdAtSign", "ab@head"},     {"IdColon", "ab:cd"},
      {"IdPlusRelative", "+1"},    {"IdMinusRelative", "-1"},
      {"IdHeadKeyword", "head"},   {"IdHeadsKeyword", "heads"},
      {"IdBaseKeyword", "base"},   {"IdDollarQuote", "$$x$$"},
      {"IdPercent", "ab%cd"},      {"IdTooLong", std::string(5000, 'a')},
      {"IdComma", "ab,cd"},        {"IdSlash", "../etc"},
  };
  for (const auto& [name, id] : ids) cases.push_back(BadRevisionId(name, id));

  cases.push_back(BadFile("MissingRevision",
                          "-- retort:revises g2bbbb\n-- retort:upgrade\nCREATE TABLE x (id int);\n",
                          "-- retort:revises", "missing '-- retort:revision'"));
  cases.push_back(BadFile("EmptyRevisionValue",
                          "-- retort:revision\n-- retort:revises g2bbbb\n-- retort:upgrade\n"
                          "CREATE TABLE x (id int);\n",
                          "-- retort:revision"));
  cases.push_back(BadFile("RevisionTwice",
                          "-- retort:revision  r1cccc\n-- retort:revision  r2cccc\n"
                          "-- retort:revises g2bbbb\n-- retort:upgrade\nCREATE TABLE x (id int);\n",
                          "-- retort:revision  r2cccc"));
  cases.push_back(BadHeader("UnknownDirective", "-- retort:frobnicate yes", "unknown directive"));
  cases.push_back(BadHeader("MisspelledDirective", "-- retort:revison abc", "unknown directive"));
  cases.push_back(BadHeader("TransactionMaybe", "-- retort:transaction maybe", "maybe"));
  cases.push_back(BadHeader("TransactionEmpty", "-- retort:transaction"));
  cases.push_back(BadHeader("DependsOnQuote", "-- retort:depends-on ab'cd"));
  {
    // The graph reports unknown revisions at the file's `-- retort:revision` line.
    Case c = BadHeader("DependsOnUnknown", "-- retort:depends-on nosuchdep", "nosuchdep");
    c.location = "30_DependsOnUnknown.sql:1";
    cases.push_back(c);
  }
  cases.push_back(BadHeader("BranchLabelSemicolon", "-- retort:branch-labels a;b"));
  cases.push_back(BadHeader("BranchLabelQuote", "-- retort:branch-labels 'x'"));
  cases.push_back(BadHeader("RevisesQuote", "-- retort:revises g2bbbb'"));
  cases.push_back(BadHeader("RevisesTwice", "-- retort:revises g1aaaa"));
  {
    std::string text =
        Third("b3cccc", "", "-- retort:batch size=abc\nUPDATE good_one SET id = id;");
    cases.push_back(BadFile("BatchSizeNotANumber", text, "retort:batch"));
  }
  {
    std::string text = Third("b4cccc", "", "-- retort:batch size=0\nUPDATE good_one SET id = id;");
    cases.push_back(BadFile("BatchSizeZero", text, "retort:batch"));
  }
  {
    std::string text = Third("b5cccc", "", "-- retort:batch size=-5\nUPDATE good_one SET id = id;");
    cases.push_back(BadFile("BatchSizeNegative", text, "retort:batch"));
  }
  {
    std::string text =
        Third("b6cccc", "", "-- retort:batch size=10 frob=1\nUPDATE good_one SET id = id;");
    cases.push_back(BadFile("BatchUnknownOption", text, "retort:batch"));
  }
  {
    std::string text =
        Third("s3cccc", "", "CREATE TABLE fine (id int);\nCREAT TABLE bad (id int);");
    cases.push_back(BadFile("UpgradeSyntaxError", text, "CREAT TABLE", "syntax error"));
  }
  {
    std::string text = Third("s4cccc", "", "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1;");
    cases.push_back(BadFile("UnterminatedDollarQuote", text, "CREATE FUNCTION"));
  }
  {
    std::string text = Third("s5cccc", "", "INSERT INTO good_one VALUES ('unterminated);");
    cases.push_back(BadFile("UnterminatedString", text, "INSERT INTO"));
  }
  {
    std::string text = Third("s6cccc", "", "CREATE TABLE c (id int); /* never closed");
    cases.push_back(BadFile("UnterminatedComment", text, "CREATE TABLE c"));
  }
  {
    std::string text =
        "-- retort:revision  e3cccc\n-- retort:revises g2bbbb\n"
        "CREATE TABLE early (id int);\n-- retort:upgrade\nSELECT 1;\n";
    cases.push_back(BadFile("SqlBeforeUpgradeSection", text, "CREATE TABLE early", "SQL before"));
  }
  {
    std::string text =
        Third("d3cccc", "", "CREATE TABLE twice (id int);\n-- retort:upgrade\nSELECT 1;");
    cases.push_back(BadFile("TwoUpgradeSections", text, "-- retort:upgrade\nSELECT", "duplicate"));
  }
  {
    Case self = BadFile("RevisesItself",
                        "-- retort:revision  selfcc\n-- retort:revises selfcc\n-- retort:upgrade\n"
                        "CREATE TABLE self (id int);\n",
                        "-- retort:revises", "itself");
    cases.push_back(self);
  }
  {
    Case cycle = BadFile("ThreeCycle",
                         "-- retort:revision  cyca\n-- retort:revises cycc\n-- retort:upgrade\n"
                         "CREATE TABLE cycle_a (id int);\n",
                         "-- retort:revision", "cycle");
    cycle.files[Versions("31_b.sql")] =
        "-- retort:revision  cycb\n-- retort:revises cyca\n-- retort:upgrade\nSELECT 1;\n";
    cycle.files[Versions("32_c.sql")] =
        "-- retort:revision  cycc\n-- retort:revises cycb\n-- retort:upgrade\nSELECT 1;\n";
    cases.push_back(cycle);
  }
  {
    Case duplicate = BadFile("DuplicateIdOfApplied",
                             "-- retort:revision  g1aaaa\n-- retort:revises g2bbbb\n"
                             "-- retort:upgrade\nCREATE TABLE dup (id int);\n",
                             "-- retort:revision", "duplicate revision id");
    cases.push_back(duplicate);
  }
  cases.push_back(BadFile("UnknownParent",
                          "-- retort:revision  o3cccc\n-- retort:revises nosuchparent\n"
                          "-- retort:upgrade\nCREATE TABLE orphan (id int);\n",
                          "-- retort:revision", "unknown revision 'nosuchparent'"));
  cases.push_back(BadFile("DuplicateParent",
                          "-- retort:revision  m3cccc\n-- retort:revises g2bbbb, g2bbbb\n"
                          "-- retort:upgrade\nCREATE TABLE merge_twice (id int);\n",
                          "-- retort:revises"));
  cases.push_back(BadFile("NoneAmongParents",
                          "-- retort:revision  m4cccc\n-- retort:revises none, g2bbbb\n"
                          "-- retort:upgrade\nCREATE TABLE none_parent (id int);\n",
                          "-- retort:revises"));
  cases.push_back(BadFile("EmptyFile", "", "", "missing '-- retort:revision'"));
  cases.push_back(BadFile("OnlyWhitespace", "  \n\t\n\n", "", "missing '-- retort:revision'"));
  // Old Mac line ends: the whole file is one line, with no recognisable header.
  cases.push_back(BadFile("CarriageReturnOnly",
                          "-- retort:revision  cr3ccc\r-- retort:revises g2bbbb\r"
                          "-- retort:upgrade\rCREATE TABLE cr (id int);\r",
                          "-- retort:revision"));
  for (Case& c : cases) {
    // An empty file's problem is at line 1.
    if (c.location.size() > 2 && c.location.substr(c.location.size() - 2) == ":0") {
      c.location.replace(c.location.size() - 1, 1, "1");
    }
  }
  return cases;
}

std::vector<Case> EncodingCases() {
  std::vector<Case> cases;
  auto with_bytes = [](const std::string& id, const std::string& message, const std::string& sql) {
    return "-- retort:revision  " + id + "\n-- retort:revises   g2bbbb\n-- retort:message " +
           message + "\n\n-- retort:upgrade\n" + sql + "\n";
  };
  {
    std::string text = with_bytes("u1cccc", "caf\xE9 latin-1", "CREATE TABLE u1 (id int);");
    cases.push_back(BadFile("Latin1InHeader", text, "-- retort:message", "UTF-8"));
  }
  {
    std::string text = with_bytes("u2cccc", "ok",
                                  "CREATE TABLE u2 (id int);\nINSERT INTO good_one VALUES (2);\n"
                                  "COMMENT ON TABLE u2 IS 'caf\xE9';");
    cases.push_back(BadFile("Latin1InStatement", text, "COMMENT ON", "UTF-8"));
  }
  {
    // Outside a transaction the first statements would stay committed if it ran at all.
    std::string text =
        "-- retort:revision  u3cccc\n-- retort:revises g2bbbb\n"
        "-- retort:transaction none\n\n-- retort:upgrade\n"
        "CREATE TABLE u3 (id int);\nINSERT INTO good_one VALUES (3);\n"
        "COMMENT ON TABLE u3 IS '\xFF\xFE';\n";
    cases.push_back(BadFile("InvalidUtf8OutsideTransaction", text, "COMMENT ON", "UTF-8"));
  }
  {
    std::string text = with_bytes("u4cccc", "overlong \xC0\xAF slash", "SELECT 1;");
    cases.push_back(BadFile("OverlongEncoding", text, "-- retort:message", "UTF-8"));
  }
  {
    std::string text = with_bytes("u5cccc", "surrogate \xED\xA0\x80", "SELECT 1;");
    cases.push_back(BadFile("EncodedSurrogate", text, "-- retort:message", "UTF-8"));
  }
  {
    std::string text = with_bytes("u6cccc", "ok", "SELECT 1; -- cut \xE2\x82");
    cases.push_back(BadFile("TruncatedSequenceAtEnd", text, "SELECT 1; -- cut", "UTF-8"));
  }
  {
    std::string text = with_bytes("u7cccc", "beyond \xF4\x90\x80\x80", "SELECT 1;");
    cases.push_back(BadFile("AboveUnicodeRange", text, "-- retort:message", "UTF-8"));
  }
  {
    // UTF-16 with its byte order mark, as some Windows editors save.
    std::string ascii = with_bytes("u8cccc", "utf16", "SELECT 1;");
    std::string text = "\xFF\xFE";
    for (char c : ascii) {
      text += c;
      text += '\0';
    }
    cases.push_back(BadFile("Utf16File", text, "", "UTF-8"));
    cases.back().location = "30_Utf16File.sql:1";
  }
  {
    std::string text = with_bytes("n1cccc", std::string("nul\0byte", 8), "SELECT 1;");
    cases.push_back(BadFile("NulInHeader", text, "-- retort:message", "NUL"));
  }
  {
    std::string text = with_bytes(
        "n2cccc", "ok", std::string("CREATE TABLE n2 (id int);\0DROP TABLE good_one;", 46));
    cases.push_back(BadFile("NulInStatement", text, "CREATE TABLE n2", "NUL"));
  }
  // 50 MB on one line, written when the case runs (the parameters stay small).
  {
    Case c;
    c.name = "HugeRevisionLine";
    c.setup = [](const std::string& dir) {
      WriteBig(dir + "/migrations/versions/30_huge.sql", "-- retort:revision  ", 'a',
               "\n-- retort:revises g2bbbb\n-- retort:upgrade\nSELECT 1;\n");
    };
    c.location = "30_huge.sql:1";
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "HugeStatementLine";
    c.setup = [](const std::string& dir) {
      WriteBig(dir + "/migrations/versions/30_huge.sql",
               "-- retort:revision  hugecc\n-- retort:revises g2bbbb\n-- retort:upgrade\nSELECT ",
               '(', ";\n");
    };
    c.location = "30_huge.sql:4";
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "HugeLiteralWithoutNewline";
    c.setup = [](const std::string& dir) {
      WriteBig(dir + "/migrations/versions/30_huge.sql",
               "-- retort:revision  hugedd\n-- retort:revises g2bbbb\n-- retort:upgrade\n"
               "SELECT '",
               'x', "", /*megabytes=*/10);
    };
    c.location = "30_huge.sql:4";
    cases.push_back(c);
  }
  // Accepted: a byte order mark or CRLF line ends are how editors on Windows save files.
  {
    Case c;
    c.name = "ByteOrderMarkAccepted";
    c.files[Versions("30_bom.sql")] =
        "\xEF\xBB\xBF-- retort:revision  bomccc\n-- retort:revises g2bbbb\n-- retort:upgrade\n"
        "CREATE TABLE bom_table (id int);\n";
    c.args = {"upgrade", "g2bbbb:head", "--sql"};
    c.exit_code = 0;
    c.stdout_parts = {"bom_table"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "CrlfAccepted";
    c.files[Versions("30_crlf.sql")] =
        "-- retort:revision  crlfcc\r\n-- retort:revises g2bbbb\r\n-- retort:message crlf\r\n"
        "\r\n-- retort:upgrade\r\nCREATE TABLE crlf_table (id int);\r\n\r\n"
        "-- retort:downgrade\r\nDROP TABLE crlf_table;\r\n";
    c.args = {"upgrade", "g2bbbb:head", "--sql"};
    c.exit_code = 0;
    c.stdout_parts = {"crlf_table", "crlfcc"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "CrlfShowsCleanHeader";
    c.files[Versions("30_crlf.sql")] =
        "-- retort:revision  crlfcd\r\n-- retort:revises g2bbbb\r\n-- retort:message crlf msg\r\n"
        "-- retort:upgrade\r\nCREATE TABLE crlf_show (id int);\r\n";
    c.args = {"heads"};
    c.exit_code = 0;
    c.stdout_parts = {"crlfcd"};
    cases.push_back(c);
  }
  return cases;
}

std::vector<Case> FileSystemCases() {
  std::vector<Case> cases;
  const std::string versions = "/migrations/versions/";
  {
    Case c;
    c.name = "DanglingSymlink";
    c.setup = [=](const std::string& dir) {
      MakeLink(dir + "/nowhere.sql", dir + versions + "30_dangling.sql");
    };
    c.message_parts = {"30_dangling.sql", "missing file"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "SymlinkLoop";
    c.setup = [=](const std::string& dir) {
      MakeLink(dir + versions + "31_b.sql", dir + versions + "30_a.sql");
      MakeLink(dir + versions + "30_a.sql", dir + versions + "31_b.sql");
    };
    c.message_parts = {"30_a.sql", "31_b.sql", "loop"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "SymlinkToItself";
    c.setup = [=](const std::string& dir) {
      MakeLink("30_self.sql", dir + versions + "30_self.sql");
    };
    c.message_parts = {"30_self.sql", "loop"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "DirectoryNamedSql";
    c.setup = [=](const std::string& dir) {
      ASSERT_EQ(::mkdir((dir + versions + "30_dir.sql").c_str(), 0755), 0);
    };
    c.message_parts = {"30_dir.sql", "directory"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "FifoNamedSql";
    c.setup = [=](const std::string& dir) { MakeFifo(dir + versions + "30_fifo.sql"); };
    c.message_parts = {"30_fifo.sql", "FIFO"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "SocketNamedSql";
    c.setup = [=](const std::string& dir) {
      std::string path = dir + versions + "30_sock.sql";
      int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
      ASSERT_GE(fd, 0);
      sockaddr_un address{};
      address.sun_family = AF_UNIX;
      ASSERT_LT(path.size(), sizeof address.sun_path);
      path.copy(address.sun_path, path.size());
      ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0) << path;
      ::close(fd);
    };
    c.message_parts = {"30_sock.sql", "socket"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "SymlinkToDirectory";
    c.setup = [=](const std::string& dir) { MakeLink("/tmp", dir + versions + "30_tmp.sql"); };
    c.message_parts = {"30_tmp.sql", "directory"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "SymlinkToFifo";
    c.setup = [=](const std::string& dir) {
      MakeFifo(dir + "/pipe");
      MakeLink(dir + "/pipe", dir + versions + "30_pipe.sql");
    };
    c.message_parts = {"30_pipe.sql", "FIFO"};
    cases.push_back(c);
  }
  if (::geteuid() != 0) {
    // Root reads any file whatever its mode, so this case only means something for others.
    Case c;
    c.name = "UnreadableFile";
    c.files[Versions("30_locked.sql")] = Third("lockcc", "", "SELECT 1;");
    c.setup = [=](const std::string& dir) {
      ASSERT_EQ(::chmod((dir + versions + "30_locked.sql").c_str(), 0), 0);
    };
    c.message_parts = {"30_locked.sql", "Permission denied"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "VersionsDirectoryMissing";
    c.setup = [](const std::string& dir) {
      ASSERT_EQ(std::system(("rm -rf '" + dir + "/migrations/versions'").c_str()), 0);
    };
    c.message_parts = {"versions"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "VersionsIsAFile";
    c.setup = [](const std::string& dir) {
      ASSERT_EQ(std::system(("rm -rf '" + dir + "/migrations/versions' && touch '" + dir +
                             "/migrations/versions'")
                                .c_str()),
                0);
    };
    c.message_parts = {"versions"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "VersionsIsADanglingSymlink";
    c.setup = [](const std::string& dir) {
      ASSERT_EQ(std::system(("rm -rf '" + dir + "/migrations/versions'").c_str()), 0);
      MakeLink(dir + "/gone", dir + "/migrations/versions");
    };
    c.message_parts = {"versions"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "ConfigIsAFifo";
    c.setup = [](const std::string& dir) { MakeFifo(dir + "/fifo.toml"); };
    c.args = {"--config", "fifo.toml", "upgrade", "head"};
    c.message_parts = {"fifo.toml"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "ConfigIsADirectory";
    c.setup = [](const std::string& dir) {
      ASSERT_EQ(::mkdir((dir + "/d.toml").c_str(), 0755), 0);
    };
    c.args = {"--config", "d.toml", "upgrade", "head"};
    c.message_parts = {"d.toml"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "ConfigIsADanglingSymlink";
    c.setup = [](const std::string& dir) { MakeLink(dir + "/gone.toml", dir + "/link.toml"); };
    c.args = {"--config", "link.toml", "upgrade", "head"};
    c.message_parts = {"link.toml"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "TemplateWithInvalidUtf8";
    c.files["migrations/script.sql.tmpl"] =
        "-- retort:revision ${revision}\n-- retort:revises ${revises}\n-- \xFF\n"
        "-- retort:upgrade\n${upgrade}\n";
    c.args = {"revision", "-m", "x"};
    c.location = "script.sql.tmpl:3";
    c.message_parts = {"UTF-8"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "TemplateIsAFifo";
    c.setup = [](const std::string& dir) { MakeFifo(dir + "/migrations/script.sql.tmpl"); };
    c.args = {"revision", "-m", "x"};
    c.message_parts = {"script.sql.tmpl", "FIFO"};
    cases.push_back(c);
  }
  // schema/ files are applied to a scratch database on the dev server; a bad one is refused
  // before any of them runs.
  auto with_dev_server = [](const std::string& dir) {
    std::ofstream(dir + "/retort.toml", std::ios::app)
        << "[schema]\npaths = [\"schema\"]\ndev_url = \"" << PgHarness::Get()->Url("postgres")
        << "\"\n";
  };
  {
    Case c;
    c.name = "SchemaFileInvalidUtf8";
    c.files["schema/10_tables.sql"] = "CREATE TABLE good_one (id int);\n-- caf\xE9\n";
    c.setup = with_dev_server;
    c.args = {"check"};
    c.location = "10_tables.sql:2";
    c.message_parts = {"UTF-8"};
    cases.push_back(c);
  }
  {
    Case c;
    c.name = "SchemaFileDanglingSymlink";
    c.files["schema/10_tables.sql"] = "CREATE TABLE good_one (id int);\n";
    c.setup = [=](const std::string& dir) {
      with_dev_server(dir);
      MakeLink(dir + "/gone.sql", dir + "/schema/20_gone.sql");
    };
    c.args = {"check"};
    c.message_parts = {"20_gone.sql", "missing file"};
    cases.push_back(c);
  }
  {
    // Dot files are editor and OS droppings, not migrations (documented behaviour).
    Case c;
    c.name = "HiddenGarbageIgnored";
    c.files[Versions(".30_swap.sql")] = "\xFF\xFE garbage \0";
    c.args = {"heads"};
    c.exit_code = 0;
    c.stdout_parts = {"g2bbbb"};
    cases.push_back(c);
  }
  return cases;
}

std::vector<Case> ConfigCases() {
  std::vector<Case> cases;
  const std::string head = "[migrations]\nscript_location = \"migrations\"\n";
  cases.push_back(BadConfig("TomlSyntax", head + "lock_timeout = \"5s\nx = 1\n", "lock_timeout"));
  cases.push_back(
      BadConfig("TomlInvalidUtf8", head + "# caf\xE9\nlock_timeout = \"5s\"\n", "# caf", "UTF-8"));
  cases.push_back(BadConfig("TomlNul", head + std::string("# a\0b\n", 6), "# a", "NUL"));
  cases.push_back(BadConfig("TomlDuplicateKey",
                            head + "lock_timeout = \"5s\"\nlock_timeout = \"6s\"\n",
                            "lock_timeout = \"6s\""));
  cases.push_back(
      BadConfig("TomlUnknownKey", head + "lock_timout = \"5s\"\n", "lock_timout", "unknown key"));
  cases.push_back(BadConfig("TomlUnknownSection", head + "[databse]\nurl = \"x\"\n", "[databse]",
                            "unknown section"));
  cases.push_back(
      BadConfig("LockTimeoutGarbage", head + "lock_timeout = \"abc\"\n", "lock_timeout"));
  cases.push_back(
      BadConfig("LockTimeoutNegative", head + "lock_timeout = \"-5s\"\n", "lock_timeout"));
  cases.push_back(BadConfig("StatementTimeoutInteger", head + "statement_timeout = 5\n",
                            "statement_timeout", "must be a string"));
  cases.push_back(BadConfig("TransactionPerMigrationString",
                            head + "transaction_per_migration = \"yes\"\n",
                            "transaction_per_migration"));
  cases.push_back(BadConfig("VersionTableEmpty", head + "version_table = \"\"\n", "version_table"));
  cases.push_back(BadConfig("VersionTableTooLong",
                            head + "version_table = \"" + std::string(64, 'v') + "\"\n",
                            "version_table"));
  cases.push_back(BadConfig("VersionTableNul", head + "version_table = \"a\\u0000b\"\n",
                            "version_table", "NUL"));
  cases.push_back(BadConfig("UrlInteger", head + "[database]\nurl = 5\n", "url = 5"));
  cases.push_back(BadConfig("UrlEmpty", head + "[database]\nurl = \"\"\n", "url = \"\""));
  cases.push_back(
      BadConfig("ScriptLocationMissing", "[migrations]\nscript_location = \"nowhere\"\n", ""));
  cases.back().message_parts = {"nowhere"};
  cases.push_back(BadConfig(
      "DeeplyNestedArray",
      head + "[schema]\npaths = " + std::string(100000, '[') + std::string(100000, ']') + "\n",
      ""));
  {
    Case c;
    c.name = "HugeConfigLine";
    c.setup = [](const std::string& dir) {
      WriteBig(dir + "/retort.toml", "[migrations]\nscript_location = \"", 'c', "\n",
               /*megabytes=*/10);
    };
    c.location = "retort.toml:2";
    cases.push_back(c);
  }
  // Identifiers are quoted wherever they are used, so a hostile version table name names an odd
  // table and nothing more: `current` finds nothing there and changes nothing.
  for (const auto& [name, table] : std::vector<std::pair<std::string, std::string>>{
           {"VersionTableSemicolon", "v; DROP TABLE good_one; --"},
           {"VersionTableDoubleQuote", "v\\\"; DROP TABLE good_one; --"},
           {"VersionTableSingleQuote", "v'); DROP TABLE good_one; --"}}) {
    Case c = BadConfig(name, head + "version_table = \"" + table + "\"\n", "");
    c.args = {"current"};
    c.exit_code = 0;
    cases.push_back(c);
  }
  {
    Case c = BadConfig("VersionTableSchemaInjection",
                       head + "version_table_schema = \"public; DROP TABLE good_one\"\n", "");
    c.args = {"current"};
    c.exit_code = 0;
    cases.push_back(c);
  }
  // Accepted: Windows editors write a byte order mark and CRLF.
  {
    Case c = BadConfig("TomlByteOrderMarkAccepted", "\xEF\xBB\xBF" + head, "");
    c.args = {"heads"};
    c.exit_code = 0;
    c.stdout_parts = {"g2bbbb"};
    cases.push_back(c);
  }
  {
    Case c = BadConfig("TomlCrlfAccepted",
                       "[migrations]\r\nscript_location = \"migrations\"\r\n"
                       "lock_timeout = \"5s\"\r\n",
                       "");
    c.args = {"heads"};
    c.exit_code = 0;
    c.stdout_parts = {"g2bbbb"};
    cases.push_back(c);
  }
  {
    Case c = BadConfig("FileTemplateEscapes", head + "file_template = \"../../escaped_{rev}\"\n",
                       "file_template");
    c.args = {"revision", "-m", "x"};
    cases.push_back(c);
  }
  return cases;
}

std::vector<Case> UrlCases() {
  std::vector<Case> cases;
  cases.push_back(BadUrl("UnclosedIpv6Bracket", "postgresql://u:pw@[::1/x", "IPv6"));
  cases.push_back(BadUrl("EmptyIpv6Brackets", "postgresql://[]/x", "IPv6"));
  cases.push_back(BadUrl("NotAnIpv6Address", "postgresql://[zz]/x", "IPv6"));
  cases.push_back(BadUrl("JunkAfterIpv6", "postgresql://[::1]x/db", "IPv6"));
  cases.push_back(BadUrl("StrayClosingBracket", "postgresql://h]/x"));
  cases.push_back(BadUrl("PortTooBig", "postgresql://h:99999/x", "port"));
  cases.push_back(BadUrl("PortZero", "postgresql://h:0/x", "port"));
  cases.push_back(BadUrl("PortNotANumber", "postgresql://h:abc/x", "port"));
  cases.push_back(BadUrl("PortNegative", "postgresql://h:-1/x", "port"));
  cases.push_back(BadUrl("TwoPorts", "postgresql://h:5432:5433/x", "port"));
  cases.push_back(BadUrl("EmptyHostWithJunkPort", "postgresql://:junk/x", "port"));
  cases.push_back(BadUrl("SpaceInHost", "postgresql://ho st/x", "host"));
  cases.push_back(BadUrl("BadPercentInHost", "postgresql://%zz/x", "%"));
  cases.push_back(BadUrl("BadPercentInDatabase", "postgresql://h/%zz", "%"));
  cases.push_back(BadUrl("PercentNulInDatabase", "postgresql://h/a%00b", "%"));
  cases.push_back(BadUrl("BadPercentInParameter", "postgresql://h/x?application_name=%zz", "%"));
  cases.push_back(BadUrl("BadPercentInPassword", "postgresql://u:p%zz@h/x", "percent"));
  cases.push_back(BadUrl("UnknownParameter", "postgresql://h/x?frobnicate=1", "frobnicate"));
  cases.push_back(BadUrl("ParameterWithoutValue", "postgresql://h/x?sslmode", "no value"));
  cases.push_back(BadUrl("BadSslmode", "postgresql://h/x?sslmode=sometimes", "sslmode"));
  cases.push_back(BadUrl("ConnectTimeoutNotANumber", "postgresql://h/x?connect_timeout=soon"));
  cases.push_back(BadUrl("UnsupportedScheme", "mysql://u@h/x", "scheme"));
  cases.push_back(BadUrl("NoScheme", "://h/x"));
  cases.push_back(BadUrl("Garbage", "not a url at all"));
  cases.push_back(BadUrl("KeywordValueUnterminatedQuote", "host=h password='abc dbname=x"));
  cases.push_back(BadUrl("KeywordValueUnknownKeyword", "host=h frobnicate=1", "frobnicate"));
  cases.push_back(BadUrl("KeywordValueBadPort", "host=h port=abc dbname=x", "port"));
  cases.push_back(BadUrl("KeywordValueMissingEquals", "host=h dbname", ""));
  cases.push_back(BadUrl("NewlineInjection", "postgresql://h/x\nhost=elsewhere"));
  cases.push_back(BadUrl("EmptyUrl", "", "empty"));
  {
    Case c = BadUrl("EnvironmentUrlMalformed", "", "IPv6");
    c.url_mode = Case::Url::kNone;
    c.files["retort.toml"] = std::string(kConfig) + "[database]\nurl = \"postgresql://[::1/x\"\n";
    cases.push_back(c);
  }
  return cases;
}

std::vector<Case> TargetCases() {
  std::vector<Case> cases;
  cases.push_back(BadTarget("HeadMinusTooMany", {"downgrade", "head-999"}));
  cases.push_back(BadTarget("TwoAtSigns", {"upgrade", "x@y@z"}));
  cases.push_back(BadTarget("BareColon", {"upgrade", ":"}));
  cases.push_back(BadTarget("EmptyTarget", {"upgrade", ""}));
  cases.push_back(BadTarget("PlusNotANumber", {"upgrade", "+abc"}));
  cases.push_back(BadTarget("PlusOverflow", {"upgrade", "+99999999999999999999999"}));
  cases.push_back(BadTarget("MinusOverflow", {"downgrade", "-99999999999999999999999"}));
  cases.push_back(BadTarget("UnknownRevision", {"upgrade", "nosuchrev"}, "nosuchrev"));
  cases.push_back(BadTarget("AmbiguousPrefix", {"upgrade", "g"}));
  cases.push_back(BadTarget("RangeWithoutSql", {"upgrade", "base:head"}));
  cases.push_back(BadTarget("ThreePartRange", {"upgrade", "a:b:c", "--sql"}));
  cases.push_back(BadTarget("SqlInjectionTarget", {"upgrade", "'; DROP TABLE good_one; --"}));
  cases.push_back(BadTarget("UnknownLabel", {"upgrade", "nolabel@head"}));
  cases.push_back(BadTarget("DowngradeUpwards", {"downgrade", "+1"}));
  cases.push_back(BadTarget("InvalidUtf8Target", {"upgrade", "\xFF\xFE"}));
  cases.push_back(BadTarget("StampTwoAtSigns", {"stamp", "x@y@z"}));
  cases.push_back(BadTarget("StampUnknown", {"stamp", "nosuchrev"}));
  cases.push_back(BadTarget("HistoryBadRange", {"history", "-r", "a:b:c"}));
  cases.push_back(BadTarget("HistoryUnknownRange", {"history", "-r", "nosuch:head"}));
  cases.push_back(BadTarget("ShowEmpty", {"show", ""}));
  cases.push_back(BadTarget("ShowSemicolon", {"show", "g1aaaa;DROP"}));
  cases.push_back(BadTarget("LockWaitGarbage", {"upgrade", "head", "--lock-wait", "soon"}));
  cases.push_back(BadTarget("UnknownFlag", {"upgrade", "head", "--frobnicate"}));
  cases.push_back(BadTarget("UnknownCommand", {"frobnicate"}));
  cases.push_back(BadTarget("RevisionIdInjection", {"revision", "-m", "x", "--rev-id", "a'b;c"}));
  cases.push_back(BadTarget("RevisionHeadUnknown", {"revision", "-m", "x", "--head", "x@y@z"}));
  cases.push_back(BadTarget("MergeUnknown", {"merge", "-m", "x", "nosuch", "g1aaaa"}));
  cases.push_back(BadTarget("FormatUnknown", {"--format", "yaml", "current"}));
  return cases;
}

std::vector<Case> AllCases() {
  std::vector<Case> all;
  for (auto group : {HeaderCases(), EncodingCases(), FileSystemCases(), ConfigCases(), UrlCases(),
                     TargetCases()}) {
    all.insert(all.end(), group.begin(), group.end());
  }
  return all;
}

// Everything a run could change: the objects of every schema but the system ones, and the rows
// of every table and sequence (as md5 of their sorted text).
constexpr char kFingerprintSql[] = R"sql(
SELECT string_agg(item, E'\n' ORDER BY item) FROM (
  SELECT 'rel ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' ||
         CASE WHEN c.relkind IN ('r', 'p') THEN
           md5(query_to_xml(format('SELECT t::text AS r FROM %s t ORDER BY 1', c.oid::regclass),
                            false, false, '')::text)
         WHEN c.relkind = 'S' THEN
           query_to_xml(format('SELECT last_value, is_called FROM %s', c.oid::regclass),
                        false, false, '')::text
         ELSE '' END AS item
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
     AND n.nspname NOT LIKE 'pg_temp%'
  UNION ALL
  SELECT 'type ' || n.nspname || '.' || t.typname
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  UNION ALL
  SELECT 'schema ' || nspname FROM pg_namespace
  UNION ALL
  SELECT 'proc ' || n.nspname || '.' || p.proname
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
) items
)sql";

// "<file>:<line>" not followed by another digit.
bool Mentions(const std::string& text, const std::string& location) {
  for (size_t at = text.find(location); at != std::string::npos; at = text.find(location, at + 1)) {
    size_t after = at + location.size();
    if (after == text.size() || !std::isdigit(static_cast<unsigned char>(text[after]))) return true;
  }
  return false;
}

// One database for every case, at head of the good migrations: a case that changed anything
// would show in its fingerprint.
class HostileInput : public ::testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite() { FreshDatabase(); }

  // A new database at head of the good migrations (also after a case that changed one, so that
  // its damage does not spread to the cases after it).
  static void FreshDatabase() {
    PgHarness* pg = PgHarness::Get();
    if (pg == nullptr) return;
    delete database_;
    database_ = new std::string(pg->CreateDatabase("hostile"));
    TempDir dir;
    WriteGoodProject(dir);
    CommandOutput up =
        RunRetort({"upgrade", "head", "--url", pg->Url(*database_)}, dir.path(), {}, kTimeoutMs);
    ASSERT_EQ(up.exit_code, 0) << Describe(up);
  }

  static void WriteGoodProject(const TempDir& dir) {
    dir.Write("retort.toml", kConfig);
    dir.Write(Versions("10_good_one.sql"), kGoodOne);
    dir.Write(Versions("20_good_two.sql"), kGoodTwo);
  }

  static std::string* database_;
  static inline std::string fingerprint_;  // of database_ after the last case
};

std::string* HostileInput::database_ = nullptr;

TEST_P(HostileInput, IsRefusedCleanlyAndChangesNothing) {
  RETORT_REQUIRE_PG(pg);
  ASSERT_NE(database_, nullptr);
  const Case& c = GetParam();
  TempDir dir;
  WriteGoodProject(dir);
  for (const auto& [path, text] : c.files) dir.Write(path, text);
  if (c.setup) c.setup(dir.path());
  if (::testing::Test::HasFatalFailure()) return;

  std::vector<std::string> args = c.args;
  std::map<std::string, std::string> env = {{"RETORT_DATABASE_URL", ""}, {"DATABASE_URL", ""}};
  if (c.url_mode == Case::Url::kTestDatabase) {
    args.insert(args.begin(), {"--url", pg->Url(*database_)});
  } else if (c.url_mode == Case::Url::kGiven) {
    args.insert(args.begin(), {"--url", c.url});
  }
  // Nothing else touches the database, so the previous case's "after" is this one's "before".
  if (fingerprint_.empty()) fingerprint_ = pg->Scalar(*database_, kFingerprintSql);
  std::string before = fingerprint_;
  CommandOutput output = RunRetort(args, dir.path(), env, kTimeoutMs);
  std::string after = pg->Scalar(*database_, kFingerprintSql);

  // Long outputs (a 50 MB id echoed back) are cut so that a failure stays readable.
  auto shown = [&] {
    CommandOutput cut = output;
    if (cut.out.size() > 4000) cut.out = cut.out.substr(0, 4000) + "...";
    if (cut.err.size() > 4000) cut.err = cut.err.substr(0, 4000) + "...";
    return Describe(cut);
  };
  ASSERT_FALSE(output.timed_out) << "hung; " << shown();
  ASSERT_LT(output.exit_code, 128) << "killed by a signal; " << shown();
  EXPECT_EQ(output.exit_code, c.exit_code) << shown();
  if (c.exit_code == 2) {
    EXPECT_FALSE(output.err.empty()) << "no message; " << shown();
    EXPECT_LT(output.err.size(), 200000u) << "the message echoes too much input";
  }
  if (!c.location.empty()) {
    EXPECT_TRUE(Mentions(output.err, c.location)) << "expected " << c.location << "; " << shown();
  }
  for (const std::string& part : c.message_parts) {
    EXPECT_NE(output.err.find(part), std::string::npos)
        << "expected \"" << part << "\"; " << shown();
  }
  for (const std::string& part : c.stdout_parts) {
    EXPECT_NE(output.out.find(part), std::string::npos)
        << "expected \"" << part << "\" on stdout; " << shown();
  }
  EXPECT_EQ(before, after) << "the database changed; " << shown();
  fingerprint_ = after;
  if (before != after) {
    FreshDatabase();
    fingerprint_.clear();
  }
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(Each, HostileInput, ::testing::ValuesIn(AllCases()), CaseName);

TEST(HostileInputCount, AtLeastAHundredCases) { EXPECT_GE(AllCases().size(), 100u); }

}  // namespace
}  // namespace retort
