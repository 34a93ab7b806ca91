// Splitting SQL text into statements with PostgreSQL's own grammar (libpg_query).
// Never split on ';' by hand: dollar quotes, DO blocks, function bodies, comments and string
// literals all contain semicolons.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace retort::sqltext {

struct Statement {
  std::string text;  // the statement without its trailing ';' and without leading comments/space
  int line = 0;      // 1-based line in the file where the statement's first token is
};

// Splits `sql`, which starts at line `first_line` of `file`. A syntax error becomes
// InvalidInput "file:LINE: syntax error at or near ..." with the line of the error position.
Result<std::vector<Statement>> SplitStatements(std::string_view sql, const std::string& file,
                                               int first_line);

// Whitespace- and comment-insensitive fingerprint of one statement (libpg_query's
// normalised form), for checksums that do not change when a file is reformatted.
Result<std::string> Fingerprint(std::string_view statement);

}  // namespace retort::sqltext
