// libFuzzer target: one statement's text -> every classifier in sqltext/classify.h.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sqltext/classify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view statement(reinterpret_cast<const char*>(data), size);
  using retort::sqltext::TransactionUse;
  TransactionUse use = retort::sqltext::ClassifyTransactionUse(statement);
  bool in_transaction = retort::sqltext::CanRunInTransaction(statement);
  if (in_transaction != (use != TransactionUse::kOutsideTransactionBlock &&
                         use != TransactionUse::kControlsTransaction)) {
    __builtin_trap();
  }
  (void)retort::sqltext::AddedEnumValue(statement);
  if (auto index = retort::sqltext::ConcurrentlyBuiltIndex(statement)) {
    (void)index->table.Qualified();
  }
  for (const auto& destroyed : retort::sqltext::FindDestroyedData(statement)) {
    (void)destroyed.table.Qualified();
  }
  if (auto table = retort::sqltext::ModifiedTable(statement)) (void)table->Qualified();
  return 0;
}
