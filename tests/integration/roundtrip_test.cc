// Round trips (tests/support/roundtrip.h) on every example project's schema/ folder. The
// schemas Debian packages ship are corpus_test's. Examples whose schema creates an extension
// this server lacks (pgvector) are skipped, saying so.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "base/files.h"
#include "support/pg_harness.h"
#include "support/roundtrip.h"

namespace retort::testing {
namespace {

namespace fs = std::filesystem;

struct Example {
  std::string name;
  std::vector<std::string> files;  // applied in order
};

// gtest prints the parameter of a failing case: its name, not its bytes.
void PrintTo(const Example& example, std::ostream* out) { *out << example.name; }

std::vector<Example> Examples() {
  std::error_code error;
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(JoinPath(RETORT_SOURCE_DIR, "examples"), error)) {
    if (fs::is_directory(entry.path() / "schema"))
      names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  std::vector<Example> examples;
  for (const std::string& name : names) {
    Example example{name, {}};
    fs::path dir = fs::path(RETORT_SOURCE_DIR) / "examples" / name / "schema";
    for (const auto& entry : fs::directory_iterator(dir, error)) {
      if (entry.path().extension() == ".sql") example.files.push_back(entry.path().string());
    }
    std::sort(example.files.begin(), example.files.end());
    examples.push_back(std::move(example));
  }
  return examples;
}

class RoundTrip : public ::testing::TestWithParam<Example> {};

TEST_P(RoundTrip, RebuildsComparesAndTearsDown) {
  const Example& example = GetParam();
  RETORT_REQUIRE_PG(pg);
  std::vector<std::string> missing_extensions = UnavailableExtensions(pg, example.files);
  if (!missing_extensions.empty()) {
    std::string names;
    for (const std::string& name : missing_extensions) names += " " + name;
    std::cout << "[roundtrip] " << example.name
              << ": skipped, needs extensions not installed here:" << names << std::endl;
    GTEST_SKIP() << example.name << " needs extensions not installed here:" << names;
  }
  static RoundTripper round_trips(pg);
  RoundTripResult result = round_trips.Run(example.files);
  for (const std::string& problem : result.problems) ADD_FAILURE() << problem;
  std::cout << "[roundtrip] " << example.name << ": " << result.desired.tables.size() << " tables; "
            << result.upgrade_lines << " lines up;" << result.timings << std::endl;
}

INSTANTIATE_TEST_SUITE_P(Examples, RoundTrip, ::testing::ValuesIn(Examples()),
                         [](const ::testing::TestParamInfo<Example>& param) {
                           std::string name = param.param.name;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace retort::testing
