#include "migrations/header_cache.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "base/files.h"
#include "base/strings.h"

namespace retort::migrations {
namespace {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "retort-header-cache-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A clock far enough ahead that every file written by the test counts as settled.
int64_t Later() { return NowNs() + 3600 * int64_t{1'000'000'000}; }

// Rewrites the file in place (same inode), as an editor that does not rename would.
void OverwriteInPlace(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

constexpr char kA[] = "-- retort:revision a\n-- retort:message first\n-- retort:upgrade\n";
constexpr char kB[] =
    "-- retort:revision b\n-- retort:revises a\n-- retort:branch-labels x, y\n"
    "-- retort:transaction none\n-- retort:upgrade\nSELECT 1;\n-- retort:downgrade\n";

class HeaderCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    versions_ = JoinPath(dir_.path(), "versions");
    cache_ = JoinPath(JoinPath(dir_.path(), ".retort"), kHeaderCacheFileName);
    ASSERT_TRUE(MakeDirectories(versions_).ok());
    ASSERT_TRUE(WriteFile(JoinPath(versions_, "1_a.sql"), kA).ok());
    ASSERT_TRUE(WriteFile(JoinPath(versions_, "2_b.sql"), kB).ok());
  }

  std::vector<Migration> Load(int64_t now_ns) {
    auto loaded = LoadHeadersCached(versions_, cache_, now_ns);
    EXPECT_TRUE(loaded.ok()) << loaded.status().message();
    return loaded.ok() ? *loaded : std::vector<Migration>{};
  }

  TempDir dir_;
  std::string versions_;
  std::string cache_;
};

TEST_F(HeaderCacheTest, SettledFilesComeFromTheCacheUnread) {
  std::vector<Migration> first = Load(Later());
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].source, kA);  // read: there was no cache
  ASSERT_TRUE(PathExists(cache_));

  std::vector<Migration> second = Load(Later());
  ASSERT_EQ(second.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_TRUE(second[i].source.empty()) << "not from the cache: " << second[i].path;
    EXPECT_EQ(second[i].id, first[i].id);
    EXPECT_EQ(second[i].path, first[i].path);
    EXPECT_EQ(second[i].parents, first[i].parents);
    EXPECT_EQ(second[i].message, first[i].message);
    EXPECT_EQ(second[i].branch_labels, first[i].branch_labels);
    EXPECT_EQ(second[i].transactional, first[i].transactional);
    EXPECT_EQ(second[i].has_downgrade, first[i].has_downgrade);
    EXPECT_EQ(second[i].revision_line, first[i].revision_line);
    EXPECT_EQ(second[i].source_sha256, first[i].source_sha256);
    EXPECT_FALSE(second[i].statements_loaded);
    // The text is still there for whoever needs it.
    auto text = SourceText(second[i]);
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(*text, first[i].source);
  }
  EXPECT_FALSE(second[1].transactional);
  EXPECT_EQ(second[1].branch_labels, (std::vector<std::string>{"x", "y"}));
}

TEST_F(HeaderCacheTest, AFileReplacedSinceItWasCachedIsReadAgain) {
  Load(Later());
  // Same size; a new inode (written to a temporary file and renamed, as WriteFile does).
  std::string edited = kA;
  edited.replace(edited.find("first"), 5, "fresh");
  ASSERT_TRUE(WriteFile(JoinPath(versions_, "1_a.sql"), edited).ok());
  std::vector<Migration> loaded = Load(Later());
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0].message, "fresh");
  EXPECT_EQ(loaded[0].source, edited);
  EXPECT_TRUE(loaded[1].source.empty());  // b still from the cache
}

TEST_F(HeaderCacheTest, AFileEditedInPlaceWithinTheSameTimestampIsReadAgain) {
  // The real clock: the files were just written, so they have not settled and are not cached;
  // an edit in the same clock tick, of the same size, with the mtime put back, cannot be missed.
  std::string path = JoinPath(versions_, "1_a.sql");
  struct stat before {};
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  std::vector<Migration> first = Load(0);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].message, "first");

  std::string edited = kA;
  edited.replace(edited.find("first"), 5, "fresh");
  OverwriteInPlace(path, edited);
  struct timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  struct stat after {};
  ASSERT_EQ(::stat(path.c_str(), &after), 0);
  ASSERT_EQ(after.st_size, before.st_size);
  ASSERT_EQ(after.st_ino, before.st_ino);

  std::vector<Migration> second = Load(0);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].message, "fresh");
}

TEST_F(HeaderCacheTest, ACorruptCacheIsIgnoredAndRewritten) {
  ASSERT_TRUE(MakeDirectories(DirName(cache_)).ok());
  ASSERT_TRUE(WriteFile(cache_, "retort migration header cache 1 dev\n7 8 garbage").ok());
  std::vector<Migration> first = Load(Later());
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[1].id, "b");
  EXPECT_EQ(first[1].source, kB);
  std::vector<Migration> second = Load(Later());
  ASSERT_EQ(second.size(), 2u);
  EXPECT_TRUE(second[1].source.empty()) << "the corrupt cache was not rewritten";
}

TEST_F(HeaderCacheTest, AForeignOrTruncatedCacheReadsAsEmpty) {
  Load(Later());
  auto text = ReadFile(cache_);
  ASSERT_TRUE(text.ok());
  ASSERT_EQ(ParseHeaderCache(*text).size(), 2u);
  // Another format version or build.
  std::string foreign = *text;
  foreign.replace(foreign.find(" cache 1 "), 9, " cache 0 ");
  EXPECT_TRUE(ParseHeaderCache(foreign).empty());
  // Cut anywhere inside an entry (a cut between entries leaves a consistent, shorter cache).
  for (size_t cut = text->find('\n') + 2; cut < text->size(); ++cut) {
    if ((*text)[cut - 1] == '\n') continue;
    EXPECT_TRUE(ParseHeaderCache(text->substr(0, cut)).empty()) << "cut at " << cut;
  }
}

TEST_F(HeaderCacheTest, ARemovedFileLeavesTheCache) {
  Load(Later());
  ASSERT_TRUE(std::filesystem::remove(JoinPath(versions_, "2_b.sql")));
  std::vector<Migration> loaded = Load(Later());
  ASSERT_EQ(loaded.size(), 1u);
  auto text = ReadFile(cache_);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(ParseHeaderCache(*text).size(), 1u);
}

TEST_F(HeaderCacheTest, ErrorsAreLoadDirectorysAndNothingIsCachedOfThem) {
  ASSERT_TRUE(WriteFile(JoinPath(versions_, "3_bad.sql"),
                        "-- retort:revision c\n-- retort:bogus\n-- retort:upgrade\n")
                  .ok());
  auto loaded = LoadHeadersCached(versions_, cache_, Later());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Code::kInvalidInput);
  EXPECT_EQ(loaded.status().message(),
            LoadDirectory(versions_, ParseDepth::kHeader).status().message());
}

}  // namespace
}  // namespace retort::migrations
