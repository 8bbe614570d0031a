# shellcheck shell=bash
# Helpers shared by the run_*.sh program tests (sourced, not run).

fail() {
  echo "FAIL: $*"
  exit 1
}

# skip_unless_fetched PACKAGE_DIR FILE...: exits 77 (the tests' skip code) unless every FILE,
# relative to PACKAGE_DIR, exists, i.e. fetch_npm_package.sh could reach npm.
skip_unless_fetched() {
  local pkg=$1
  shift
  for file in "$@"; do
    if [[ ! -e $pkg/$file ]]; then
      echo "SKIPPED: $pkg/$file is missing: the npm package could not be fetched (npm unreachable?)"
      exit 77
    fi
  done
}

# run_checked COMMAND...: runs COMMAND, failing the test on a non-zero exit status.
run_checked() {
  local status=0
  "$@" || status=$?
  ((status == 0)) || fail "$(basename "$1") exited with status $status"
}
