// Spreads independent pieces of CPU work (parsing files, fingerprinting statements) over the
// machine's cores. No thread pool: the work comes in one burst per command.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace retort {

// Calls work(i) for i in [0, count) on `threads` threads (the caller's included), each taking
// the next i as it finishes one, and returns when all have returned. Items start in order. When
// a call returns false no further item starts; those already started finish. Calls for
// different i run concurrently: work must only write what belongs to its i.
template <typename Work>
void ParallelForWhile(size_t count, size_t threads, const Work& work) {
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  auto run = [&] {
    while (!stop.load()) {
      size_t i = next.fetch_add(1);
      if (i >= count) return;
      if (!work(i)) stop.store(true);
    }
  };
  std::vector<std::thread> helpers;
  size_t wanted = std::min(count, std::max<size_t>(threads, 1));
  helpers.reserve(wanted > 0 ? wanted - 1 : 0);
  for (size_t t = 1; t < wanted; ++t) helpers.emplace_back(run);
  run();
  for (std::thread& helper : helpers) helper.join();
}

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
  ParallelForWhile(count, threads, [&](size_t i) {
    work(i);
    return true;
  });
}

}  // namespace retort
