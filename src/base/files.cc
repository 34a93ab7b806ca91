#include "base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

namespace retort {

namespace fs = std::filesystem;

namespace {

std::string FileKind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "a special file";
}

}  // namespace

Result<std::string> ReadFile(const std::string& path) {
  // Plain read(2) into a string sized by fstat: a deploy reads every migration file, and a
  // stream costs several times as much per small file.
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    int error = errno;
    struct stat link {};
    if (error == ENOENT && ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
      return Status::InvalidInput(path + ": cannot read: a symbolic link to a missing file");
    }
    if (error == ELOOP) {
      return Status::InvalidInput(path + ": cannot read: a symbolic link loop");
    }
    // A socket cannot be opened at all (ENXIO); say what it is rather than errno's words.
    struct stat target {};
    if (::stat(path.c_str(), &target) == 0 && !S_ISREG(target.st_mode)) {
      return Status::InvalidInput(path + ": cannot read: " + FileKind(target.st_mode) +
                                  ", not a regular file");
    }
    return Status::InvalidInput(path + ": cannot read: " + std::strerror(error));
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    std::string error = std::strerror(errno);
    ::close(fd);
    return Status::InvalidInput(path + ": cannot read: " + error);
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    return Status::InvalidInput(path + ": cannot read: " + FileKind(info.st_mode) +
                                ", not a regular file");
  }
  std::string contents;
  if (info.st_size > 0) contents.resize(static_cast<size_t>(info.st_size));
  size_t used = 0;
  while (true) {
    if (used == contents.size()) contents.resize(std::max<size_t>(4096, contents.size() * 2));
    ssize_t got = ::read(fd, contents.data() + used, contents.size() - used);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      std::string error = std::strerror(errno);
      ::close(fd);
      return Status::InvalidInput(path + ": cannot read: " + error);
    }
    if (got == 0) break;
    used += static_cast<size_t>(got);
  }
  ::close(fd);
  contents.resize(used);
  return contents;
}

Status WriteFile(const std::string& path, const std::string& contents) {
  // Unique per process and thread, so concurrent writers of one file (the header cache) never
  // write into each other's temporary file; the last rename wins whole.
  std::string temp = path + ".tmp." + std::to_string(::getpid()) + "." +
                     std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Failed(temp + ": cannot write: " + std::strerror(errno));
    out << contents;
    if (!out.flush()) return Status::Failed(temp + ": write failed");
  }
  std::error_code error;
  fs::rename(temp, path, error);
  if (error) return Status::Failed(path + ": cannot rename into place: " + error.message());
  return Status::Ok();
}

Status CreateNewFile(const std::string& path, const std::string& contents) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return Status::InvalidInput(path + ": already exists");
    return Status::Failed(path + ": cannot create: " + std::strerror(errno));
  }
  size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return Status::Failed(path + ": write failed: " + std::strerror(errno));
    }
    written += static_cast<size_t>(n);
  }
  ::close(fd);
  return Status::Ok();
}

bool PathExists(const std::string& path) {
  std::error_code error;
  return fs::exists(path, error);
}

bool IsDirectory(const std::string& path) {
  std::error_code error;
  return fs::is_directory(path, error);
}

Status MakeDirectories(const std::string& path) {
  std::error_code error;
  fs::create_directories(path, error);
  if (error) return Status::Failed(path + ": cannot create directory: " + error.message());
  return Status::Ok();
}

Result<std::vector<std::string>> ListFiles(const std::string& dir, const std::string& suffix) {
  std::error_code error;
  fs::directory_iterator it(dir, error);
  if (error) return Status::InvalidInput(dir + ": cannot list directory: " + error.message());
  std::vector<std::string> names;
  for (const auto& entry : it) {
    std::string name = entry.path().filename().string();
    if (name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      names.push_back(entry.path().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string JoinPath(const std::string& a, const std::string& b) {
  if (a.empty() || (!b.empty() && b[0] == '/')) return b;
  return (fs::path(a) / b).string();
}

std::string DirName(const std::string& path) {
  std::string parent = fs::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

std::string BaseName(const std::string& path) { return fs::path(path).filename().string(); }

std::string AbsolutePath(const std::string& path) {
  std::error_code error;
  fs::path absolute = fs::absolute(path, error);
  return error ? path : absolute.lexically_normal().string();
}

}  // namespace retort
