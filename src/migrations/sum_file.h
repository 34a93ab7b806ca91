// migrations/retort.sum: every migration file's checksum, plus a first line hashing them all.
// `revision` and `merge` rewrite it (and `upgrade` takes in the edits of the files it applies), so
// two branches that each add a migration change the same first line and conflict in git instead of
// silently creating two heads on main.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "migrations/migration.h"

namespace retort::migrations {

inline constexpr char kSumFileName[] = "retort.sum";

// "h1:<sha256 of the lines below>\n" then "<file name> h1:<checksum>\n" per file, by name.
std::string RenderSumFile(const std::vector<Migration>& migrations);

// The entries of a sum file that adds up on its own: file name -> "h1:<checksum>". nullopt when it
// does not (malformed, or an h1: line that does not match the lines below it).
std::optional<std::map<std::string, std::string>> ReadSumEntries(std::string_view sum_text);

// `sum_text` with the entries of `edited` set to their files' current checksums (added when
// missing) and the h1: line recomputed; every other entry stays as recorded. nullopt when the sum
// file does not add up on its own (malformed, or an h1: line that does not match the lines below
// it): a merge or a hand edit to look at, not to paper over.
std::optional<std::string> UpdateSumEntries(std::string_view sum_text,
                                            const std::vector<const Migration*>& edited);

// Compares a sum file's text with the migrations on disk. Each problem is one line: a file
// added, removed or changed since the sum was written, or a first line that does not match the
// rest (a hand-edited or merged sum file). Empty when everything matches.
std::vector<std::string> VerifySumFile(std::string_view sum_text,
                                       const std::vector<Migration>& migrations);

}  // namespace retort::migrations
