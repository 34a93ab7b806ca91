#!/usr/bin/env bash
# The threaded code under ThreadSanitizer (GCC, -O1): retort built with TSan, and the command
# tests that reach every place it starts a thread run against it (RETORT_TEST_BINARY) by the test
# binaries of build-asan. Assumes ./scripts/setup.sh ran and build-asan holds the test binaries
# (scripts/test.sh builds it). RETORT_TSAN_ALL=1 builds and runs the whole suite under TSan instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-true}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld -DRETORT_WERROR=ON \
  -DRETORT_SANITIZE=thread >/dev/null
jobs=$(nproc)
if [ "${RETORT_TSAN_ALL:-0}" = 1 ]; then
  cmake --build build-tsan
  RETORT_CRASH_TRIALS=4 ctest --test-dir build-tsan --output-on-failure -j "$jobs"
  exit 0
fi
# Only retort itself is built with TSan: the unit tests and the catalog's in-process tests are
# not compiled a second time (a minute and a half of CI's twenty). Their thread sites run under
# TSan all the same, inside retort: the catalog's query lanes (InspectCommand.* has a catalog
# large enough to start them, with results in chunks), the rendering in both directions.
cmake --build build-tsan --target retort
# The command tests below run against the TSan-built retort (RETORT_TEST_BINARY), each binary
# filtered to the tests that reach a place where retort starts a thread, once each verb: the
# whole five binaries took 111 s under TSan, mostly repeating the same sites on other inputs.
#   src/commands/project.cc   connecting while the migration files are read (upgrade, current,
#                             downgrade, stamp, history against a database)
#   src/catalog/query_lanes   inspect and diff of a catalog of 1000 relations and more: two lane
#                             sessions, results in chunks handed to the reader
#   src/commands/render_threads  both directions planned and rendered at once, each one's
#                             dependency graphs beside its diff (diff, check, autogenerate,
#                             drift, test), and inspect's create script beside its graphs
#   src/commands/engine.cc    check/autogenerate's second session (migrations and schema/ at once)
#   src/commands/drift.cc     drift's expected state read while the live one is
#   src/commands/soundness.cc `retort test`: the stairway walked in parts, schema/ beside the upgrade
#   src/executor/statement_progress  the poller of a long statement's progress (RETORT_PROGRESS)
#   src/commands/fleet.cc     a rollout's targets `width` at a time, sharing one parsed project
#                             and the fleet log; status and drift read targets the same way
# plus the racing deployers (lock, version guard) of concurrency_test.
declare -A filters=(
  [commands_test]='UpgradeDowngrade.*:BranchesAndMerge.*:DependsOn.*:StampCommand.*:SqlScripts.OfflineUpgradeAndDowngradeMatchTheOnlineRun:MigrationLock.*'
  [engine_commands_test]='CheckCommand.PassesWhenTheMigrationsMatchSchema:CheckCommand.FailsWithTheMissingSqlWhenSchemaHasAnExtraColumn:CheckCommand.ReplaysNonTransactionalMigrationsAndSchemaFiles:AutogenerateCommand.WritesBothDirectionsThatUpgradeAndDowngradeCleanly:AutogenerateCommand.FromDbStartsFromTheConfiguredDatabase:DiffCommand.ComparesTwoDatabases:DiffCommand.ComparesSchemaWithHeadAndRevisions:InspectCommand.*'
  [verification_test]='TestCommand.ASoundHistoryPassesAndWritesJunit:TestCommand.ALongHistoryIsWalkedWholeEvenInParts:TestCommand.AHeadThatDiffersFromSchemaFailsWithTheDiff:DriftCommand.*'
  [concurrency_test]='ConcurrentUpgrade.SixteenRacersApplyEachMigrationOnce:ConcurrentUpgrade.QueuedRacersDoNotStallCreateIndexConcurrently:VersionGuard.*:UpToDateDatabase.*:StatementProgress.*'
  [naming_convention_test]='NamingConvention.AutogenerateNamesWhatTheSchemaLeavesUnnamed'
  [fleet_test]='Fleet.FullRolloutReachesEveryTargetOnceAndStatusShowsTheMatrix:Fleet.DriftAndCheckNameTheTargetChangedOutOfBand'
)
export RETORT_TEST_BINARY="$PWD/build-tsan/retort"
# A pattern that no longer matches a test (one was renamed) must fail here, not shrink the run.
for binary in "${!filters[@]}"; do
  IFS=: read -ra patterns <<<"${filters[$binary]}"
  for pattern in "${patterns[@]}"; do
    if ! build-asan/tests/"$binary" --gtest_list_tests --gtest_filter="$pattern" | grep -q '^  '; then
      echo "tsan.sh: no test of $binary matches $pattern" >&2
      exit 1
    fi
  done
done
logs=$(mktemp -d)
pids=()
for binary in "${!filters[@]}"; do
  build-asan/tests/"$binary" --gtest_brief=1 --gtest_filter="${filters[$binary]}" \
    >"$logs/$binary" 2>&1 &
  pids+=("$!:$binary")
done
failed=0
for entry in "${pids[@]}"; do
  if wait "${entry%%:*}"; then
    echo "tsan: ${entry#*:} passed"
  else
    cat "$logs/${entry#*:}"
    echo "tsan: ${entry#*:} FAILED" >&2
    failed=1
  fi
done
rm -rf "$logs"
exit "$failed"
