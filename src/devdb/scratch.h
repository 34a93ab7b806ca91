// Scratch databases on a dev server: where schema/ files are applied and migrations replayed so
// that the catalog can read the result. Any server where the user may CREATE DATABASE works
// (the embedded cluster by default); nothing outside the databases named here is touched.
//
// Names:
//   retort_scratch_<purpose>_<host key>_<pid>_<n>  one command's throwaway database
//   retort_tpl_<project key>_<content key>         a replayed head kept for later runs
//   retort_spare_<host key>_<pid>_<n>              an empty database made ahead of time
// Templates and spares are a cache of bounded size (PruneCaches).
// A process that dies (kill -9) leaves its scratch databases behind; the next Create on the
// same host drops those whose creator pid is gone and that nobody is connected to. Scratch
// databases of other hosts are never touched.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "pg/connection.h"

namespace retort::devdb {

class ScratchDatabase {
 public:
  // Creates a database on the server that `server_conninfo` reaches (through whichever database
  // it names) as a copy of `template_name` (template0 when empty). `purpose` is a short tag
  // ("schema", "head") that shows in the name.
  static Result<ScratchDatabase> Create(const std::string& server_conninfo,
                                        const std::string& purpose,
                                        const std::string& template_name = "");

  ScratchDatabase(ScratchDatabase&& other) noexcept;
  ScratchDatabase& operator=(ScratchDatabase&& other) noexcept;
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;
  // Drops the database (terminating any session still in it); errors are ignored.
  ~ScratchDatabase();

  const std::string& name() const { return name_; }
  const std::string& server_conninfo() const { return server_conninfo_; }
  Result<pg::Connection> Connect() const;

  // Renames the database to `new_name` and lets it outlive this object (the destructor then
  // drops nothing). Every connection to it must be closed first.
  Status Keep(const std::string& new_name);

 private:
  ScratchDatabase(std::string server_conninfo, std::string name)
      : server_conninfo_(std::move(server_conninfo)), name_(std::move(name)) {}
  void Drop();
  Status EnsureAdmin();

  std::string server_conninfo_;
  std::string name_;  // empty once moved from, dropped or kept
  // A session in the database server_conninfo names, for DROP / RENAME (a database cannot be
  // dropped from a session inside it).
  std::optional<pg::Connection> admin_;

  friend Status KeepAsTemplate(ScratchDatabase scratch, const std::string& project_key,
                               const std::string& content_key);
};

// Makes a spare empty database (a copy of template0) unless this role has one already. The next
// ScratchDatabase::Create without a template, in any process, renames it instead of waiting for
// CREATE DATABASE, which copies a whole database. Call it where the server has time to spare.
Status PrepareSpare(const std::string& server_conninfo);

// ---- the template cache: a replayed head kept on the dev server, cloned or read next time.

// "retort_tpl_<project key>_<content key>". `project_key` tells one project's templates from
// another's on a shared dev server; `content_key` changes whenever what was replayed changes.
// Both are cut to 12 and 16 characters (hex digests are expected).
std::string TemplateName(const std::string& project_key, const std::string& content_key);

// What of the server, beyond the migrations, decides what replaying them builds: its version,
// and the version CREATE EXTENSION installs of each extension it has. An upgraded extension
// package changes the latter, and a template replayed before it would then differ from a fresh
// replay (and from the schema files) by an ALTER EXTENSION ... UPDATE no migration asked for.
Result<std::string> ServerFingerprint(pg::Connection& admin);

// Whether a database named `name` exists on the server `admin` is connected to.
Result<bool> DatabaseExists(pg::Connection& admin, const std::string& name);

// Makes `scratch` the project's template named TemplateName(project_key, content_key) and drops
// the project's other templates. When another process made the same template meanwhile, theirs
// is kept and `scratch` is dropped as usual. Every connection to `scratch` must be closed.
Status KeepAsTemplate(ScratchDatabase scratch, const std::string& project_key,
                      const std::string& content_key);

// The caches above are this role's on the server: templates beyond the newest 8 (of every
// project) are dropped when a template is kept, spares beyond one when a spare is made. Drops
// every template and spare of this role nobody is connected to, and this host's scratch
// databases of dead processes (`retort dev prune`); returns the templates and spares dropped.
Result<std::vector<std::string>> PruneCaches(const std::string& server_conninfo);

// ---- desired state: schema files applied to a (scratch) database.

struct SqlFile {
  std::string path;          // read from here
  std::string display_name;  // named in errors ("schema/10_docs.sql"); `path` when empty
  // The contents, where the caller read them already (to key a template by them): applied as
  // they are, and `path` is not read again.
  std::optional<std::string> text = std::nullopt;
};

// Applies the files in order on `connection`, each as psql -f would in a fresh session (session
// settings do not leak from one file into the next). Any SQL is allowed: DO blocks, functions,
// CREATE INDEX CONCURRENTLY, ALTER TYPE ... ADD VALUE and a later use of the value.
// A file whose statements may all share a transaction is sent in one round trip (atomically);
// other files run statement by statement. Errors are InvalidInput naming the file and line:
// "schema/10_docs.sql:14: statement failed: ERROR:  relation \"x\" does not exist" (the line of
// the error position when the server gives one, else of the failing statement's first token);
// syntax errors are found before anything runs.
Status ApplySqlFiles(pg::Connection& connection, const std::vector<SqlFile>& files);
// The same with each file named by its path.
Status ApplySqlFiles(pg::Connection& connection, const std::vector<std::string>& paths);

}  // namespace retort::devdb
