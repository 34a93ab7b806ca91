// Round trips (tests/support/roundtrip.h) on real schemas nobody on the project wrote: the ones
// Debian packages ship, fetched by scripts/fetch_schemas.sh into a cache folder (issue 5's
// acceptance, grown by issue 12 to monitoring, DNS/DHCP/RADIUS, VoIP, mail and groupware,
// accounting, configuration management, BioSQL and OpenStreetMap on PostGIS).
//
// Each case also states the exact set of kinds its schema has that retort reads by name and
// definition but does not model ("named-only", tests/integration/unmodelled_test.cc): the test
// fails when that set changes either way, so modelling a kind, or a package growing a new one,
// is noticed. A retort bug the corpus shows and that is not fixed yet is a known bug of its case:
// the case then fails unless that bug still shows, so fixing it means removing the note.
//
// The files load as shipped, except for the few rewrites documented at their case (each keeps
// the line count, so error positions still point into the package's file). Extensions a schema
// uses without creating them are created first, and roles it grants to are created in the
// cluster. Without the cache the cases skip locally (run scripts/fetch_schemas.sh) and fail in
// CI; so do cases whose extensions this server lacks (scripts/setup.sh installs them).
//
// At the end the test prints a [corpus] summary: objects of each kind in all schemas, modelled
// or named-only.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "base/files.h"
#include "pg/connection.h"
#include "support/pg_harness.h"
#include "support/roundtrip.h"

namespace retort::testing {
namespace {

namespace fs = std::filesystem;

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

std::string PackageFile(const std::string& package, const std::string& path) {
  return JoinPath(JoinPath(SchemaCache(), package), path);
}

// A rewrite of a package's file so that it loads into a plain database on the test cluster.
using Preprocess = std::function<std::string(const std::string&)>;

// A retort bug a case shows and that is not fixed yet: every problem the round trip finds must
// contain the symptom of one of the case's known bugs, and each known bug's symptom must show.
struct KnownBug {
  std::string symptom;
  std::string note;
};

struct CorpusCase {
  std::string name;                     // the test's name
  std::vector<std::string> files;       // in the cache, applied in order
  std::set<std::string> named_only;     // UnmodelledObject kinds S has, exactly
  std::vector<std::string> extensions;  // created before the files
  std::vector<std::string> roles;       // created in the cluster before the files
  Preprocess preprocess;                // applied to each file; may be empty
  std::vector<KnownBug> known_bugs;
};

// gtest prints the parameter of a failing case: its name, not its bytes.
void PrintTo(const CorpusCase& corpus_case, std::ostream* out) { *out << corpus_case.name; }

// Replaces whole lines matching `pattern` by empty lines (the line count stays).
std::string BlankLines(const std::string& text, const std::regex& pattern) {
  std::istringstream in(text);
  std::string line, kept;
  while (std::getline(in, line)) kept += std::regex_search(line, pattern) ? "\n" : line + "\n";
  return kept;
}

// Blanks each `COPY ... FROM stdin;` statement and its data rows up to the `\.` line: rows in
// psql's copy format are data, not schema, and schema files cannot stream them (ApplySqlFiles
// says so by name).
std::string BlankCopyData(const std::string& text) {
  static const std::regex kCopyFromStdin(R"(^COPY\s.*\sFROM\s+stdin\b)", std::regex::icase);
  std::istringstream in(text);
  std::string line, kept;
  bool in_copy = false;
  while (std::getline(in, line)) {
    if (!in_copy && std::regex_search(line, kCopyFromStdin)) in_copy = true;
    kept += in_copy ? "\n" : line + "\n";
    if (in_copy && line == "\\.") in_copy = false;
  }
  return kept;
}

// PostgreSQL 15 databases have plpgsql already, and CREATE LANGUAGE without OR REPLACE fails.
std::string BlankCreateLanguagePlpgsql(const std::string& text) {
  return BlankLines(text, std::regex(R"(^CREATE\s+LANGUAGE\s+plpgsql\s*;\s*$)", std::regex::icase));
}

std::vector<std::string> InPackage(const std::string& package,
                                   const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) files.push_back(PackageFile(package, path));
  return files;
}

// kamailio's kamdbctl creates the `version` table (standard-create.sql) and then each module's
// tables, whose files insert their row into it. A missing folder yields the folder itself, which
// the test reports as missing.
std::vector<std::string> KamailioFiles() {
  std::string dir = PackageFile("kamailio-postgres-modules", "usr/share/kamailio/postgres");
  std::vector<std::string> modules;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    std::string name = entry.path().filename().string();
    if (name.ends_with("-create.sql") && name != "standard-create.sql") {
      modules.push_back(entry.path().string());
    }
  }
  if (modules.empty()) return {dir};
  std::sort(modules.begin(), modules.end());
  modules.insert(modules.begin(), JoinPath(dir, "standard-create.sql"));
  return modules;
}

