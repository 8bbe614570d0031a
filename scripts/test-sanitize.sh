#!/usr/bin/env bash
# Builds with AddressSanitizer + UndefinedBehaviorSanitizer (no recovery: the first report
# fails the test) and runs under them the whole test suite (unit tests, the spec suite on every
# tier, the fuzz regression replay), then a fuzz smoke run: every fuzz target over its seed
# corpus (every module and form of the spec suite). CI runs it (.ci/run).
# Usage: scripts/test-sanitize.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTERN_SANITIZE=ON -DTERN_PROGRAM_TESTS=OFF
cmake --build "$build" -j2

# Every tier must be covered: a build without asmjit would silently drop the JIT's spec run.
for test in spec-2.0-interp spec-2.0-simd-interp spec-2.0-jit; do
  if ! ctest --test-dir "$build" -N -R "^$test\$" | grep -q "^Total Tests: 1$"; then
    echo "test-sanitize: $test is not registered (spec suite or JIT missing?)" >&2
    exit 1
  fi
done

# Memories reserve 8 GiB of address space each; ASan's default allocator limits are fine with
# that, but leak checking at exit is kept on so leaks fail too.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
ctest --test-dir "$build" -j2 --output-on-failure

# Fuzz smoke: the seeds the fuzzers start from, through the same target bodies (no libFuzzer,
# so no clang build; the long campaigns are in docs/fuzzing.md).
seeds=$build/fuzz-smoke-seeds
rm -rf "$seeds"
"$build/fuzz/tern_fuzz_seeds" "$(cmake -L -N "$build" | sed -n 's/^TERN_SPEC_TESTSUITE:PATH=//p')/wasm-2.0" "$seeds" >/dev/null
for target in decode instantiate text wasi_path wasi_calls; do
  case $target in
    decode | instantiate) dir=$seeds/binary ;;
    *) dir=$seeds/$target ;;
  esac
  # The replay names each input on stderr before running it: keep that for a failure only.
  if ! find "$dir" -type f -print0 | xargs -0 "$build/fuzz/tern_fuzz_replay" "$target" \
      2>"$seeds/$target.log"; then
    tail -n 60 "$seeds/$target.log" >&2
    echo "test-sanitize: fuzz smoke of $target failed" >&2
    exit 1
  fi
done
