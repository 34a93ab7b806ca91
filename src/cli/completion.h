// `retort completion bash|zsh|fish`: shell completion scripts generated from the parser's own
// definition (verbs, sub-verbs, flags, choices). Revision arguments are completed by running
// `retort __complete revisions`, which reads the project's migration headers only.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace retort::cli {

enum class Shell { kBash, kZsh, kFish };

// The shells there is a script for, as `retort completion` takes them.
std::vector<std::string> ShellNames();
std::optional<Shell> ParseShell(const std::string& name);

// The script for `shell`, completing the commands below `root`.
std::string CompletionScript(const CLI::App& root, Shell shell);

}  // namespace retort::cli
