#include "migrations/header_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "base/files.h"
#include "base/strings.h"

#ifndef RETORT_VERSION
#define RETORT_VERSION "dev"
#endif

namespace retort::migrations {

namespace {

// The first line names the format and the build: another retort may parse headers differently,
// so its cache is not ours to trust. Bump the number when the entry layout changes.
std::string CacheIdentity() { return "retort migration header cache 1 " RETORT_VERSION "\n"; }

constexpr int64_t kSettleNs = 1'000'000'000;

// Fields are written one after another, each followed by a space: numbers in decimal, strings
// as "LENGTH:BYTES" (so any byte may appear in them), lists as a count and then their strings.
// An entry ends with a newline.
class Writer {
 public:
  void Number(int64_t value) { out_ += std::to_string(value) + ' '; }
  void Unsigned(uint64_t value) { out_ += std::to_string(value) + ' '; }
  void Text(std::string_view value) {
    out_ += std::to_string(value.size()) + ':';
    out_ += value;
    out_ += ' ';
  }
  void List(const std::vector<std::string>& values) {
    Unsigned(values.size());
    for (const std::string& value : values) Text(value);
  }
  void EndEntry() { out_ += '\n'; }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

// Reads what Writer wrote; the first mismatch makes it fail for good (ok() false).
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool ok() const { return ok_; }
  bool AtEnd() const { return at_ == text_.size(); }

  int64_t Number() {
    int64_t value = 0;
    Digits(value);
    return value;
  }
  uint64_t Unsigned() {
    uint64_t value = 0;
    Digits(value);
    return value;
  }
  std::string Text() {
    uint64_t length = 0;
    if (!Digits(length, ':') || length > text_.size() - at_ || text_.size() - at_ - length < 1 ||
        text_[at_ + length] != ' ') {
      ok_ = false;
      return "";
    }
    std::string value(text_.substr(at_, length));
    at_ += length + 1;
    return value;
  }
  std::vector<std::string> List() {
    uint64_t count = Unsigned();
    std::vector<std::string> values;
    // Each entry takes at least three bytes ("0: "): a count beyond that is corrupt.
    if (count > (text_.size() - at_) / 3) ok_ = false;
    for (uint64_t i = 0; ok_ && i < count; ++i) values.push_back(Text());
    return values;
  }
  void EndEntry() {
    if (!ok_ || AtEnd() || text_[at_] != '\n') {
      ok_ = false;
      return;
    }
    ++at_;
  }

 private:
  template <typename T>
  bool Digits(T& value, char terminator = ' ') {
    if (!ok_) return false;
    const char* begin = text_.data() + at_;
    const char* end = text_.data() + text_.size();
    auto [stop, error] = std::from_chars(begin, end, value);
    if (error != std::errc() || stop == begin || stop == end || *stop != terminator) {
      ok_ = false;
      return false;
    }
    at_ += static_cast<size_t>(stop - begin) + 1;
    return true;
  }

