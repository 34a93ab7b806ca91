#include "config/database_url.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>
#include <vector>

#include "base/strings.h"

namespace retort::config {
namespace {

constexpr std::string_view kRedacted = "****";

// Every connection keyword libpq accepts as a URI query parameter: libpq 15's, plus the ones
// newer releases added, so linking a newer libpq needs no change here.
constexpr std::string_view kLibpqKeywords[] = {
    "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "channel_binding",
    "connect_timeout", "client_encoding", "options", "application_name",
    "fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval",
    "keepalives_count", "tcp_user_timeout", "replication", "gssencmode", "sslmode", "requiressl",
    "sslcompression", "sslcert", "sslkey", "sslpassword", "sslrootcert", "sslcrl", "sslcrldir",
    "sslsni", "requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname",
    "gsslib", "service", "target_session_attrs",
    // libpq 16 and later.
    "load_balance_hosts", "require_auth", "sslcertmode", "gssdelegation", "sslnegotiation",
    "min_protocol_version", "max_protocol_version"};

// Parameters that only mean something to SQLAlchemy or to a Python driver (asyncpg, psycopg,
// pg8000). libpq would reject them, and none changes which server or database we reach.
constexpr std::string_view kDriverOnlyParameters[] = {"prepared_statement_cache_size",
                                                      "prepared_statement_name_func",
                                                      "statement_cache_size",
                                                      "max_cached_statement_lifetime",
                                                      "max_cacheable_statement_size",
                                                      "server_settings",
                                                      "command_timeout",
                                                      "timeout",
                                                      "async_fallback",
                                                      "connect_args",
                                                      "direct_tls",
                                                      "plugin",
                                                      "executemany_mode",
                                                      "executemany_batch_page_size",
                                                      "executemany_values_page_size",
                                                      "use_native_hstore",
                                                      "use_native_unicode",
                                                      "isolation_level"};

constexpr std::string_view kPostgresSchemes[] = {
    "postgresql",         "postgres",          "postgresql+asyncpg", "postgresql+psycopg2",
    "postgresql+psycopg", "postgresql+pg8000", "postgres+asyncpg"};

constexpr std::string_view kSslModes[] = {"disable", "allow",     "prefer",
                                          "require", "verify-ca", "verify-full"};

template <size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view item) {
  return std::find(std::begin(list), std::end(list), item) != std::end(list);
}

bool IsIdentifierLike(std::string_view text) {
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text[0]))) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Length of "scheme://" at the start of `text`, or 0 when it does not start with a URI scheme.
size_t SchemePrefixLength(std::string_view text) {
  if (text.empty() || !std::isalpha(static_cast<unsigned char>(text[0]))) return 0;
  size_t i = 1;
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '+' ||
                             text[i] == '-' || text[i] == '.')) {
    ++i;
  }
  if (text.substr(i, 3) != "://") return 0;
  return i + 3;
}

// "host=x dbname=y": libpq's keyword/value form starts with a keyword and '='.
bool LooksLikeKeywordValue(std::string_view text) {
  std::string_view trimmed = Trim(text);
  size_t i = 0;
  while (i < trimmed.size() &&
         (std::isalnum(static_cast<unsigned char>(trimmed[i])) || trimmed[i] == '_')) {
    ++i;
  }
  if (i == 0) return false;
  while (i < trimmed.size() && std::isspace(static_cast<unsigned char>(trimmed[i]))) ++i;
  return i < trimmed.size() && trimmed[i] == '=';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding as libpq does it; nullopt for a malformed or %00 escape.
std::optional<std::string> PercentDecode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    int high = HexValue(text[i + 1]);
    int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    char c = static_cast<char>(high * 16 + low);
    if (c == '\0') return std::nullopt;
    decoded += c;
    i += 2;
  }
  return decoded;
}

// The password and the passphrase of the client key. Compared ignoring case: libpq rejects
// "PASSWORD=", but the string may still be printed.
bool IsSecretKeyword(std::string_view keyword) {
  std::string lower = ToLower(keyword);
  return lower == "password" || lower == "sslpassword";
}

