#include "config/database_url.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <map>
#include <memory>
#include <string>

namespace retort::config {
namespace {

// Distinctive, so a leak anywhere in a message is easy to catch.
constexpr const char* kSecret = "s3cr3tPW";

struct Conversion {
  const char* name;
  const char* url;
  const char* conninfo;
};

class ConversionTest : public testing::TestWithParam<Conversion> {};

TEST_P(ConversionTest, ConvertsToLibpqUri) {
  Result<std::string> conninfo = ToLibpqConninfo(GetParam().url);
  ASSERT_TRUE(conninfo.ok()) << conninfo.status().message();
  EXPECT_EQ(*conninfo, GetParam().conninfo);
}

const Conversion kConversions[] = {
    {"PlainUri", "postgresql://app@localhost:5432/app", "postgresql://app@localhost:5432/app"},
    {"PostgresScheme", "postgres://app@localhost/app", "postgresql://app@localhost/app"},
    {"Asyncpg", "postgresql+asyncpg://u:pw@db.example.com:6432/app",
     "postgresql://u:pw@db.example.com:6432/app"},
    {"Psycopg2", "postgresql+psycopg2://u:pw@h/app", "postgresql://u:pw@h/app"},
    {"Psycopg", "postgresql+psycopg://u@h/app", "postgresql://u@h/app"},
    {"Pg8000", "postgresql+pg8000://u@h/app", "postgresql://u@h/app"},
    {"PostgresAsyncpg", "postgres+asyncpg://u@h/app", "postgresql://u@h/app"},
    {"SchemeIsCaseInsensitive", "PostgreSQL+AsyncPG://u@h/app", "postgresql://u@h/app"},
    {"NoHostUsesDefaults", "postgresql:///app", "postgresql:///app"},
    {"NothingUsesLibpqsEnvironment", "postgresql://", "postgresql://"},
    {"LibpqParametersKept",
     "postgresql://u@h/app?sslmode=verify-full&connect_timeout=10&application_name=web"
     "&sslrootcert=%2Fetc%2Fca.pem&target_session_attrs=read-write",
     "postgresql://u@h/app?sslmode=verify-full&connect_timeout=10&application_name=web"
     "&sslrootcert=%2Fetc%2Fca.pem&target_session_attrs=read-write"},
    {"OptionsKeptEncoded", "postgresql://h/app?options=-c%20search_path%3Dapp",
     "postgresql://h/app?options=-c%20search_path%3Dapp"},
    {"AsyncpgSslRequire", "postgresql+asyncpg://u@h/app?ssl=require",
     "postgresql://u@h/app?sslmode=require"},
    {"AsyncpgSslTrue", "postgresql+asyncpg://u@h/app?ssl=true",
     "postgresql://u@h/app?sslmode=require"},
    {"AsyncpgSslVerifyFull", "postgresql+asyncpg://u@h/app?ssl=verify-full",
     "postgresql://u@h/app?sslmode=verify-full"},
    {"AsyncpgSslFalse", "postgresql+asyncpg://u@h/app?ssl=false",
     "postgresql://u@h/app?sslmode=disable"},
    {"AsyncpgSslAgreesWithSslmode", "postgresql+asyncpg://u@h/app?ssl=require&sslmode=require",
     "postgresql://u@h/app?sslmode=require"},
    {"DriverParametersDropped",
     "postgresql+asyncpg://u@h/app?prepared_statement_cache_size=0&async_fallback=true"
     "&command_timeout=60",
     "postgresql://u@h/app"},
    {"DroppedAmongKept",
     "postgresql+asyncpg://u@h/app?prepared_statement_cache_size=100&application_name=x"
     "&client_encoding=utf8",
     "postgresql://u@h/app?application_name=x&client_encoding=utf8"},
    {"Ipv6Host", "postgresql://u@[::1]:5432/app", "postgresql://u@[::1]:5432/app"},
    {"MultipleHosts", "postgresql://u@h1:5432,h2:5433/app?target_session_attrs=read-write",
     "postgresql://u@h1:5432,h2:5433/app?target_session_attrs=read-write"},
    {"SqlalchemyMultiHostQuery", "postgresql+psycopg2://u@/app?host=h1:5432&host=h2:5433",
     "postgresql://u@/app?host=h1,h2&port=5432,5433"},
    {"SqlalchemyMultiHostWithoutPorts", "postgresql+psycopg2://u@/app?host=h1&host=h2",
     "postgresql://u@/app?host=h1,h2"},
    {"UnixSocketQueryHost", "postgresql+asyncpg://u@/app?host=/var/run/postgresql",
     "postgresql://u@/app?host=/var/run/postgresql"},
    {"UnixSocketEncodedHost", "postgresql://%2Fvar%2Frun%2Fpostgresql:5433/app",
     "postgresql://%2Fvar%2Frun%2Fpostgresql:5433/app"},
    {"PercentEncodedPassword", "postgresql://u:p%40ss%3Aw%2F@h/app",
     "postgresql://u:p%40ss%3Aw%2F@h/app"},
    {"PasswordWithColon", "postgresql://u:a:b@h/app", "postgresql://u:a:b@h/app"},
    {"UnencodedSlashInPasswordIsEncoded", "postgresql+asyncpg://u:pa/ss@h/app",
     "postgresql://u:pa%2Fss@h/app"},
    {"AtSignInDatabaseName", "postgresql://h/my@db", "postgresql://h/my@db"},
    {"AtSignInQueryValue", "postgresql://h/app?application_name=a@b",
     "postgresql://h/app?application_name=a@b"},
    {"PasswordParameterKept", "postgresql://u@h/app?password=pw",
     "postgresql://u@h/app?password=pw"},
    {"KeywordValuePassesThrough", "host=localhost port=5433 dbname=app user=u",
     "host=localhost port=5433 dbname=app user=u"},
    {"SurroundingWhitespaceTrimmed", " postgresql://u@h/app\n", "postgresql://u@h/app"},
    {"KeywordValueQuotedPassesThrough", "host=h password='se cret' dbname = app",
     "host=h password='se cret' dbname = app"},
    {"EmptyPortIsTheDefault", "postgresql://u@h:/app", "postgresql://u@h:/app"},
    {"Ipv6WithZone", "postgresql://u@[fe80::1%25eth0]:5432/app",
     "postgresql://u@[fe80::1%25eth0]:5432/app"},
    {"PassfileParameter", "postgresql://u@127.0.0.1:5432/app?passfile=%2Ftmp%2Fx.pgpass",
     "postgresql://u@127.0.0.1:5432/app?passfile=%2Ftmp%2Fx.pgpass"},
    {"EncodedDatabaseName", "postgresql://u@h/my%20db", "postgresql://u@h/my%20db"},
    {"MultipleHostsSomeWithoutPort", "postgresql://u@h1,h2:5433,[::1]/app",
     "postgresql://u@h1,h2:5433,[::1]/app"},
};

INSTANTIATE_TEST_SUITE_P(DatabaseUrl, ConversionTest, testing::ValuesIn(kConversions),
                         [](const testing::TestParamInfo<Conversion>& param_info) {
                           return std::string(param_info.param.name);
                         });

struct Rejection {
  const char* name;
  std::string url;
  const char* message_part;
};

class RejectionTest : public testing::TestWithParam<Rejection> {};

TEST_P(RejectionTest, IsInvalidInputWithoutThePassword) {
  Result<std::string> conninfo = ToLibpqConninfo(GetParam().url);
  ASSERT_FALSE(conninfo.ok()) << *conninfo;
  EXPECT_EQ(conninfo.status().code(), Code::kInvalidInput);
  EXPECT_NE(conninfo.status().message().find(GetParam().message_part), std::string::npos)
      << conninfo.status().message();
  EXPECT_EQ(conninfo.status().message().find(kSecret), std::string::npos)
      << conninfo.status().message();
  EXPECT_EQ(conninfo.status().message().find("3cr3"), std::string::npos)
      << conninfo.status().message();
}

const std::string kCredentials = std::string("u:") + kSecret + "@";

const Rejection kRejections[] = {
    {"Empty", "", "empty"},
    {"Blank", "   ", "empty"},
    {"Embedded", "embedded", "embedded"},
    {"MysqlScheme", "mysql://" + kCredentials + "h/app", "unsupported database URL scheme 'mysql'"},
    {"SqlalchemyMysql", "mysql+pymysql://" + kCredentials + "h/app",
     "unsupported database URL scheme 'mysql+pymysql'"},
    {"Garbage", "not a url", "unsupported database URL"},
    {"SchemelessCredentials", kCredentials + "h:5432/app", "unsupported database URL"},
    {"UnknownParameter", "postgresql://" + kCredentials + "h/app?sslmod=require",
     "unknown database URL parameter 'sslmod'"},
    {"BadAsyncpgSsl", "postgresql+asyncpg://" + kCredentials + "h/app?ssl=maybe",
     "not an SSL mode"},
    {"SslConflictsWithSslmode",
     "postgresql+asyncpg://" + kCredentials + "h/app?ssl=require&sslmode=disable", "keep one"},
    {"DuplicateParameter", "postgresql://" + kCredentials + "h/app?sslmode=require&sslmode=disable",
     "'sslmode' is given more than once"},
    {"ParameterWithoutValue", "postgresql://" + kCredentials + "h/app?sslmode", "has no value"},
    {"PortTwice", "postgresql://" + kCredentials + "/app?host=h1:5432&host=h2&port=5433",
     "ports both"},
    {"BadPercentInPassword", "postgresql://u:" + std::string(kSecret) + "%zz@h/app",
     "percent-encoded"},
    {"PasswordWithQuestionMarkThenUnknown",
     "postgresql://u:" + std::string(kSecret) + "?x@h/app?bogus=1", "'bogus'"},
    // Malformed host lists libpq would only reject when connecting (exit 1, with the URI and
    // its password quoted in its message).
    {"UnclosedIpv6Bracket", "postgresql://" + kCredentials + "[::1/x", "IPv6"},
    {"EmptyIpv6Brackets", "postgresql://" + kCredentials + "[]/x", "IPv6"},
    {"NotAnIpv6Address", "postgresql://" + kCredentials + "[zz]/x", "IPv6"},
    {"NotAnIpv6AddressWithColon", "postgresql://" + kCredentials + "[z:z]/x", "IPv6"},
    {"JunkAfterIpv6", "postgresql://" + kCredentials + "[::1]x/app", "IPv6"},
    {"StrayClosingBracket", "postgresql://" + kCredentials + "h]/app", "']'"},
    {"PortNotANumber", "postgresql://" + kCredentials + "h:abc/app", "port"},
    {"PortTooBig", "postgresql://" + kCredentials + "h:65536/app", "port"},
    {"PortZero", "postgresql://" + kCredentials + "h:0/app", "port"},
    {"TwoPorts", "postgresql://" + kCredentials + "h:5432:5433/app", "port"},
    {"SecondHostBadPort", "postgresql://" + kCredentials + "h1:5432,h2:x/app", "port"},
    {"EmptyHostJunkPort", "postgresql://" + kCredentials + ":junk/app", "port"},
    {"SpaceInHost", "postgresql://" + kCredentials + "ho st/app", "' '"},
    {"BadPercentInHost", "postgresql://" + kCredentials + "%zz/app", "'%'"},
    {"BadPercentInDatabase", "postgresql://" + kCredentials + "h/a%zz", "'%'"},
    {"PercentNulInDatabase", "postgresql://" + kCredentials + "h/a%00", "'%'"},
    {"BadPercentInParameter", "postgresql://" + kCredentials + "h/app?application_name=%g1", "'%'"},
    {"ConnectTimeoutNotANumber", "postgresql://" + kCredentials + "h/app?connect_timeout=soon",
     "number"},
    {"KeywordValueUnterminatedQuote", "host=h password='" + std::string(kSecret) + " dbname=x",
     "malformed"},
    {"KeywordValueUnknownKeyword", "host=h password=" + std::string(kSecret) + " frob=1", "'frob'"},
    {"NewlineInUri", "postgresql://" + kCredentials + "h/app\nhost=elsewhere", "control character"},
    {"KeywordValueBadPort", "host=h port=70000 password=" + std::string(kSecret), "port"},
};

INSTANTIATE_TEST_SUITE_P(DatabaseUrl, RejectionTest, testing::ValuesIn(kRejections),
                         [](const testing::TestParamInfo<Rejection>& param_info) {
                           return std::string(param_info.param.name);
                         });

// A schema target's sessions get their search_path through libpq's options, in either form
// of conninfo; one that sets options itself is refused rather than silently overridden.
TEST(DatabaseUrlTest, ServerOptionsAreAddedToUrisAndKeywordValues) {
  std::string option = ServerOption("search_path", "\"tenant 7\", public");
  EXPECT_EQ(option, "-c search_path=\"tenant\\ 7\",\\ public");
  auto uri = WithServerOptions("postgresql://app@db/app", option);
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(
      *uri,
      "postgresql://app@db/app?options=-c%20search_path%3D%22tenant%5C%207%22%2C%5C%20public");
  auto with_query = WithServerOptions("postgresql://app@db/app?sslmode=require", "-c a=b");
  ASSERT_TRUE(with_query.ok());
  EXPECT_EQ(*with_query, "postgresql://app@db/app?sslmode=require&options=-c%20a%3Db");
  auto keywords = WithServerOptions("host=db dbname=app", option);
  ASSERT_TRUE(keywords.ok());
  EXPECT_EQ(*keywords, "host=db dbname=app options='-c search_path=\"tenant\\\\ 7\",\\\\ public'");
  auto taken = WithServerOptions("postgresql://app:secret@db/app?options=-c%20x%3Dy", option);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.status().message().find("secret"), std::string::npos);
  EXPECT_FALSE(WithServerOptions("host=db options='-c x=y'", option).ok());
}

TEST(DatabaseUrlTest, EmbeddedIsOnlyTheLiteral) {
  EXPECT_TRUE(IsEmbeddedUrl("embedded"));
  EXPECT_FALSE(IsEmbeddedUrl("Embedded"));
  EXPECT_FALSE(IsEmbeddedUrl("embedded "));
  EXPECT_FALSE(IsEmbeddedUrl("postgresql://embedded/app"));
}

struct Redaction {
  const char* name;
  std::string input;
  std::string expected;
};

class RedactionTest : public testing::TestWithParam<Redaction> {};

TEST_P(RedactionTest, HidesThePassword) {
  std::string redacted = RedactPassword(GetParam().input);
  EXPECT_EQ(redacted, GetParam().expected);
  EXPECT_EQ(redacted.find(kSecret), std::string::npos);
  EXPECT_EQ(redacted.find("3cr3"), std::string::npos);
}

const std::string kPw = kSecret;

const Redaction kRedactions[] = {
    {"Uri", "postgresql://user:" + kPw + "@host/db", "postgresql://user:****@host/db"},
    {"Asyncpg", "postgresql+asyncpg://user:" + kPw + "@host:5432/db?ssl=require",
     "postgresql+asyncpg://user:****@host:5432/db?ssl=require"},
    {"MultipleHosts", "postgresql://u:" + kPw + "@h1:5432,h2:5433/db",
     "postgresql://u:****@h1:5432,h2:5433/db"},
    {"Ipv6", "postgresql://u:" + kPw + "@[::1]:5432/db", "postgresql://u:****@[::1]:5432/db"},
    {"EmptyUser", "postgresql://:" + kPw + "@h/db", "postgresql://:****@h/db"},
    {"PercentEncodedPassword", "postgresql://u:s3cr%40%3A3tPW@h/db", "postgresql://u:****@h/db"},
    {"PasswordWithColon", "postgresql://u:s3c:r3tPW@h/db", "postgresql://u:****@h/db"},
    {"UnencodedAt", "postgresql://u:s3cr@3tPW@h/db", "postgresql://u:****@h/db"},
    {"UnencodedSlashAndQuestionMark", "postgresql://u:s3cr/3t?PW@h/db?sslmode=require",
     "postgresql://u:****@h/db?sslmode=require"},
    {"NoPassword", "postgresql://u@h/db?application_name=a@b",
     "postgresql://u@h/db?application_name=a@b"},
    {"QueryPassword", "postgresql://u@h/db?sslmode=require&password=" + kPw + "&connect_timeout=5",
     "postgresql://u@h/db?sslmode=require&password=****&connect_timeout=5"},
    {"EncodedQueryPasswordName", "postgresql://u@h/db?%70assword=" + kPw,
     "postgresql://u@h/db?%70assword=****"},
    {"QueryPasswordWithAmpersand", "postgresql://u@h/db?password=s3cr&3tPW",
     "postgresql://u@h/db?password=****"},
    {"Keyword", "host=h password=" + kPw + " dbname=app", "host=h password=**** dbname=app"},
    {"KeywordQuoted", "host=h password='s3 cr3tPW' dbname=app", "host=h password=**** dbname=app"},
    {"KeywordQuotedWithEscapedQuote", "password='s3\\'cr3tPW' host=h", "password=**** host=h"},
    {"KeywordSpacesAroundEquals", "host=h password = " + kPw, "host=h password = ****"},
    {"KeywordUnterminatedQuote", "host=h password='s3cr3tPW dbname=app", "host=h password=****"},
    {"KeywordDbnameHoldsUri", "dbname=postgresql://u:" + kPw + "@h/db",
     "dbname=postgresql://u:****@h/db"},
    {"SchemelessCredentials", "u:" + kPw + "@h/db", "u:****@h/db"},
    {"LeadingWhitespace", "  postgresql://u:" + kPw + "@h/db", "  postgresql://u:****@h/db"},
    {"SslKeyPassphraseInQuery", "postgresql://u@h/db?sslkey=k.pem&sslpassword=" + kPw,
     "postgresql://u@h/db?sslkey=k.pem&sslpassword=****"},
    {"SslKeyPassphraseKeyword", "host=h sslpassword=" + kPw, "host=h sslpassword=****"},
    {"UppercaseKeyword", "host=h PASSWORD=" + kPw, "host=h PASSWORD=****"},
    {"Embedded", "embedded", "embedded"},
    {"Empty", "", ""},
};

INSTANTIATE_TEST_SUITE_P(DatabaseUrl, RedactionTest, testing::ValuesIn(kRedactions),
                         [](const testing::TestParamInfo<Redaction>& param_info) {
                           return std::string(param_info.param.name);
                         });

// The converted strings must mean to libpq what the user meant: check with libpq's own parser.
std::map<std::string, std::string> ParseWithLibpq(const std::string& conninfo) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(conninfo.c_str(), &error), &PQconninfoFree);
  std::map<std::string, std::string> values;
  if (!options) {
    values["error"] = error != nullptr ? error : "unknown";
    PQfreemem(error);
    return values;
  }
  for (PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val != nullptr) values[option->keyword] = option->val;
  }
  return values;
}

