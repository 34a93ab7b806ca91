// libFuzzer target: SQL text -> sqltext::SplitStatements, sqltext::Tokenize and
// sqltext::Fingerprint.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sqltext/split.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view sql(reinterpret_cast<const char*>(data), size);
  auto tokens = retort::sqltext::Tokenize(sql, "fuzz.sql", 1);
  if (tokens.ok()) {
    size_t previous_end = 0;
    for (const retort::sqltext::Token& token : *tokens) {
      if (token.begin < previous_end || token.end < token.begin || token.end > sql.size()) {
        __builtin_trap();
      }
      previous_end = token.end;
    }
  }
  auto statements = retort::sqltext::SplitStatements(sql, "fuzz.sql", 1);
  if (!statements.ok()) return 0;
  int previous_line = 1;
  for (const retort::sqltext::Statement& statement : *statements) {
    if (statement.line < previous_line || statement.text.empty()) {
      __builtin_trap();
    }
    previous_line = statement.line;
    (void)retort::sqltext::Fingerprint(statement.text);
  }
  return 0;
}