// Where the query string of the part after "scheme://" starts: the first '?' that is followed by
// a parameter ("?name=..."). A '?' inside an unencoded password is not followed by that shape in
// any realistic URL, and if it were, redaction only errs towards hiding more.
size_t QueryStart(std::string_view rest) {
  for (size_t i = rest.find('?'); i != std::string_view::npos; i = rest.find('?', i + 1)) {
    size_t j = i + 1;
    while (j < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[j])) ||
                               rest[j] == '_' || rest[j] == '%' || rest[j] == '+')) {
      ++j;
    }
    if (j == rest.size() || rest[j] == '=' || rest[j] == '&') return i;
  }
  return std::string_view::npos;
}

// The '@' ending the user information in the part after "scheme://", or npos. Taking the last
// '@' before the query (rather than libpq's first '@' before a '/') also covers passwords with an
// unencoded '@' or '/', which SQLAlchemy accepts, so such a password is never printed.
size_t UserInfoEnd(std::string_view rest) {
  size_t query = QueryStart(rest);
  return rest.substr(0, query).rfind('@');
}

// The same, but only where a user name can be: user names never contain '/', so in
// "postgresql://host/my@db" the '@' belongs to the database name.
size_t UserInfoEndForConnecting(std::string_view rest) {
  size_t at = UserInfoEnd(rest);
  if (at == std::string_view::npos) return at;
  std::string_view user = rest.substr(0, std::min(at, rest.find(':')));
  return user.find('/') == std::string_view::npos ? at : std::string_view::npos;
}

// "user:secret" -> "user:****"; "user" stays.
std::string RedactUserInfo(std::string_view user_info) {
  size_t colon = user_info.find(':');
  if (colon == std::string_view::npos) return std::string(user_info);
  return std::string(user_info.substr(0, colon + 1)) + std::string(kRedacted);
}

// Splits a URI query string into "name=value" pieces. A value runs to the next "&name=", so an
// unencoded '&' inside a password stays part of it (and hidden).
std::vector<std::string_view> SplitQuery(std::string_view query) {
  std::vector<std::string_view> pieces;
  size_t begin = 0;
  while (true) {
    size_t amp = query.find('&', begin);
    while (amp != std::string_view::npos) {
      size_t j = amp + 1;
      while (j < query.size() && query[j] != '=' && query[j] != '&') ++j;
      if (j < query.size() && query[j] == '=') break;
      amp = query.find('&', amp + 1);
    }
    if (amp == std::string_view::npos) {
      pieces.push_back(query.substr(begin));
      return pieces;
    }
    pieces.push_back(query.substr(begin, amp - begin));
    begin = amp + 1;
  }
}

// Redacts the value of every `password` parameter in a URI query string ("a=1&password=x").
std::string RedactQuery(std::string_view query) {
  std::vector<std::string> pieces;
  for (std::string_view piece : SplitQuery(query)) {
    size_t eq = piece.find('=');
    std::optional<std::string> name =
        eq == std::string_view::npos ? std::nullopt : PercentDecode(piece.substr(0, eq));
    if (name && IsSecretKeyword(*name)) {
      pieces.push_back(std::string(piece.substr(0, eq + 1)) + std::string(kRedacted));
    } else {
      pieces.emplace_back(piece);
    }
  }
  return Join(pieces, "&");
}

std::string RedactUri(std::string_view text, size_t prefix_length) {
  std::string_view rest = text.substr(prefix_length);
  std::string out(text.substr(0, prefix_length));
  size_t at = UserInfoEnd(rest);
  if (at != std::string_view::npos) {
    out += RedactUserInfo(rest.substr(0, at));
    rest = rest.substr(at);
  }
  size_t query = QueryStart(rest);
  if (query == std::string_view::npos) return out + std::string(rest);
  out += rest.substr(0, query + 1);
  out += RedactQuery(rest.substr(query + 1));
  return out;
}

// One `keyword = value` of a libpq keyword/value string, as byte ranges of the original text.
struct KeywordValue {
  std::string_view keyword;
  size_t value_begin;  // includes the quotes of a quoted value
  size_t value_end;
};

