#include "support/child_processes.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "base/files.h"

extern char** environ;

namespace retort::testing {

bool Eventually(const std::function<bool()>& condition, std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

ChildProcesses::ChildProcesses(std::string log_dir) : log_dir_(std::move(log_dir)) {
  if (::pipe2(gate_, O_CLOEXEC) != 0) ADD_FAILURE() << "pipe: " << std::strerror(errno);
}

ChildProcesses::~ChildProcesses() {
  Release();
  for (Child& child : children_) {
    if (child.reaped) continue;
    ::kill(child.pid, SIGKILL);
    int status = 0;
    while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

int ChildProcesses::Start(const std::vector<std::string>& argv, const std::string& cwd,
                          const std::vector<std::string>& env) {
  int index = static_cast<int>(children_.size());
  Child child;
  child.out_path = JoinPath(log_dir_, "child" + std::to_string(index) + ".out");
  child.err_path = JoinPath(log_dir_, "child" + std::to_string(index) + ".err");
  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::vector<std::string> args = argv;
  std::vector<char*> c_args;
  for (std::string& arg : args) c_args.push_back(arg.data());
  c_args.push_back(nullptr);
  std::vector<std::string> extra_env = env;
  std::vector<char*> c_env;
  for (char** entry = environ; *entry != nullptr; ++entry) c_env.push_back(*entry);
  for (std::string& entry : extra_env) c_env.push_back(entry.data());
  c_env.push_back(nullptr);
  int null_in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int out = ::open(child.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err = ::open(child.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (null_in < 0 || out < 0 || err < 0 || gate_[0] < 0) {
    ADD_FAILURE() << "cannot set up child " << index << ": " << std::strerror(errno);
    for (int fd : {null_in, out, err}) {
      if (fd >= 0) ::close(fd);
    }
    return -1;
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(gate_[1]);
    char byte;
    while (::read(gate_[0], &byte, 1) < 0 && errno == EINTR) {
    }
    if (::dup2(null_in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0 ||
        ::chdir(cwd.c_str()) != 0) {
      ::_exit(126);
    }
    ::execve(c_args[0], c_args.data(), c_env.data());
    ::_exit(127);
  }
  for (int fd : {null_in, out, err}) ::close(fd);
  if (pid < 0) {
    ADD_FAILURE() << "fork: " << std::strerror(errno);
    return -1;
  }
  child.pid = pid;
  children_.push_back(std::move(child));
  return index;
}

void ChildProcesses::Release() {
  if (gate_[1] >= 0) ::close(gate_[1]);
  if (gate_[0] >= 0) ::close(gate_[0]);
  gate_[0] = gate_[1] = -1;
}

bool ChildProcesses::Exited(int index) {
  Child& child = children_[static_cast<size_t>(index)];
  if (child.reaped) return true;
  int status = 0;
  if (::waitpid(child.pid, &status, WNOHANG) != child.pid) return false;
  Reaped(child, status);
  return true;
}

ChildResult ChildProcesses::Wait(int index) {
  Child& child = children_[static_cast<size_t>(index)];
  if (!child.reaped) {
    int status = 0;
    while (::waitpid(child.pid, &status, 0) < 0) {
      if (errno != EINTR) {
        ADD_FAILURE() << "waitpid: " << std::strerror(errno);
        child.reaped = true;
        return child.result;
      }
    }
    Reaped(child, status);
  }
  return child.result;
}

std::vector<ChildResult> ChildProcesses::WaitAll() {
  std::vector<ChildResult> results;
  for (size_t i = 0; i < children_.size(); ++i) results.push_back(Wait(static_cast<int>(i)));
  return results;
}

void ChildProcesses::Reaped(Child& child, int status) {
  child.reaped = true;
  if (WIFEXITED(status)) child.result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) child.result.exit_code = 128 + WTERMSIG(status);
  auto out = ReadFile(child.out_path);
  auto err = ReadFile(child.err_path);
  child.result.out = out.ok() ? *out : "";
  child.result.err = err.ok() ? *err : "(stderr unreadable: " + err.status().message() + ")";
}

std::string Describe(const std::vector<ChildResult>& results) {
  std::string text;
  for (size_t i = 0; i < results.size(); ++i) {
    text += "--- process " + std::to_string(i) + " exit " + std::to_string(results[i].exit_code) +
            "\nstdout: " + results[i].out + "\nstderr: " + results[i].err + "\n";
  }
  return text;
}

}  // namespace retort::testing