TEST(DatabaseUrlTest, LibpqReadsTheConvertedUrlAsIntended) {
  Result<std::string> asyncpg = ToLibpqConninfo(
      "postgresql+asyncpg://app:p%40ss%3Aw@db.example.com:6432/orders"
      "?ssl=verify-full&prepared_statement_cache_size=0&application_name=web");
  ASSERT_TRUE(asyncpg.ok()) << asyncpg.status().message();
  std::map<std::string, std::string> parsed = ParseWithLibpq(*asyncpg);
  EXPECT_EQ(parsed.count("error"), 0u) << parsed["error"];
  EXPECT_EQ(parsed["user"], "app");
  EXPECT_EQ(parsed["password"], "p@ss:w");
  EXPECT_EQ(parsed["host"], "db.example.com");
  EXPECT_EQ(parsed["port"], "6432");
  EXPECT_EQ(parsed["dbname"], "orders");
  EXPECT_EQ(parsed["sslmode"], "verify-full");
  EXPECT_EQ(parsed["application_name"], "web");

  Result<std::string> slash = ToLibpqConninfo("postgresql+psycopg2://u:pa/ss@h/app");
  ASSERT_TRUE(slash.ok()) << slash.status().message();
  parsed = ParseWithLibpq(*slash);
  EXPECT_EQ(parsed["password"], "pa/ss");
  EXPECT_EQ(parsed["host"], "h");
  EXPECT_EQ(parsed["dbname"], "app");

  Result<std::string> multi =
      ToLibpqConninfo("postgresql+psycopg2://u@/app?host=h1:5432&host=h2:5433");
  ASSERT_TRUE(multi.ok()) << multi.status().message();
  parsed = ParseWithLibpq(*multi);
  EXPECT_EQ(parsed["host"], "h1,h2");
  EXPECT_EQ(parsed["port"], "5432,5433");

  Result<std::string> socket = ToLibpqConninfo("postgresql://%2Fvar%2Frun%2Fpostgresql/app");
  ASSERT_TRUE(socket.ok()) << socket.status().message();
  EXPECT_EQ(ParseWithLibpq(*socket)["host"], "/var/run/postgresql");

  Result<std::string> ipv6 = ToLibpqConninfo("postgres://u@[::1]:5433/app");
  ASSERT_TRUE(ipv6.ok()) << ipv6.status().message();
  EXPECT_EQ(ParseWithLibpq(*ipv6)["host"], "::1");

  Result<std::string> keywords = ToLibpqConninfo("host=h password='se cret' dbname=app");
  ASSERT_TRUE(keywords.ok()) << keywords.status().message();
  EXPECT_EQ(ParseWithLibpq(*keywords)["password"], "se cret");
}

