// Small string helpers shared by every layer.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace retort {

std::string_view Trim(std::string_view text);
std::vector<std::string> Split(std::string_view text, char separator);
// Splits on commas and/or whitespace, dropping empty pieces: "a, b c" -> {a, b, c}.
std::vector<std::string> SplitList(std::string_view text);
std::string Join(const std::vector<std::string>& pieces, std::string_view separator);
// Single SQL statements (without terminators) as one script: each followed by ";\n".
std::string JoinStatements(const std::vector<std::string>& statements);
bool StartsWith(std::string_view text, std::string_view prefix);
bool EndsWith(std::string_view text, std::string_view suffix);
std::string ToLower(std::string_view text);
std::string ToUpper(std::string_view text);
// 1-based line number of byte `offset` in `text`.
int LineOfOffset(std::string_view text, size_t offset);
// `text` on one line: each run of white space (std::isspace) one space, none at either end.
std::string CollapseWhitespace(std::string_view text);
// At most `max_bytes` bytes of `text`, cut back to the start of a UTF-8 character so that the
// result stays well-formed.
std::string ClipUtf8(std::string_view text, size_t max_bytes);
// `text` as messages quote it: on one line (CollapseWhitespace) and, when longer than
// `max_bytes`, clipped (ClipUtf8) and ended with "...", never longer than `max_bytes` in all.
std::string Excerpt(std::string_view text, size_t max_bytes);
// `value` with `decimals` digits after the point: FixedPoint(2.5, 2) == "2.50" (printf's %.*f).
std::string FixedPoint(double value, int decimals);
// "add chunk partitions!" -> "add_chunk_partitions", at most `max_length` bytes.
std::string Slugify(std::string_view text, size_t max_length = 40);
// SQL literal 'it''s' and identifier "Weird""Name" quoting (identifiers quoted only when needed).
std::string QuoteLiteral(std::string_view text);
std::string QuoteIdentifier(std::string_view name);
// Whether QuoteIdentifier quotes `name` (as PostgreSQL's quote_ident does), without building it.
bool NeedsQuoting(std::string_view name);
// Whether `c` can continue an unquoted SQL identifier: a letter, digit, '_', '$', or any byte of
// a multi-byte UTF-8 character (PostgreSQL's scanner takes bytes >= 0x80 as letters).
bool IsIdentifierChar(char c);
// Whether `text` names the identifier `name` as a whole word, bare (`name`) or quoted
// (QuoteIdentifier): "lower(email)" mentions email, "emails" does not.
bool MentionsIdentifier(std::string_view text, std::string_view name);
// Byte offset of the first byte that does not belong to well-formed UTF-8 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF) or that is a NUL; npos when none.
size_t FirstInvalidTextByte(std::string_view text);
// InvalidInput "<path>:<line>: ..." naming the first invalid byte (FirstInvalidTextByte);
// Ok for clean text. For files that are handed to PostgreSQL or a parser: a NUL would end the
// text early in C APIs, and a server in UTF8 rejects invalid bytes only after earlier statements
// of the same file have run.
Status CheckTextFile(std::string_view text, std::string_view path);
// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`: the optimal
// string alignment form of Damerau-Levenshtein, so "upgarde" is one edit from "upgrade".
size_t EditDistance(std::string_view a, std::string_view b);
// The candidate nearest to `typed` (compared in lower case) when it is close enough to be a
// typo: one edit for words of up to four letters, two beyond. The first of equals wins.
std::optional<std::string> ClosestMatch(std::string_view typed,
                                        const std::vector<std::string>& candidates);
// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// `time` in UTC as strftime's `format` prints it (at most 63 bytes): "%Y-%m-%dT%H:%M:%SZ".
std::string FormatUtc(std::time_t time, const char* format);

}  // namespace retort