// Tokenizes a keyword/value string the way libpq's conninfo_parse does; nullopt when malformed.
std::optional<std::vector<KeywordValue>> TokenizeKeywordValues(std::string_view text) {
  std::vector<KeywordValue> pairs;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  while (true) {
    skip_space();
    if (i == text.size()) return pairs;
    size_t keyword_begin = i;
    while (i < text.size() && text[i] != '=' &&
           !std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    std::string_view keyword = text.substr(keyword_begin, i - keyword_begin);
    skip_space();
    if (i == text.size() || text[i] != '=') return std::nullopt;
    ++i;
    skip_space();
    size_t value_begin = i;
    if (i < text.size() && text[i] == '\'') {
      ++i;
      while (i < text.size() && text[i] != '\'') i += text[i] == '\\' ? 2 : 1;
      if (i >= text.size()) return std::nullopt;
      ++i;
    } else {
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) {
        i += text[i] == '\\' ? 2 : 1;
      }
      i = std::min(i, text.size());
    }
    pairs.push_back({keyword, value_begin, i});
  }
}

// For text libpq would reject anyway: hide everything after the first "password" and '='
// (which also covers "sslpassword").
std::string RedactMalformedKeywordValues(std::string_view text) {
  std::string lower = ToLower(text);
  size_t found = lower.find("password");
  while (found != std::string::npos) {
    size_t i = found + 8;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i < text.size() && text[i] == '=') {
      return std::string(text.substr(0, i + 1)) + std::string(kRedacted);
    }
    found = lower.find("password", found + 1);
  }
  return std::string(text);
}

std::string RedactConnectionString(std::string_view url_or_conninfo, bool nested);

// `nested`: `text` is itself the value of a keyword (a dbname holding a connection string).
std::string RedactKeywordValues(std::string_view text, bool nested) {
  std::optional<std::vector<KeywordValue>> pairs = TokenizeKeywordValues(text);
  if (!pairs) return RedactMalformedKeywordValues(text);
  std::string out;
  size_t copied = 0;
  for (const KeywordValue& pair : *pairs) {
    std::string_view value = text.substr(pair.value_begin, pair.value_end - pair.value_begin);
    bool quoted = value.size() >= 2 && value.front() == '\'';
    std::string_view unquoted = quoted ? value.substr(1, value.size() - 2) : value;
    std::string replacement;
    if (IsSecretKeyword(pair.keyword)) {
      replacement = kRedacted;
    } else if (SchemePrefixLength(unquoted) > 0 || LooksLikeKeywordValue(unquoted)) {
      // dbname may itself be a whole connection string; redact inside it too. libpq expands
      // only that one level, so anything nested deeper is hidden whole: recursing once per
      // '=' made "a=b=c=..." quadratic and overflowed the stack.
      std::string inner = nested ? std::string(kRedacted) : RedactConnectionString(unquoted, true);
      replacement = quoted ? "'" + inner + "'" : inner;
    } else {
      continue;
    }
    out += text.substr(copied, pair.value_begin - copied);
    out += replacement;
    copied = pair.value_end;
  }
  out += text.substr(copied);
  return out;
}

// Userinfo may only hold characters libpq reads back as the same password: '@' and '/' end
// libpq's userinfo, so they are percent-encoded here (SQLAlchemy accepts them unencoded).
Result<std::string> UserInfoForLibpq(std::string_view user_info) {
  if (!PercentDecode(user_info)) {
    return Status::InvalidInput(
        "the database URL's user name or password contains a '%' that is not a percent-encoded "
        "byte (write a literal '%' as %25)");
  }
  std::string out;
  for (char c : user_info) {
    switch (c) {
      case '@':
        out += "%40";
        break;
      case '/':
        out += "%2F";
        break;
      case '?':
        out += "%3F";
        break;
      case '#':
        out += "%23";
        break;
      default:
        out += c;
    }
  }
  return out;
}

struct QueryParameter {
  std::string name;   // decoded
  std::string value;  // as written (still percent-encoded)
};

