#include "commands/render_threads.h"

#include <functional>
#include <future>
#include <optional>
#include <stop_token>
#include <utility>

#include "plan/dependencies.h"

namespace retort::commands {

namespace {

// A plan's dependencies built on a thread of their own, which this object owns: started when it
// is made, stopped and joined when it goes, unless the plan took them first (Source).
class DependenciesBeside {
 public:
  using Build = std::function<std::optional<plan::Dependencies>(std::stop_token)>;
  explicit DependenciesBeside(Build build)
      : built_(std::async(std::launch::async, std::move(build), stop_.get_token())) {}
  DependenciesBeside(const DependenciesBeside&) = delete;
  DependenciesBeside& operator=(const DependenciesBeside&) = delete;
  ~DependenciesBeside() {
    stop_.request_stop();
    if (built_.valid()) built_.wait();
  }

  // What plan::Build takes: waits for the thread's dependencies (Build asks only when the diff
  // found changes, before this object goes, so they were never stopped).
  plan::DependencySource Source() {
    return [this] { return *built_.get(); };
  }

 private:
  std::stop_source stop_;  // first: the thread is given its token
  std::future<std::optional<plan::Dependencies>> built_;
};

// One direction, its dependencies built beside its diff.
render::DirectionSql DirectionOnThreads(const schema::Database& from, const schema::Database& to,
                                        const render::RenderOptions& options,
                                        render::Direction direction) {
  DependenciesBeside dependencies([&from, &to, &options, direction](std::stop_token stop) {
    return render::BuildDependencies(from, to, options, direction, std::move(stop));
  });
  return render::RenderDirection(from, to, options, direction, dependencies.Source());
}

}  // namespace

render::MigrationSql RenderOnThreads(const schema::Database& from, const schema::Database& to,
                                     const render::RenderOptions& options) {
  std::future<render::DirectionSql> downgrade;
  if (options.downgrade) {
    downgrade = std::async(std::launch::async, [&from, &to, &options] {
      return DirectionOnThreads(from, to, options, render::Direction::kDowngrade);
    });
  }
  render::DirectionSql upgrade = DirectionOnThreads(from, to, options, render::Direction::kUpgrade);
  return render::JoinDirections(std::move(upgrade),
                                options.downgrade ? downgrade.get() : render::DirectionSql{});
}

std::string CreateScriptOnThreads(const schema::Database& database) {
  DependenciesBeside dependencies([&database](std::stop_token stop) {
    return render::CreateScriptDependencies(database, std::move(stop));
  });
  return render::RenderCreateScript(database, dependencies.Source());
}

}  // namespace retort::commands
