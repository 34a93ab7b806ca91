#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 20) over its checked-in corpus and dictionary.
# New inputs go to WORK_CORPUS/<target> (default: a scratch directory), never into fuzz/corpus/;
# a crash, leak, timeout or out-of-memory leaves its input in ARTIFACTS (default
# build-fuzz/artifacts/) and fails.
#   fuzz/run.sh [SECONDS] [TARGET...]     (BUILD_DIR=build-fuzz, extra libFuzzer flags in FUZZ_FLAGS)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
shift || true
build_dir="${BUILD_DIR:-build-fuzz}"
artifacts="${ARTIFACTS:-$build_dir/artifacts}"
targets=("$@")
if ((${#targets[@]} == 0)); then targets=(config database_url migration split classify); fi

declare -A dictionaries=([config]=config [database_url]=database_url [migration]=migration
                         [split]=sql [classify]=sql)
mkdir -p "$artifacts"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
work="${WORK_CORPUS:-$scratch}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
for target in "${targets[@]}"; do
  mkdir -p "$work/$target"
  log="$scratch/$target.log"
  # -timeout: one input taking seconds is a hang; -rss_limit_mb: a blowup, not a big input.
  # FUZZ_FLAGS comes last so that a longer run can override any of these.
  # shellcheck disable=SC2086
  if ! "$build_dir/fuzz/${target}_fuzzer" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/${target}-" \
      -dict="fuzz/${dictionaries[$target]}.dict" ${FUZZ_FLAGS:-} \
      "$work/$target" "fuzz/corpus/$target" >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz: $target failed; the input is in $artifacts/" >&2
    exit 1
  fi
  echo "fuzz: $target $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') execs in ${seconds}s, no findings"
done