// SQLAlchemy's psycopg2 dialect writes several hosts as "?host=a:5432&host=b:5433"; libpq keeps
// only the last `host` parameter, so they become "host=a,b&port=5432,5433".
Status MergeHostParameters(std::vector<QueryParameter>& parameters) {
  std::vector<std::string> hosts;
  std::vector<std::string> ports;
  bool any_port = false;
  bool explicit_port = false;
  for (const QueryParameter& parameter : parameters) {
    if (parameter.name == "port") explicit_port = true;
    if (parameter.name != "host") continue;
    std::string host = parameter.value;
    std::string port;
    size_t colon = host.rfind(':');
    bool is_path = StartsWith(host, "/") || StartsWith(ToLower(host), "%2f");
    bool bracketed = StartsWith(host, "[");
    bool single_colon = host.find(':') == colon;  // a bare IPv6 address has several
    if (!is_path && colon != std::string::npos && (single_colon || bracketed)) {
      std::string_view digits = std::string_view(host).substr(colon + 1);
      if (!digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
          })) {
        port = digits;
        host.resize(colon);
        any_port = true;
      }
    }
    if (bracketed && host.size() >= 2 && host.back() == ']') host = host.substr(1, host.size() - 2);
    hosts.push_back(host);
    ports.push_back(port);
  }
  if (hosts.size() < 2 && !any_port) return Status::Ok();
  if (any_port && explicit_port) {
    return Status::InvalidInput(
        "database URL gives ports both in host=name:port and in port=; keep one");
  }
  std::vector<QueryParameter> merged;
  bool placed = false;
  for (QueryParameter& parameter : parameters) {
    if (parameter.name != "host") {
      merged.push_back(std::move(parameter));
    } else if (!placed) {
      merged.push_back({"host", Join(hosts, ",")});
      if (any_port) merged.push_back({"port", Join(ports, ",")});
      placed = true;
    }
  }
  parameters = std::move(merged);
  return Status::Ok();
}

// Rewrites a URI query string for libpq: keeps libpq keywords, translates asyncpg's `ssl`, drops
// driver-only parameters, rejects everything else.
Result<std::string> QueryForLibpq(std::string_view query) {
  std::vector<QueryParameter> parameters;
  std::optional<std::string> ssl_from_asyncpg;
  std::optional<std::string> sslmode;
  for (std::string_view piece : SplitQuery(query)) {
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    std::optional<std::string> name = PercentDecode(piece.substr(0, eq));
    // A parameter name is printed only when it looks like one, so that a fragment of a password
    // that was not percent-encoded never is.
    std::string shown = name && IsIdentifierLike(*name) ? "'" + *name + "'" : "(unreadable name)";
    if (eq == std::string_view::npos) {
      return Status::InvalidInput("database URL parameter " + shown +
                                  " has no value (write name=value)");
    }
    if (!name) return Status::InvalidInput("database URL has a malformed parameter name");
    std::string value(piece.substr(eq + 1));
    if (*name == "ssl") {
      std::optional<std::string> decoded = PercentDecode(value);
      std::string mode = decoded ? ToLower(*decoded) : "";
      if (mode == "true" || mode == "1" || mode == "yes" || mode == "on") mode = "require";
      if (mode == "false" || mode == "0" || mode == "no" || mode == "off") mode = "disable";
      if (!Contains(kSslModes, mode)) {
        return Status::InvalidInput(
            "database URL parameter ssl='" + (decoded ? *decoded : value) +
            "' is not an SSL mode (use disable, allow, prefer, require, verify-ca, verify-full "
            "or true)");
      }
      ssl_from_asyncpg = mode;
      continue;
    }
    if (Contains(kDriverOnlyParameters, *name)) continue;
    if (!Contains(kLibpqKeywords, *name)) {
      return Status::InvalidInput("unknown database URL parameter " + shown +
                                  " (libpq connection parameters such as sslmode, "
                                  "connect_timeout and application_name are accepted)");
    }
    if (*name != "host" &&
        std::any_of(parameters.begin(), parameters.end(),
                    [&](const QueryParameter& seen) { return seen.name == *name; })) {
      return Status::InvalidInput("database URL parameter " + shown + " is given more than once");
    }
    if (!PercentDecode(value)) {
      return Status::InvalidInput("database URL parameter " + shown +
                                  " has a '%' that is not a percent-encoded byte (write '%' as "
                                  "%25)");
    }
    if ((*name == "port" || *name == "connect_timeout") &&
        !std::all_of(value.begin(), value.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) || c == ',';
        })) {
      return Status::InvalidInput("database URL parameter " + shown + " must be a number");
    }
    if (*name == "sslmode") sslmode = PercentDecode(value).value_or(value);
    // SplitQuery kept unencoded '&' inside the value; libpq would split there.
    std::string encoded;
    for (char c : value) encoded += c == '&' ? std::string("%26") : std::string(1, c);
    parameters.push_back({*name, encoded});
  }
  if (ssl_from_asyncpg) {
    if (sslmode && *sslmode != *ssl_from_asyncpg) {
      return Status::InvalidInput("database URL sets both ssl=" + *ssl_from_asyncpg +
                                  " and sslmode=" + *sslmode + "; keep one");
    }
    if (!sslmode) parameters.push_back({"sslmode", *ssl_from_asyncpg});
  }
  RETORT_RETURN_IF_ERROR(MergeHostParameters(parameters));
  std::vector<std::string> pieces;
  for (const QueryParameter& parameter : parameters) {
    pieces.push_back(parameter.name + "=" + parameter.value);
  }
  return Join(pieces, "&");
}

