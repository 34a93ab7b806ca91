// Child processes for tests that race or kill real retort processes: forked, held at a gate so
// that they start together, their output captured to files; and Eventually, which polls a
// condition with an upper bound (never a timed wait standing in for one).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace retort::testing {

bool Eventually(const std::function<bool()>& condition,
                std::chrono::seconds limit = std::chrono::seconds(20));

struct ChildResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
};

// Child processes that are all forked first and held at a gate (a pipe they read until the
// parent closes it), so that they start at the same moment. stdout and stderr go to files. Any
// child still running when this dies is killed and reaped.
class ChildProcesses {
 public:
  explicit ChildProcesses(std::string log_dir);
  ~ChildProcesses();
  ChildProcesses(const ChildProcesses&) = delete;
  ChildProcesses& operator=(const ChildProcesses&) = delete;

  // Forks `argv` (argv[0] a path) in `cwd`; it waits at the gate. Returns its index. `env`
  // entries ("NAME=value") are added to the child's environment.
  int Start(const std::vector<std::string>& argv, const std::string& cwd,
            const std::vector<std::string>& env = {});
  // Lets every started child run.
  void Release();
  pid_t pid(int index) const { return children_[static_cast<size_t>(index)].pid; }
  // Where child `index`'s stderr goes, to be read while it runs.
  const std::string& err_path(int index) const {
    return children_[static_cast<size_t>(index)].err_path;
  }
  // True once child `index` has exited (reaping it); its result is then available from Wait.
  bool Exited(int index);
  ChildResult Wait(int index);
  std::vector<ChildResult> WaitAll();

 private:
  struct Child {
    pid_t pid = -1;
    std::string out_path;
    std::string err_path;
    bool reaped = false;
    ChildResult result;
  };
  static void Reaped(Child& child, int status);

  std::string log_dir_;
  int gate_[2] = {-1, -1};
  std::vector<Child> children_;
};

// "--- process N exit E" with stdout and stderr, for each result.
std::string Describe(const std::vector<ChildResult>& results);

}  // namespace retort::testing
