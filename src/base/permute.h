// Reordering several parallel vectors by one permutation, in place.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace retort {

// Afterwards, element k of each vector is the one that was at `order[k]`. `order` must be a
// permutation of 0..n-1 for vectors of n elements. No element is copied and nothing is
// allocated: the catalog reader reorders 450,000 columns this way at 10,000 tables.
template <typename... Vectors>
void PermuteInPlace(std::vector<size_t> order, Vectors&... vectors) {
  for (size_t k = 0; k < order.size(); ++k) {
    // Slot `at` takes the element at order[at]; the element it held moves on to the slot
    // that element belongs in, until the cycle closes back at k.
    size_t at = k;
    while (order[at] != k) {
      size_t next = order[at];
      (std::swap(vectors[at], vectors[next]), ...);
      order[at] = at;
      at = next;
    }
    order[at] = at;
  }
}

}  // namespace retort
