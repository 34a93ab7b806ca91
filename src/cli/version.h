#pragma once

#include <string>

namespace retort::cli {

// The git commit this retort was built from ("438f47a", "438f47a-dirty"), or "" when it was
// built outside a git checkout. Defined in the .cc cmake/build_commit.cmake generates.
extern const char* const kBuildCommit;

// What `retort --version` prints: "retort 0.1.0 (commit 438f47a)", or "retort 0.1.0 (unknown
// commit)" for a build from a tarball.
inline std::string VersionLine(const std::string& version, const std::string& commit) {
  return "retort " + version + " (" + (commit.empty() ? "unknown commit" : "commit " + commit) +
         ")";
}

}  // namespace retort::cli