// A port as libpq takes it: decimal 1..65535. Empty means the default.
bool IsValidPort(std::string_view port) {
  if (port.empty()) return true;
  if (port.size() > 5) return false;
  if (!std::all_of(port.begin(), port.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return false;
  }
  int value = std::stoi(std::string(port));
  return value >= 1 && value <= 65535;
}

// What may appear in a host name or a percent-encoded socket directory in a URI.
bool IsHostCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == '%' || c == '~';
}

// Checks "host[:port][,host[:port]...][/dbname]" (the part of a URI after the user info and
// before the query) the way libpq splits it, so that a malformed URL is bad input (exit 2)
// rather than a connection failure, and libpq's own message, which quotes the whole URI with
// its password, is never produced. `shown` is the redacted URL for messages.
Status ValidateHostsAndDatabase(std::string_view rest, const std::string& shown) {
  auto bad = [&](const std::string& problem) {
    return Status::InvalidInput("bad connection setting in database URL '" + shown +
                                "': " + problem);
  };
  size_t slash = rest.find('/');
  std::string_view hosts = rest.substr(0, slash);
  if (slash != std::string_view::npos && !PercentDecode(rest.substr(slash + 1))) {
    return bad("the database name has a '%' that is not a percent-encoded byte (write '%' as %25)");
  }
  size_t i = 0;
  while (true) {
    std::string_view host;
    if (i < hosts.size() && hosts[i] == '[') {
      size_t close = hosts.find(']', i);
      if (close == std::string_view::npos)
        return bad("'[' opens an IPv6 address that no ']' closes");
      host = hosts.substr(i + 1, close - i - 1);
      if (host.empty()) return bad("empty IPv6 address '[]'");
      // Hex groups, ':' and an embedded IPv4 part; then an optional "%zone" (an interface name).
      std::string_view address = host.substr(0, host.find('%'));
      std::string_view zone = host.substr(address.size());
      bool well_formed =
          address.find(':') != std::string_view::npos &&
          std::all_of(address.begin(), address.end(),
                      [](char c) {
                        return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
                      }) &&
          std::all_of(zone.begin(), zone.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '%' || c == '-' ||
                   c == '_' || c == '.';
          });
      if (!well_formed) {
        return bad("what '[' and ']' enclose is not an IPv6 address");
      }
      i = close + 1;
      if (i < hosts.size() && hosts[i] != ':' && hosts[i] != ',') {
        return bad("unexpected '" + std::string(1, hosts[i]) + "' after the IPv6 address");
      }
    } else {
      size_t end = i;
      while (end < hosts.size() && hosts[end] != ':' && hosts[end] != ',') ++end;
      host = hosts.substr(i, end - i);
      auto wrong = std::find_if_not(host.begin(), host.end(), IsHostCharacter);
      if (wrong != host.end()) {
        if (*wrong == '[' || *wrong == ']')
          return bad("a '[' or ']' that does not enclose a whole IPv6 address");
        bool printable = std::isprint(static_cast<unsigned char>(*wrong));
        return bad("a host name cannot contain " +
                   (printable ? "'" + std::string(1, *wrong) + "'"
                              : std::string("a control or non-ASCII byte")));
      }
      if (!PercentDecode(host)) {
        return bad("a host has a '%' that is not a percent-encoded byte (write '%' as %25)");
      }
      i = end;
    }
    if (i < hosts.size() && hosts[i] == ':') {
      size_t end = hosts.find(',', i + 1);
      if (end == std::string_view::npos) end = hosts.size();
      std::string_view port = hosts.substr(i + 1, end - i - 1);
      if (!IsValidPort(port)) {
        return bad("a port is not a number from 1 to 65535");
      }
      i = end;
    }
    if (i >= hosts.size()) break;
    ++i;  // the ',' before the next host
  }
  return Status::Ok();
}

