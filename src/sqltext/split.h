// Splitting SQL text into statements with PostgreSQL's own grammar (libpg_query).
// Never split on ';' by hand: dollar quotes, DO blocks, function bodies, comments and string
// literals all contain semicolons.
//
// libpg_query keeps a memory context per thread; every function here frees what it gets from
// the library, and none calls pg_query_exit(). Safe to call from several threads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace retort::sqltext {

struct Statement {
  std::string text;  // the statement without its trailing ';' and without leading comments/space
  int line = 0;      // 1-based line in the file where the statement's first token is
};

// The section a migration file's `-- retort:upgrade` / `-- retort:downgrade` line opens
// ("upgrade" or "downgrade"; white space around and after "--" allowed), nothing for any other
// line. The marker splits a file into the SQL this header's functions then split further.
std::optional<std::string_view> SectionMarker(std::string_view line);

// Splits `sql`, which starts at line `first_line` of `file`. A syntax error becomes
// InvalidInput "file:LINE: syntax error at or near ..." with the line of the error position.
// Statement text runs from the first token to the last one, so comments before a statement and
// comments between its last token and the ';' are not part of it (appending ";" is always
// safe). Text made only of comments and whitespace yields no statement. When the syntax error
// is in the data rows of a COPY ... FROM stdin, the error names the COPY instead
// (CopyFromStdinUnsupported).
Result<std::vector<Statement>> SplitStatements(std::string_view sql, const std::string& file,
                                               int first_line);

// InvalidInput "file:LINE: COPY ... FROM stdin is not supported ...", for a COPY FROM STDIN
// statement at `line` (sqltext::CopiesFromStdin).
Status CopyFromStdinUnsupported(const std::string& file, int line);

// One lexical token of PostgreSQL's scanner: bytes [begin, end) of the scanned text.
struct Token {
  size_t begin = 0;
  size_t end = 0;
  bool is_comment = false;  // a `-- ...` or `/* ... */` comment
};

// Scans `sql` (which starts at line `first_line` of `file`) into tokens, comments included.
// Only lexical errors fail (an unterminated string, quoted identifier, dollar quote or
// comment): InvalidInput "file:LINE: unterminated ...".
Result<std::vector<Token>> Tokenize(std::string_view sql, const std::string& file, int first_line);

// A fingerprint of one statement for checksums: the lowercase hex SHA-256 of libpg_query's JSON
// parse tree with every source position ("location", "stmt_location", "stmt_len") removed.
// Because it hashes the tree, not the text, it ignores whitespace, comments, keyword case and
// the case of unquoted identifiers, but it changes when any identifier, literal value or
// operator changes. (pg_query_fingerprint is not used: it ignores constants' values, so
// 'a' -> 'b' would not change it.) The text of a function body or DO block is a string
// literal, so every edit inside one, whitespace included, changes the fingerprint.
// Several statements in `statement` are fingerprinted together, in order.
// A statement that does not parse is InvalidInput.
Result<std::string> Fingerprint(std::string_view statement);

}  // namespace retort::sqltext
