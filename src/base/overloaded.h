// std::visit helpers: one arm per alternative and no catch-all, so that a new alternative fails
// to compile at every visit that does not say what to do with it.
#pragma once

#include <type_traits>

namespace retort {

// Overloaded{[](const A&) {...}, [](const B&) {...}} visits a std::variant<A, B>.
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

template <class T, class... Ts>
concept OneOf = (std::is_same_v<T, Ts> || ...);

// The Overloaded arm for the alternatives a visit has nothing to do for: returns R() (nothing,
// std::nullopt, ...) for exactly `Ts`. They are named one by one where a generic
// `[](const auto&)` would also take an alternative added later without a word.
template <class R, class... Ts>
struct NothingFor {
  template <class T>
  requires OneOf<T, Ts...> R operator()(const T&) const { return R(); }
};

}  // namespace retort
