// Forgetting to parse a migration's SQL fails to compile: what a headers-only load gives has no
// statements to read by mistake (issue 14). The checks are static_asserts; the test only names
// them in the test list.
#include <gtest/gtest.h>

#include <string>

#include "commands/project.h"
#include "migrations/migration.h"

namespace retort {
namespace {

template <class T>
concept HasStatements = requires(const T& migration) {
  migration.upgrade;
  migration.downgrade;
  migration.upgrade_batches;
  migration.checksum;
};
static_assert(!HasStatements<migrations::MigrationHeader>);
static_assert(HasStatements<migrations::Migration>);

// A headers-only project hands out headers, and a parsed migration only as a pointer that is
// null for it (Parsed); Get and the executor's index are a parsed Project's.
template <class T>
concept HandsOutMigrations = requires(const T& project, const std::string& id) {
  project.Get(id);
  project.index;
};
static_assert(!HandsOutMigrations<commands::ProjectHeaders>);
static_assert(HandsOutMigrations<commands::Project>);

TEST(ParseTypes, StatementsAreReachableOnlyFromAParsedMigration) { SUCCEED(); }

}  // namespace
}  // namespace retort