Result<std::string> UriToLibpq(std::string_view url, size_t prefix_length) {
  std::string scheme = ToLower(url.substr(0, prefix_length - 3));
  if (!Contains(kPostgresSchemes, scheme)) {
    return Status::InvalidInput("unsupported database URL scheme '" + scheme + "' in '" +
                                RedactPassword(url) +
                                "' (use postgresql://, or SQLAlchemy's postgresql+asyncpg:// or "
                                "postgresql+psycopg2://)");
  }
  // A newline or other control character is never part of a URL: a value pasted with one, or
  // an attempt to smuggle in a second setting.
  if (std::any_of(url.begin(), url.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; })) {
    return Status::InvalidInput("database URL '" + RedactPassword(url) +
                                "' contains a control character (write it percent-encoded)");
  }
  std::string_view rest = url.substr(prefix_length);
  std::string out = "postgresql://";
  size_t at = UserInfoEndForConnecting(rest);
  if (at != std::string_view::npos) {
    RETORT_ASSIGN_OR_RETURN(std::string user_info, UserInfoForLibpq(rest.substr(0, at)));
    out += user_info + "@";
    rest = rest.substr(at + 1);
  }
  size_t query = QueryStart(rest);
  RETORT_RETURN_IF_ERROR(ValidateHostsAndDatabase(rest.substr(0, query), RedactPassword(url)));
  out += rest.substr(0, query);
  if (query == std::string_view::npos) return out;
  RETORT_ASSIGN_OR_RETURN(std::string parameters, QueryForLibpq(rest.substr(query + 1)));
  if (!parameters.empty()) out += "?" + parameters;
  return out;
}

// libpq's keyword=value form, checked as libpq will parse it (without its messages, which may
// quote the password).
Status ValidateKeywordValues(std::string_view text) {
  std::optional<std::vector<KeywordValue>> pairs = TokenizeKeywordValues(text);
  if (!pairs) {
    return Status::InvalidInput("malformed connection string '" + RedactPassword(text) +
                                "' (expected keyword=value pairs; a quoted value needs its "
                                "closing quote)");
  }
  for (const KeywordValue& pair : *pairs) {
    std::string keyword(pair.keyword);
    std::string shown = IsIdentifierLike(keyword) ? "'" + keyword + "'" : "(unreadable name)";
    if (!Contains(kLibpqKeywords, keyword)) {
      return Status::InvalidInput("unknown connection option " + shown + " in '" +
                                  RedactPassword(text) + "'");
    }
    if (keyword != "port") continue;
    std::string_view value = text.substr(pair.value_begin, pair.value_end - pair.value_begin);
    if (value.size() >= 2 && value.front() == '\'') value = value.substr(1, value.size() - 2);
    for (const std::string& port : Split(value, ',')) {
      if (!IsValidPort(port)) {
        return Status::InvalidInput("bad connection setting in '" + RedactPassword(text) +
                                    "': the port is not a number from 1 to 65535");
      }
    }
  }
  return Status::Ok();
}

}  // namespace

bool IsEmbeddedUrl(std::string_view url) { return url == "embedded"; }

