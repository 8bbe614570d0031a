#!/usr/bin/env bash
# Builds the thread-safety test (tests/threads) with ThreadSanitizer and runs it: one Engine and
# one Module shared by threads with a Store each, on every tier (JIT lazy compilation included),
# plus Store::interrupt from another thread. Only that test and what it links are built.
# Usage: scripts/test-tsan.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-tsan}
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
  -DCMAKE_CXX_FLAGS=-fsanitize=thread -DCMAKE_C_FLAGS=-fsanitize=thread \
  -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread \
  -DTERN_BUILD_TESTS=ON -DTERN_STATIC_CLI=OFF -DTERN_PROGRAM_TESTS=OFF
cmake --build "$build" -j2 --target tern_threads_tests

# halt_on_error: the first race fails the run. A kernel with more mmap randomisation than TSan
# expects makes it abort at start; running without address randomisation avoids that.
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
run=()
if command -v setarch >/dev/null && setarch "$(uname -m)" -R true 2>/dev/null; then
  run=(setarch "$(uname -m)" -R)
fi
"${run[@]}" ctest --test-dir "$build" -R '^threads:' --no-tests=error --output-on-failure