std::vector<CorpusCase> Cases() {
  std::vector<CorpusCase> cases;
  auto add = [&cases](std::string name, std::vector<std::string> files,
                      std::set<std::string> named_only = {}) -> CorpusCase& {
    cases.push_back({std::move(name), std::move(files), std::move(named_only), {}, {}, {}, {}});
    return cases.back();
  };

  // ---- monitoring
  add("zabbix", {PackageFile("zabbix-server-pgsql", "usr/share/zabbix-server-pgsql/schema.sql")});
  add("icingaweb2_director",
      {PackageFile("icingaweb2-module-director",
                   "usr/share/icingaweb2/modules/director/schema/pgsql.sql")});
  add("icinga2_ido",
      {PackageFile("icinga2-ido-pgsql", "usr/share/icinga2-ido-pgsql/schema/pgsql.sql")});
  add("icingadb", {PackageFile("icingadb", "usr/share/icingadb/schema/pgsql/schema.sql")});
  add("icingaweb2", {PackageFile("icingaweb2", "usr/share/icingaweb2/schema/pgsql.schema.sql")});
  add("icingaweb2_reporting",
      {PackageFile("icingaweb2-module-reporting",
                   "usr/share/icingaweb2/modules/reporting/schema/postgresql.sql")});
  add("collectd",
      {PackageFile("collectd-core",
                   "usr/share/doc/collectd-core/examples/postgresql/collectd_insert.sql")});
  add("prelude", {PackageFile("libpreludedb7-pgsql", "usr/share/libpreludedb/classic/pgsql.sql")});
  add("ulogd2", {PackageFile("ulogd2", "usr/share/doc/ulogd2/pgsql-ulogd2.sql")});
  // Its lookup table's rows come as COPY ... FROM stdin: blanked (BlankCopyData).
  add("pmacct", {PackageFile("pmacct", "usr/share/pmacct/sql/pmacct-create-table_v9.pgsql")})
      .roles = {"pmacct"};
  cases.back().preprocess = BlankCopyData;

  // ---- DNS, DHCP, RADIUS, IP address management
  add("pdns",
      {PackageFile("pdns-backend-pgsql", "usr/share/pdns-backend-pgsql/schema/schema.pgsql.sql")});
  add("kea", {PackageFile("kea-admin", "usr/share/kea/scripts/pgsql/dhcpdb_create.pgsql")});
  add("freeradius", InPackage("freeradius-config",
                              {"etc/freeradius/3.0/mods-config/sql/main/postgresql/schema.sql",
                               "etc/freeradius/3.0/mods-config/sql/ippool/postgresql/schema.sql",
                               "etc/freeradius/3.0/mods-config/sql/ippool/postgresql/procedure.sql",
                               "etc/freeradius/3.0/mods-config/sql/cui/postgresql/schema.sql"}));
  add("haci", {PackageFile("haci", "usr/share/doc/haci/HaCi_v0.98c.pgsql")}).roles = {"HaCi"};

  // ---- VoIP, chat, SMS
  add("kamailio", KamailioFiles());
  // Its data tables are partitioned by inheritance; the schema uses pgcrypto's crypt() in its
  // seed rows without creating the extension.
  CorpusCase& homer =
      add("homer", InPackage("homer-api", {"usr/share/homer/sql/postgres/schema_configuration.sql",
                                           "usr/share/homer/sql/postgres/schema_data.sql",
                                           "usr/share/homer/sql/postgres/schema_statistic.sql"}));
  homer.extensions = {"pgcrypto"};
  homer.roles = {"homer_user"};
  add("jabberd2", {PackageFile("jabberd2", "usr/share/doc/jabberd2/db-setup.pgsql")});
  add("inspircd",
      {PackageFile("inspircd", "usr/share/doc/inspircd/examples/sql/sqloper.pgsql.sql")});
  add("gammu", {PackageFile("gammu-smsd", "usr/share/doc/gammu-smsd/examples/pgsql.sql")})
      .preprocess = BlankCreateLanguagePlpgsql;
  add("gnokii",
      {PackageFile("gnokii-smsd-pgsql", "usr/share/doc/gnokii-smsd-pgsql/sms.tables.pq.sql")});

  // ---- mail and groupware
  add("roundcube", {PackageFile("roundcube-core", "usr/share/roundcube/SQL/postgres.initial.sql")});
  add("spamassassin",
      InPackage("spamassassin", {"usr/share/doc/spamassassin/sql/awl_pg.sql",
                                 "usr/share/doc/spamassassin/sql/bayes_pg.sql",
                                 "usr/share/doc/spamassassin/sql/txrep_pg.sql",
                                 "usr/share/doc/spamassassin/sql/userpref_pg.sql"}));
  add("mail_dmarc",
      {PackageFile("libmail-dmarc-perl",
                   "usr/share/perl5/auto/share/dist/Mail-DMARC/mail_dmarc_schema.pgsql")});
  // Its service_set rows come as COPY ... FROM stdin (blanked).
  add("vmm", {PackageFile("vmm", "usr/share/doc/vmm/examples/pgsql/create_tables.pgsql")})
      .preprocess = [](const std::string& text) {
    return BlankCopyData(BlankCreateLanguagePlpgsql(text));
  };
  // DAViCal's tables build on AWL's (libawl-php), loaded first as its create-database.sh does.
  std::vector<std::string> davical =
      InPackage("libawl-php",
                {"usr/share/awl/dba/awl-tables.sql", "usr/share/awl/dba/schema-management.sql"});
  for (const std::string& file :
       InPackage("davical",
                 {"usr/share/davical/dba/davical.sql", "usr/share/davical/dba/caldav_functions.sql",
                  "usr/share/davical/dba/rrule_functions.sql"})) {
    davical.push_back(file);
  }
  add("davical", davical);
  add("sabredav",
      InPackage("php-sabre-dav", {"usr/share/doc/php-sabre-dav/examples/sql/pgsql.addressbook.sql",
                                  "usr/share/doc/php-sabre-dav/examples/sql/pgsql.calendars.sql",
                                  "usr/share/doc/php-sabre-dav/examples/sql/pgsql.locks.sql",
                                  "usr/share/doc/php-sabre-dav/examples/sql/pgsql.principals.sql",
                                  "usr/share/doc/php-sabre-dav/examples/sql/pgsql.users.sql"}));
  add("nss_pgsql",
      {PackageFile("libnss-pgsql2", "usr/share/doc/libnss-pgsql2/examples/dbschema.sql")});

  // ---- accounting, banking, ERP
  // Its defaults come as COPY ... FROM stdin (blanked).
  CorpusCase& ledgersmb =
      add("ledgersmb", {PackageFile("ledgersmb", "usr/share/ledgersmb/sql/Pg-database.sql")});
  ledgersmb.preprocess = BlankCopyData;
  add("hibiscus",
      {PackageFile("hibiscus", "usr/share/jameica/plugins/hibiscus/sql/postgresql-create.sql")});
  add("tryton", {PackageFile("tryton-server",
                             "usr/lib/python3/dist-packages/trytond/backend/postgresql/init.sql")});

  // ---- web applications, job queues, configuration management, CI
  // tables.sql opens a transaction it never commits (MediaWiki's installer commits it): without
  // its BEGIN line each statement commits on its own, as the installer's COMMIT would.
  add("mediawiki",
      InPackage("mediawiki", {"usr/share/mediawiki/maintenance/postgres/tables-generated.sql",
                              "usr/share/mediawiki/maintenance/postgres/tables.sql"}))
      .preprocess = [](const std::string& text) {
    return BlankLines(text, std::regex(R"(^BEGIN;\s*$)"));
  };
  add("tt_rss", {PackageFile("tt-rss", "usr/share/tt-rss/schema/ttrss_schema_pgsql.sql")});
  // Its columns are citext; the schema expects the extension to exist.
  add("supysonic", {PackageFile("supysonic", "usr/share/supysonic/schema/postgres.sql")})
      .extensions = {"citext"};
  add("theschwartz", {PackageFile("libtheschwartz-perl",
                                  "usr/share/doc/libtheschwartz-perl/schema-postgres.sql")});
  // A pg_dump output: its (empty) tables' data sections are COPY ... FROM stdin (blanked).
  add("goiardi",
      {PackageFile("goiardi", "usr/share/goiardi/sql-files/sql-files/goiardi-schema-postgres.sql")})
      .preprocess = BlankCopyData;
  add("openqa",
      {PackageFile("openqa", "usr/share/openqa/dbicdh/PostgreSQL/deploy/98/001-auto.sql")});
  add("oar", {PackageFile("oar-server", "usr/lib/oar/database/pg_structure.sql")});

  // ---- science: BioSQL, RDF, OpenStreetMap on PostGIS
  add("biosql", {PackageFile("python-biopython-doc",
                             "usr/share/doc/python-biopython-doc/Tests/BioSQL/biosqldb-pg.sql")});
  add("attean", {PackageFile("libatteanx-store-dbi-perl",
                             "usr/share/perl5/auto/share/dist/AtteanX-Store-DBI/database-schema/"
                             "postgresql-create.sql")});
  // osmosis's pgsnapshot schema (with its action, bbox and linestring additions) uses hstore
  // and PostGIS and expects both to exist.
  add("osmosis",
      InPackage("osmosis", {"usr/share/doc/osmosis/examples/pgsnapshot_schema_0.6.sql",
                            "usr/share/doc/osmosis/examples/pgsnapshot_schema_0.6_action.sql",
                            "usr/share/doc/osmosis/examples/pgsnapshot_schema_0.6_bbox.sql",
                            "usr/share/doc/osmosis/examples/pgsnapshot_schema_0.6_linestring.sql"}),
      {"clustered index", "column setting"})
      .extensions = {"hstore", "postgis"};
  return cases;
}

