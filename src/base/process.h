// Running another program and collecting what it prints: the user's Python for `import alembic`
// and the SQLAlchemy provider, or any `[schema] program`.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace retort {

struct ProcessOptions {
  std::string cwd;  // "" = the current directory
  // Extra environment variables, "NAME=value", on top of the inherited environment.
  std::vector<std::string> env;
  long timeout_ms = 0;  // 0 = wait as long as it takes
};

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;      // the signal that ended it, 0 when it exited
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs argv[0] (looked up in PATH when it has no '/') with stdin from /dev/null, collecting
// stdout and stderr separately. On timeout the process is killed (SIGKILL) and timed_out is set.
// A program that cannot be started is an InvalidInput error naming it.
Result<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                 const ProcessOptions& options = {});

// "exit 3", "killed by signal 9", "timed out after 30 s": how the run ended, for messages.
std::string DescribeEnd(const ProcessResult& result, long timeout_ms);

// The directory holding the running executable ("" when unknown).
std::string ExecutableDirectory();

}  // namespace retort
