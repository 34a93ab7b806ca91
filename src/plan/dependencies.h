// plan::Dependencies, apart from plan.h so that render.h can name it without the diff's
// vocabulary.
#pragma once

#include <functional>
#include <memory>

namespace retort::plan {

// The two models' dependency graphs that Build orders the changes by: pg_depend's edges
// between the objects a plan creates and drops. A function of Build's `from`, `to` and
// `options.renames` alone, costing about what the diff does on a large schema, so a caller
// with a core to spare builds it on another thread while Build diffs (see DependencySource).
// Read, never changed, once built.
class Dependencies {
 public:
  struct Graphs;  // plan.cc's
  explicit Dependencies(std::unique_ptr<const Graphs> graphs);
  Dependencies(Dependencies&&) noexcept;
  Dependencies& operator=(Dependencies&&) noexcept;
  ~Dependencies();
  const Graphs& graphs() const { return *graphs_; }

 private:
  std::unique_ptr<const Graphs> graphs_;
};

// Hands Build the dependencies BuildDependencies made of the same models and options. Build
// calls it at most once, on its own thread, and only when the diff found changes: a caller that
// builds them on another thread waits for them there. Empty: Build builds them itself.
using DependencySource = std::function<Dependencies()>;

}  // namespace retort::plan
