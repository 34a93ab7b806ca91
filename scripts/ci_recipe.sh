#!/usr/bin/env bash
# Runs the retort steps of docs/ci/github-actions.yml (the same lines as docs/ci/gitlab-ci.yml's
# script) on a copy of an example project against a throwaway PostgreSQL 15 (initdb in a temp
# dir, unix socket only), the way the workflow runs them against its postgres:15 service, and
# checks what they leave for review: the JUnit report and the upgrade script.
#
#   scripts/ci_recipe.sh [RETORT_BINARY] [EXAMPLE]    (default: build/retort, examples/exchange)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

die() {
  echo "ci_recipe: $*" >&2
  exit 1
}
retort_bin=$(realpath "${1:-build/retort}")
example=${2:-examples/exchange}
port=${CI_RECIPE_PORT:-55600}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
[[ -x $retort_bin ]] || die "no retort binary at $retort_bin"
[[ -f $example/retort.toml ]] || die "$example is not a retort project (no retort.toml)"

# The steps, read from the workflows themselves so the two cannot drift apart.
mapfile -t steps < <(sed -n 's/^ *run: \(retort .*\)$/\1/p' docs/ci/github-actions.yml)
mapfile -t gitlab_steps < <(sed -n 's/^ *- \(retort [a-z].*\)$/\1/p' docs/ci/gitlab-ci.yml |
  grep -v '^retort --version$')
((${#steps[@]} >= 4)) || die "found ${#steps[@]} retort steps in docs/ci/github-actions.yml"
[[ "${steps[*]}" == "${gitlab_steps[*]}" ]] ||
  die "docs/ci/gitlab-ci.yml runs '${gitlab_steps[*]}', github-actions.yml '${steps[*]}'"

bench_start_cluster ci-recipe
# A retort that ignored RETORT_DEV_URL started its embedded server in the project: stop it too.
stop_embedded() {
  if [[ -f $project/.retort/pgdata/postmaster.pid ]]; then
    as_server_owner "$pg_bin/pg_ctl" stop -D "$project/.retort/pgdata" -m immediate -s \
      >/dev/null 2>&1 || true
  fi
}
trap 'stop_embedded; bench_cleanup' EXIT
cp -r "$example/." "$project/"
rm -rf "$project/.retort"
mkdir -p "$tmp/bin"
ln -s "$retort_bin" "$tmp/bin/retort"

# The workflow's job environment, pointed at this cluster's socket. Each step's output goes to
# a log, shown when it fails (retort test's summary line would read as this script's own).
url="postgresql://$superuser@/postgres?host=$tmp&port=$port"
for step in "${steps[@]}"; do
  echo "\$ $step"
  if ! (cd "$project" && PATH="$tmp/bin:$PATH" RETORT_DATABASE_URL="$url" RETORT_DEV_URL="$url" \
    bash -euo pipefail -c "$step") >"$tmp/step.log" 2>&1; then
    cat "$tmp/step.log" >&2
    die "'$step' failed"
  fi
done

[[ ! -d $project/.retort/pgdata ]] || die "an embedded server was started: RETORT_DEV_URL unused"
grep -q '<testsuite' "$project/retort-test.xml" || die "retort-test.xml holds no <testsuite>"
grep -q 'failures="0"' "$project/retort-test.xml" || die "retort-test.xml reports failures"
grep -q 'CREATE TABLE' "$project/upgrade.sql" || die "upgrade.sql creates no table"
echo "ci_recipe: the ${#steps[@]} steps of docs/ci passed on $example"
