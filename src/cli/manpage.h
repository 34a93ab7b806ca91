// `retort man DIR`: manual pages in roff (man(7) macros) generated from the parser's own
// definition and from config's key table, so they say what the binary accepts.
#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <string>

#include "base/status.h"

namespace retort::cli {

// File name -> page: retort.1, one retort-VERB.1 per command (sub-verbs as
// retort-backups-list.1), and retort.toml.5 for every key retort.toml accepts.
std::map<std::string, std::string> ManPages(const CLI::App& root, const std::string& version);

// Writes ManPages into `directory` (created when missing); the names written, in order.
Result<std::vector<std::string>> WriteManPages(const CLI::App& root, const std::string& version,
                                               const std::string& directory);

}  // namespace retort::cli
