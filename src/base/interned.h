// A string stored once for the whole process, held by pointer.
//
// For texts that repeat across a large schema: 450,000 columns of a 10,000-table schema name a
// few dozen distinct types, and 32 bytes of std::string each (more when the text outgrows the
// small-string buffer) were a fifth of the model. Column names repeat too (id, created_at, ...;
// zabbix's 1,335 columns have 712 names) and a diff's two sides share them all. Interned texts
// are never freed; only use this for values that repeat.
#pragma once

#include <compare>
#include <ostream>
#include <string>
#include <string_view>

namespace retort {

class InternedString {
 public:
  InternedString();  // the empty string
  // NOLINTNEXTLINE(google-explicit-constructor): stands in for std::string
  InternedString(std::string_view text);
  // NOLINTNEXTLINE(google-explicit-constructor)
  InternedString(const std::string& text) : InternedString(std::string_view(text)) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  InternedString(const char* text) : InternedString(std::string_view(text)) {}

  const std::string& str() const { return *text_; }
  // NOLINTNEXTLINE(google-explicit-constructor): reads as the std::string it stands for
  operator const std::string&() const { return *text_; }
  // NOLINTNEXTLINE(google-explicit-constructor)
  operator std::string_view() const { return *text_; }
  bool empty() const { return text_->empty(); }
  size_t size() const { return text_->size(); }

  // Equal texts are the same object, so comparing them is comparing pointers.
  friend bool operator==(InternedString a, InternedString b) { return a.text_ == b.text_; }
  friend bool operator==(InternedString a, std::string_view b) { return *a.text_ == b; }
  friend bool operator==(InternedString a, const char* b) { return *a.text_ == b; }
  friend bool operator==(InternedString a, const std::string& b) { return *a.text_ == b; }
  friend std::strong_ordering operator<=>(InternedString a, InternedString b) {
    return *a.text_ <=> *b.text_;
  }

 private:
  const std::string* text_;
};

inline std::ostream& operator<<(std::ostream& out, InternedString text) {
  return out << text.str();
}

inline std::string operator+(const std::string& a, InternedString b) { return a + b.str(); }
inline std::string operator+(InternedString a, const std::string& b) { return a.str() + b; }
inline std::string operator+(const char* a, InternedString b) { return a + b.str(); }
inline std::string operator+(InternedString a, const char* b) { return a.str() + b; }

}  // namespace retort
