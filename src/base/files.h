// File-system access used by config/ and migrations/. Functions, not an interface: the pure
// parsers take text, so tests feed them strings and never need a fake file system.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace retort {

// InvalidInput for anything but a regular file (after symlinks): a directory, a FIFO (which
// would block), a dangling or looping symlink.
Result<std::string> ReadFile(const std::string& path);
// Writes atomically (temp file + rename) so a crash never leaves half a migration file.
Status WriteFile(const std::string& path, const std::string& contents);
// Fails if the file exists (O_EXCL): `revision` must never overwrite a migration.
Status CreateNewFile(const std::string& path, const std::string& contents);
bool PathExists(const std::string& path);
bool IsDirectory(const std::string& path);
Status MakeDirectories(const std::string& path);
// Entries directly inside `dir` whose names end in `suffix`, sorted by name: files, and also
// directories, FIFOs and dangling or looping symlinks, which ReadFile then refuses by name. A
// `x.sql` skipped because it is not a regular file would be a migration silently not run.
Result<std::vector<std::string>> ListFiles(const std::string& dir, const std::string& suffix);
std::string JoinPath(const std::string& a, const std::string& b);
std::string DirName(const std::string& path);
std::string BaseName(const std::string& path);
std::string AbsolutePath(const std::string& path);

}  // namespace retort