TEST(DatabaseUrlTest, EveryConvertedCaseIsAcceptedByLibpq) {
  for (const Conversion& conversion : kConversions) {
    std::map<std::string, std::string> parsed = ParseWithLibpq(conversion.conninfo);
    EXPECT_EQ(parsed.count("error"), 0u) << conversion.name << ": " << parsed["error"];
  }
}

// Found by fuzz/database_url_fuzzer: each '=' of "a=b=c=..." nested the redaction one level
// deeper, so a long one overflowed the stack (after quadratic time).
TEST(DatabaseUrlTest, RedactingDeeplyNestedKeywordValuesDoesNotRecurse) {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "a=";
  text += std::string("password=") + kSecret;
  EXPECT_EQ(RedactPassword(text).find(kSecret), std::string::npos);
}

// libpq expands a connection string in dbname, but not one inside that: it is hidden whole.
TEST(DatabaseUrlTest, ConnectionStringNestedTwiceIsHiddenWhole) {
  EXPECT_EQ(RedactPassword(std::string("dbname=dbname=password=") + kSecret), "dbname=dbname=****");
  EXPECT_EQ(RedactPassword("dbname='host=h dbname=app' user=u"),
            "dbname='host=h dbname=app' user=u");
}

// The safety net in front of every printed error: the URLs a run was given, verbatim or as libpq
// got them, are masked wherever they appear; nothing else in the message changes.
TEST(RedactorTest, MasksTheGivenUrlsInEitherFormAndNothingElse) {
  Redactor redactor;
  redactor.Add("postgresql+asyncpg://u:" + std::string(kSecret) + "@h/app");
  redactor.Add("");          // an unset setting
  redactor.Add("embedded");  // no password, and no conninfo of its own
  const std::string as_given = "postgresql+asyncpg://u:" + std::string(kSecret) + "@h/app";
  const std::string as_libpq_got_it = "postgresql://u:" + std::string(kSecret) + "@h/app";
  std::string message = "cannot connect to " + as_given + " (libpq: " + as_libpq_got_it +
                        "), twice: " + as_libpq_got_it + "; label@head is fine";
  EXPECT_EQ(redactor.Redact(message),
            "cannot connect to postgresql+asyncpg://u:****@h/app (libpq: "
            "postgresql://u:****@h/app), twice: postgresql://u:****@h/app; label@head is fine");
}

TEST(RedactorTest, WithNothingAddedMessagesAreUnchanged) {
  EXPECT_EQ(Redactor().Redact("user:pw@host is not a URL we were given"),
            "user:pw@host is not a URL we were given");
}

}  // namespace
}  // namespace retort::config
