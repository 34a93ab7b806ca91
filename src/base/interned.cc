#include "base/interned.h"

#include <functional>
#include <mutex>
#include <unordered_set>

namespace retort {
namespace {

struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>()(text); }
};

class Pool {
 public:
  // Two inspections run on two threads at once; a set's nodes never move, so the pointers it
  // hands out stay valid while other texts are added.
  const std::string* Intern(std::string_view text) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = texts_.find(text);
    if (found == texts_.end()) found = texts_.emplace(text).first;
    return &*found;
  }

 private:
  std::mutex mutex_;
  std::unordered_set<std::string, TextHash, std::equal_to<>> texts_;
};

Pool& ThePool() {
  static Pool* pool = new Pool();  // never destroyed: interned texts outlive every static
  return *pool;
}

const std::string* EmptyText() {
  static const std::string* empty = ThePool().Intern("");
  return empty;
}

}  // namespace

InternedString::InternedString() : text_(EmptyText()) {}

InternedString::InternedString(std::string_view text)
    : text_(text.empty() ? EmptyText() : ThePool().Intern(text)) {}

}  // namespace retort