  std::string_view text_;
  size_t at_ = 0;
  bool ok_ = true;
};

int64_t Nanoseconds(const struct timespec& time) {
  return static_cast<int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

std::optional<FileStamp> StampFrom(int status, const struct stat& info) {
  if (status != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  return FileStamp{static_cast<uint64_t>(info.st_size), Nanoseconds(info.st_mtim),
                   Nanoseconds(info.st_ctim), static_cast<uint64_t>(info.st_ino),
                   static_cast<uint64_t>(info.st_dev)};
}

struct ListedFile {
  std::string path;
  std::optional<FileStamp> stamp;
};

// ListMigrationFiles(versions_dir) with each file's stamp, as a no-op run wants them: one pass
// over the directory, and each stat relative to it rather than a walk down the whole path (with
// 1000 migrations, the stat calls were most of the cache's time). Nothing when the directory
// cannot be opened (ListMigrationFiles then says why).
std::optional<std::vector<ListedFile>> ListWithStamps(const std::string& versions_dir) {
  struct CloseDir {
    void operator()(DIR* open) const { closedir(open); }
  };
  std::unique_ptr<DIR, CloseDir> dir(opendir(versions_dir.c_str()));
  if (dir == nullptr) return std::nullopt;
  std::vector<std::string> names;
  while (const struct dirent* entry = readdir(dir.get())) {
    std::string_view name = entry->d_name;
    if (IsMigrationFileName(name)) names.emplace_back(name);
  }
  std::sort(names.begin(), names.end());
  // The paths as ListMigrationFiles spells them: the directory joined with the name.
  std::string prefix = JoinPath(versions_dir, "x");
  prefix.pop_back();
  std::vector<ListedFile> files;
  files.reserve(names.size());
  for (const std::string& name : names) {
    struct stat info {};
    int status = fstatat(dirfd(dir.get()), name.c_str(), &info, 0);
    files.push_back(ListedFile{prefix + name, StampFrom(status, info)});
  }
  return files;
}

}  // namespace

std::optional<FileStamp> StampOf(const std::string& path) {
  struct stat info {};
  int status = ::stat(path.c_str(), &info);
  return StampFrom(status, info);
}

bool SettledForCache(const FileStamp& stamp, int64_t now_ns) {
  return stamp.mtime_ns <= now_ns - kSettleNs && stamp.ctime_ns <= now_ns - kSettleNs;
}

Result<std::vector<MigrationHeader>> LoadHeadersCached(const std::string& versions_dir,
                                                       const std::string& cache_path,
                                                       int64_t now_ns) {
  if (!IsDirectory(versions_dir)) return LoadHeaders(versions_dir);
  std::optional<std::vector<ListedFile>> files = ListWithStamps(versions_dir);
  if (!files) return LoadHeaders(versions_dir);
  // A no-op `current` spends its time here: entries are looked up by path without copying
  // them, and a hit's header is moved out (the cache is rewritten only when something changed,
  // and then from `migrations`).
  std::vector<CachedHeader> cached;
  if (auto text = ReadFile(cache_path); text.ok()) cached = ParseHeaderCache(*text);
  std::unordered_map<std::string_view, size_t> cached_by_path;
  cached_by_path.reserve(cached.size());
  for (size_t index = 0; index < cached.size(); ++index) {
    cached_by_path.emplace(cached[index].header.path, index);
  }
  if (now_ns == 0) {
    now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  }
  std::vector<MigrationHeader> migrations;
  migrations.reserve(files->size());
  // The stamp of each migration worth an entry (settled), by index into `migrations`.
  std::vector<std::optional<FileStamp>> stamps;
  stamps.reserve(files->size());
  std::vector<std::string> errors;
  bool changed = false;
  for (const auto& [file, stamp] : *files) {
    auto hit = cached_by_path.find(file);
    if (stamp && hit != cached_by_path.end() && cached[hit->second].stamp == *stamp) {
      CachedHeader& entry = cached[hit->second];
      cached_by_path.erase(hit);  // its key views the path moved out next
      migrations.push_back(std::move(entry.header));
      stamps.push_back(stamp);
      continue;
    }
    changed = true;
    Result<MigrationHeader> migration = ReadMigrationHeader(file);
    if (!migration.ok()) {
      errors.push_back(migration.status().message());
      continue;
    }
    // The stamp is taken before the read: a write in between makes it stale, never the entry.
    bool settled = stamp && SettledForCache(*stamp, now_ns);
    stamps.push_back(settled ? stamp : std::nullopt);
    migrations.push_back(std::move(migration).value());
  }
  if (!errors.empty()) return Status::InvalidInput(Join(errors, "\n"));
  // Entries of files that are gone are dropped by rewriting too.
  if (changed || migrations.size() != cached.size()) {
    std::vector<CachedHeader> entries;
    entries.reserve(migrations.size());
    for (size_t index = 0; index < migrations.size(); ++index) {
      if (!stamps[index]) continue;
      CachedHeader entry{*stamps[index], migrations[index]};
      entry.header.source.clear();
      entries.push_back(std::move(entry));
    }
    (void)MakeDirectories(DirName(cache_path));
    (void)WriteFile(cache_path, RenderHeaderCache(entries));
  }
  return migrations;
}

std::vector<CachedHeader> ParseHeaderCache(std::string_view text) {
  std::string identity = CacheIdentity();
  if (text.substr(0, identity.size()) != identity) return {};
  Reader reader(text.substr(identity.size()));
  std::vector<CachedHeader> entries;
  // Every entry ends in a newline (its strings may hold more): enough room without regrowing.
  entries.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')));
  while (reader.ok() && !reader.AtEnd()) {
    CachedHeader entry;
    entry.stamp.size = reader.Unsigned();
    entry.stamp.mtime_ns = reader.Number();
    entry.stamp.ctime_ns = reader.Number();
    entry.stamp.inode = reader.Unsigned();
    entry.stamp.device = reader.Unsigned();
    MigrationHeader& header = entry.header;
    header.path = reader.Text();
    header.source_sha256 = reader.Text();
    header.id = reader.Text();
    header.parents = reader.List();
    header.message = reader.Text();
    header.created = reader.Text();
    header.branch_labels = reader.List();
    header.depends_on = reader.List();
    header.transactional = reader.Unsigned() != 0;
    header.needs_manual_conversion = reader.Text();
    header.needs_manual_conversion_line = static_cast<int>(reader.Number());
    header.has_downgrade = reader.Unsigned() != 0;
    header.revision_line = static_cast<int>(reader.Number());
    reader.EndEntry();
    entries.push_back(std::move(entry));
  }
  if (!reader.ok()) return {};
  return entries;
}

std::string RenderHeaderCache(const std::vector<CachedHeader>& entries) {
  Writer writer;
  writer.out() = CacheIdentity();
  for (const CachedHeader& entry : entries) {
    writer.Unsigned(entry.stamp.size);
    writer.Number(entry.stamp.mtime_ns);
    writer.Number(entry.stamp.ctime_ns);
    writer.Unsigned(entry.stamp.inode);
    writer.Unsigned(entry.stamp.device);
    const MigrationHeader& header = entry.header;
    writer.Text(header.path);
    writer.Text(header.source_sha256);
    writer.Text(header.id);
    writer.List(header.parents);
    writer.Text(header.message);
    writer.Text(header.created);
    writer.List(header.branch_labels);
    writer.List(header.depends_on);
    writer.Unsigned(header.transactional ? 1 : 0);
    writer.Text(header.needs_manual_conversion);
    writer.Number(header.needs_manual_conversion_line);
    writer.Unsigned(header.has_downgrade ? 1 : 0);
    writer.Number(header.revision_line);
    writer.EndEntry();
  }
  return std::move(writer.out());
}

}  // namespace retort::migrations
