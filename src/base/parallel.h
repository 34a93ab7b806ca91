// Spreads independent pieces of CPU work (parsing files, fingerprinting statements) over the
// machine's cores. No thread pool: the work comes in one burst per command.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace retort {

// Calls work(i) once for every i in [0, count), on up to four threads (the caller's included),
// and returns when all calls have returned. Calls for different i run concurrently: work must
// only write what belongs to its i. Below `serial_below` items it all runs on the caller's
// thread, where starting threads would cost more than it saves.
template <typename Work>
void ParallelFor(size_t count, const Work& work, size_t serial_below = 16) {
  size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
  if (count < serial_below || threads == 1) {
    for (size_t i = 0; i < count; ++i) work(i);
    return;
  }
  // Taken one at a time: file sizes vary too much for fixed shares to balance.
  std::atomic<size_t> next{0};
  auto run = [&] {
    for (size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) work(i);
  };
  std::vector<std::thread> helpers;
  helpers.reserve(threads - 1);
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(run);
  run();
  for (std::thread& helper : helpers) helper.join();
}

}  // namespace retort
