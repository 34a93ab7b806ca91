// Database URLs as users write them -> libpq connection strings.
//
// Accepts postgresql:// and postgres:// URIs, SQLAlchemy's postgresql+asyncpg:// /
// +psycopg2:// / +psycopg:// / +pg8000:// forms, and libpq keyword=value strings. Query
// parameters libpq understands (sslmode, connect_timeout, application_name, service, ...) are
// kept; SQLAlchemy/asyncpg-only ones are translated (asyncpg's ssl=require -> sslmode=require) or
// dropped. Everything else (environment PG* variables, ~/.pgpass, service files) is left to
// libpq, which honours them by itself.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace retort::config {

// True for the literal "embedded": the project's private local cluster (src/devdb).
bool IsEmbeddedUrl(std::string_view url);

// REQUIRES: !IsEmbeddedUrl(url). Errors never contain the password. A URI comes back as a
// "postgresql://" URI (libpq decodes it), a keyword/value string unchanged. SQLAlchemy's
// "?host=a:5432&host=b:5433" becomes "?host=a,b&port=5432,5433"; unknown parameters are errors.
Result<std::string> ToLibpqConninfo(std::string_view url);

// `conninfo` (as ToLibpqConninfo returns it) with libpq's `options` set to `options`
// (command-line options for the server, such as "-c search_path=..."), so that every session
// opened from it starts with them. InvalidInput when the conninfo sets options itself: the two
// would not combine.
Result<std::string> WithServerOptions(std::string_view conninfo, std::string_view options);

// The server option setting `name` to `value` ("-c name=value"), with spaces and backslashes
// escaped as the server splits options.
std::string ServerOption(std::string_view name, std::string_view value);

// The same URL or conninfo with any password (and sslpassword) replaced by "****"; safe to print.
std::string RedactPassword(std::string_view url_or_conninfo);

// The URLs a run was given, for masking in what it prints. Messages are written without
// passwords at their source; as a safety net, a URL given that appears verbatim (or what libpq
// was given for it, which differs for SQLAlchemy URLs and unencoded passwords) is replaced by its
// redacted form. Other text is left alone ("label@head" is not a password).
class Redactor {
 public:
  // Empty URLs are ignored, so optional settings can be added as they are.
  void Add(std::string_view url);
  std::string Redact(std::string message) const;

 private:
  std::vector<std::pair<std::string, std::string>> forms_;  // verbatim, redacted
};

}  // namespace retort::config