Result<std::string> ToLibpqConninfo(std::string_view url) {
  // Surrounding whitespace (a newline from a secrets file) never means anything.
  url = Trim(url);
  if (url.empty()) return Status::InvalidInput("the database URL is empty");
  if (IsEmbeddedUrl(url)) {
    return Status::InvalidInput(
        "'embedded' names the project's local cluster, not a connection string");
  }
  size_t prefix_length = SchemePrefixLength(url);
  if (prefix_length > 0) return UriToLibpq(url, prefix_length);
  if (LooksLikeKeywordValue(url)) {
    RETORT_RETURN_IF_ERROR(ValidateKeywordValues(url));
    return std::string(url);
  }
  return Status::InvalidInput("unsupported database URL '" + RedactPassword(url) +
                              "' (expected postgresql://user@host:5432/dbname, a libpq "
                              "keyword/value string such as \"host=localhost dbname=app\", or "
                              "\"embedded\")");
}

std::string RedactPassword(std::string_view url_or_conninfo) {
  return RedactConnectionString(url_or_conninfo, /*nested=*/false);
}

std::string ServerOption(std::string_view name, std::string_view value) {
  std::string option = "-c " + std::string(name) + "=";
  for (char c : value) {
    if (c == ' ' || c == '\\') option += '\\';
    option += c;
  }
  return option;
}

Result<std::string> WithServerOptions(std::string_view conninfo, std::string_view options) {
  auto refuse = [&] {
    return Status::InvalidInput("'" + RedactPassword(conninfo) +
                                "' sets options= itself, which a schema target's search_path "
                                "cannot be combined with");
  };
  if (SchemePrefixLength(conninfo) > 0) {
    size_t query = conninfo.find('?');
    if (query != std::string_view::npos) {
      for (std::string_view parameter : SplitQuery(conninfo.substr(query + 1))) {
        if (parameter.substr(0, parameter.find('=')) == "options") return refuse();
      }
    }
    std::string encoded;
    for (unsigned char c : options) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        encoded += static_cast<char>(c);
      } else {
        static constexpr char kHex[] = "0123456789ABCDEF";
        encoded += '%';
        encoded += kHex[c >> 4];
        encoded += kHex[c & 15];
      }
    }
    return std::string(conninfo) + (query == std::string_view::npos ? "?" : "&") +
           "options=" + encoded;
  }
  std::optional<std::vector<KeywordValue>> pairs = TokenizeKeywordValues(conninfo);
  if (!pairs) {
    return Status::InvalidInput("malformed connection string '" + RedactPassword(conninfo) + "'");
  }
  for (const KeywordValue& pair : *pairs) {
    if (pair.keyword == "options") return refuse();
  }
  std::string quoted = "'";
  for (char c : options) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return std::string(conninfo) + " options=" + quoted + "'";
}

namespace {

std::string RedactConnectionString(std::string_view url_or_conninfo, bool nested) {
  size_t leading_space = 0;
  while (leading_space < url_or_conninfo.size() &&
         std::isspace(static_cast<unsigned char>(url_or_conninfo[leading_space]))) {
    ++leading_space;
  }
  std::string out(url_or_conninfo.substr(0, leading_space));
  std::string_view text = url_or_conninfo.substr(leading_space);
  size_t prefix_length = SchemePrefixLength(text);
  if (prefix_length > 0) return out + RedactUri(text, prefix_length);
  if (LooksLikeKeywordValue(text)) return out + RedactKeywordValues(text, nested);
  // Neither form: hide whatever sits where a URI keeps its password ("user:pw@host").
  return out + RedactUri(text, 0);
}

}  // namespace

void Redactor::Add(std::string_view url) {
  if (url.empty()) return;
  forms_.emplace_back(std::string(url), RedactPassword(url));
  if (IsEmbeddedUrl(url)) return;
  auto conninfo = ToLibpqConninfo(url);
  if (conninfo.ok() && *conninfo != url) forms_.emplace_back(*conninfo, RedactPassword(*conninfo));
}

std::string Redactor::Redact(std::string message) const {
  for (const auto& [form, redacted] : forms_) {
    for (size_t at = message.find(form); at != std::string::npos;
         at = message.find(form, at + redacted.size())) {
      message.replace(at, form.size(), redacted);
    }
  }
  return message;
}

}  // namespace retort::config
