// libFuzzer target: a migration file's text -> migrations::ParseMigration (header only, then in
// full), and the batch placeholder rewriting done on its statements.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "migrations/migration.h"

namespace {

void CheckStatement(const retort::sqltext::Statement& statement) {
  // MaskBatchSize promises to keep byte offsets: the parser's error positions rely on it.
  if (retort::migrations::MaskBatchSize(statement.text).size() != statement.text.size()) {
    __builtin_trap();
  }
  (void)retort::migrations::BindBatchRange(statement.text, 1000, "'a'", "'b'");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  using retort::migrations::ParseDepth;
  auto header = retort::migrations::ParseMigrationHeader(text, "fuzz.sql");
  auto full = retort::migrations::ParseMigration(text, "fuzz.sql", ParseDepth::kFull);
  // The header is part of the file: a file whose header is broken is broken.
  if (full.ok() && !header.ok()) __builtin_trap();
  if (!full.ok()) return 0;
  if (header->id != full->id || header->parents != full->parents) __builtin_trap();
  for (const auto& statement : full->upgrade) CheckStatement(statement);
  for (const auto& statement : full->downgrade) CheckStatement(statement);
  (void)retort::migrations::DescribeChanges(*full, *full);
  return 0;
}