// Summed over the cases that ran, for the summary.
struct Totals {
  std::map<std::pair<bool, std::string>, size_t> objects;  // (named-only?, kind) -> count
  size_t cases = 0;
};
Totals& CorpusTotals() {
  static Totals totals;
  return totals;
}

std::string Joined(const std::set<std::string>& kinds) {
  std::string text;
  for (const std::string& kind : kinds) text += (text.empty() ? "" : ", ") + kind;
  return "{" + text + "}";
}

class Corpus : public ::testing::TestWithParam<CorpusCase> {
 public:
  static void TearDownTestSuite() {
    const Totals& totals = CorpusTotals();
    if (totals.cases == 0) return;
    size_t modelled = 0, named_only = 0;
    std::ostringstream table;
    for (const auto& [key, count] : totals.objects) {
      (key.first ? named_only : modelled) += count;
      table << "[corpus]   " << std::left << std::setw(24) << key.second << std::right
            << std::setw(7) << count << (key.first ? "  named-only" : "  modelled") << "\n";
    }
    std::cout << "[corpus] " << totals.cases << " schemas: " << modelled << " modelled objects, "
              << named_only << " named-only\n"
              << table.str() << std::flush;
  }
};

void CreateRoles(PgHarness* pg, const std::vector<std::string>& roles) {
  for (const std::string& role : roles) {
    pg->Query("postgres", "DO $$ BEGIN CREATE ROLE " + pg::QuoteIdent(role) +
                              "; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
  }
}

TEST_P(Corpus, RoundTrips) {
  const CorpusCase& corpus_case = GetParam();
  for (const std::string& file : corpus_case.files) {
    if (PathExists(file)) continue;
    std::string message = file + " is missing: run scripts/fetch_schemas.sh (cache " +
                          SchemaCache() + ", or set RETORT_SCHEMA_CACHE)";
    if (InCi()) FAIL() << message;
    GTEST_SKIP() << message;
  }
  RETORT_REQUIRE_PG(pg);
  TempDir dir;
  std::vector<std::string> files;
  if (!corpus_case.extensions.empty()) {
    std::string prelude;
    for (const std::string& name : corpus_case.extensions) {
      prelude += "CREATE EXTENSION IF NOT EXISTS " + pg::QuoteIdent(name) + ";\n";
    }
    files.push_back(dir.Write("extensions.sql", prelude));
    std::vector<std::string> missing = UnavailableExtensions(pg, files);
    if (!missing.empty()) {
      std::string message = corpus_case.name + " needs extensions not installed here (" +
                            "scripts/setup.sh installs them):";
      for (const std::string& name : missing) message += " " + name;
      if (InCi()) FAIL() << message;
      GTEST_SKIP() << message;
    }
  }
  for (size_t i = 0; i < corpus_case.files.size(); ++i) {
    if (!corpus_case.preprocess) {
      files.push_back(corpus_case.files[i]);
      continue;
    }
    auto text = ReadFile(corpus_case.files[i]);
    ASSERT_TRUE(text.ok()) << text.status().message();
    files.push_back(
        dir.Write(std::to_string(i) + "_" + fs::path(corpus_case.files[i]).filename().string(),
                  corpus_case.preprocess(*text)));
  }
  CreateRoles(pg, corpus_case.roles);

  static RoundTripper round_trips(pg);
  RoundTripResult result = round_trips.Run(files);
  ASSERT_TRUE(result.loaded) << result.problems.front();

  std::set<std::string> named_only;
  for (const schema::UnmodelledObject& object : result.desired.unmodelled) {
    named_only.insert(object.kind);
  }
  EXPECT_EQ(named_only, corpus_case.named_only)
      << "the kinds retort names but does not model changed: now " << Joined(named_only)
      << ", the case expects " << Joined(corpus_case.named_only);

  std::vector<bool> shows(corpus_case.known_bugs.size(), false);
  for (const std::string& problem : result.problems) {
    bool known = false;
    for (size_t i = 0; i < corpus_case.known_bugs.size(); ++i) {
      if (problem.find(corpus_case.known_bugs[i].symptom) != std::string::npos) {
        shows[i] = known = true;
      }
    }
    if (!known) ADD_FAILURE() << problem;
  }
  for (size_t i = 0; i < corpus_case.known_bugs.size(); ++i) {
    EXPECT_TRUE(shows[i]) << "known bug no longer shows (" << corpus_case.known_bugs[i].note
                          << "): remove it from the case";
  }

  Totals& totals = CorpusTotals();
  ++totals.cases;
  std::ostringstream counts;
  for (const KindCount& kind : CountObjects(result.desired)) {
    totals.objects[{!kind.modelled, kind.kind}] += kind.count;
    if (kind.count > 0) counts << " " << kind.count << " " << kind.kind << ",";
  }
  std::cout << "[corpus] " << corpus_case.name << ":" << counts.str() << " " << result.upgrade_lines
            << " lines up;" << result.timings << std::endl;
}

INSTANTIATE_TEST_SUITE_P(Debian, Corpus, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<CorpusCase>& param) {
                           return param.param.name;
                         });

}  // namespace
}  // namespace retort::testing
