// An optional value kept on the heap: one pointer wide where std::optional<T> is sizeof(T) + 8.
// For fields that most objects of a large model leave empty (a column's comment, collation,
// identity options): at 100,000 columns each such field costs 0.8 MB instead of 4 MB or more.
// A value type like std::optional (deep copy, equality by value), and read the same way, so
// code written against std::optional keeps working.
#pragma once

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace retort {

template <typename T>
class Boxed;

// Whether a U makes a T for Boxed<T> (a T itself, a string literal), as opposed to the other
// Boxed / std::optional / std::nullopt overloads.
template <typename T, typename U>
constexpr bool kBoxedValueSource =
    std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, Boxed<T>> &&
    !std::is_same_v<std::decay_t<U>, std::optional<T>> &&
    !std::is_same_v<std::decay_t<U>, std::nullopt_t>;

template <typename T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(std::nullopt_t) {}  // NOLINT(google-explicit-constructor): as std::optional
  // From anything T is made of (a T, a string literal), as std::optional.
  template <typename U, typename = std::enable_if_t<kBoxedValueSource<T, U>>>
  Boxed(U&& value)  // NOLINT(google-explicit-constructor)
      : value_(std::make_unique<T>(std::forward<U>(value))) {}
  Boxed(const std::optional<T>& value) {  // NOLINT(google-explicit-constructor)
    if (value) value_ = std::make_unique<T>(*value);
  }
  Boxed(std::optional<T>&& value) {  // NOLINT(google-explicit-constructor)
    if (value) value_ = std::make_unique<T>(std::move(*value));
  }
  Boxed(const Boxed& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  template <typename U, typename = std::enable_if_t<kBoxedValueSource<T, U>>>
  Boxed& operator=(U&& value) {
    value_ = std::make_unique<T>(std::forward<U>(value));
    return *this;
  }
  ~Boxed() = default;

  bool has_value() const { return value_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return value_.get(); }
  const T* operator->() const { return value_.get(); }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  template <typename U>
  T value_or(U&& fallback) const {
    return value_ ? *value_ : static_cast<T>(std::forward<U>(fallback));
  }
  void reset() { value_.reset(); }
  template <typename... Args>
  T& emplace(Args&&... args) {
    value_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *value_;
  }
  // A copy as std::optional, for code that takes one.
  operator std::optional<T>() const {  // NOLINT(google-explicit-constructor)
    return value_ ? std::optional<T>(*value_) : std::nullopt;
  }

  friend bool operator==(const Boxed& a, const Boxed& b) {
    if (!a.value_ || !b.value_) return !a.value_ && !b.value_;
    return *a.value_ == *b.value_;
  }
  friend bool operator==(const Boxed& a, const std::optional<T>& b) {
    if (!a.value_ || !b) return !a.value_ && !b;
    return *a.value_ == *b;
  }
  // With a value (a T, a string literal): equal when full and equal, as std::optional.
  template <typename U, typename = std::enable_if_t<kBoxedValueSource<T, const U&>>>
  friend bool operator==(const Boxed& a, const U& b) {
    return a.value_ && *a.value_ == b;
  }
  friend bool operator==(const Boxed& a, std::nullopt_t) { return !a.value_; }

 private:
  std::unique_ptr<T> value_;
};

}  // namespace retort
