#!/usr/bin/env bash
# Builds with AddressSanitizer + UndefinedBehaviorSanitizer (no recovery: the first report
# fails the test) and runs the whole test suite under them.
# Usage: scripts/test-sanitize.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTERN_SANITIZE=ON -DTERN_PROGRAM_TESTS=OFF
cmake --build "$build" -j2
# Memories reserve 8 GiB of address space each; ASan's default allocator limits are fine with
# that, but leak checking at exit is kept on so leaks fail too.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$build" -j2 --output-on-failure
