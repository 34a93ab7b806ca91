// A cache of parsed migration headers (and each file's SHA-256), so that a deploy's no-op
// `upgrade` and `current` need not read and hash every migration file. Like git's index, an
// entry is keyed by the file's stat data (size, mtime and ctime to the nanosecond, inode,
// device): any write to a file changes its ctime, which no tool can set back. A file written so
// recently that a further write could leave its stat data unchanged (timestamps come from a
// coarse clock) is not cached at all, so it is read again every time until it has settled.
//
// The cache lives in the project's .retort/ directory. It is only ever a shortcut: a missing,
// unreadable, corrupt or foreign (another format or retort version) cache is ignored and
// rewritten, and a cache that cannot be written is not an error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migrations/migration.h"

namespace retort::migrations {

inline constexpr char kHeaderCacheFileName[] = "migration-headers.cache";

// What stat(2) says about a file, as far as the cache compares it.
struct FileStamp {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  uint64_t inode = 0;
  uint64_t device = 0;

  bool operator==(const FileStamp&) const = default;
};

// The file's stamp; nothing when it cannot be stat'ed (the caller then reads it and reports
// why).
std::optional<FileStamp> StampOf(const std::string& path);

struct CachedHeader {
  FileStamp stamp;
  // A header-only parse without `source`: path, ids, directives, source_sha256.
  MigrationHeader header;
};

// Whether a file with this stamp may be cached at `now_ns` (nanoseconds since the epoch): its
// mtime and ctime are at least a second old, so any later write gives it a later ctime.
bool SettledForCache(const FileStamp& stamp, int64_t now_ns);

// LoadHeaders(versions_dir) through the cache file at `cache_path`: a
// file whose stamp matches its entry is not read (its header then has an empty `source`:
// read the file for it), every other file is read and parsed, and the cache is rewritten (to a
// temporary file renamed into place, so concurrent runs never see half of one) when anything
// changed. Errors are LoadDirectory's. `now_ns` (0: the real clock) decides which files have
// settled (SettledForCache).
Result<std::vector<MigrationHeader>> LoadHeadersCached(const std::string& versions_dir,
                                                       const std::string& cache_path,
                                                       int64_t now_ns = 0);

// The entries of a cache file's text, keyed by path; empty when the text is not a cache this
// build wrote (corrupt, truncated, another format or retort version).
std::vector<CachedHeader> ParseHeaderCache(std::string_view text);
std::string RenderHeaderCache(const std::vector<CachedHeader>& entries);

}  // namespace retort::migrations
