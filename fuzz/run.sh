#!/usr/bin/env bash
# fuzz/run.sh TARGET SECONDS: builds (if needed) and runs the libFuzzer target fuzz_TARGET for
# SECONDS with its corpus, then appends "date target seconds execs findings" to the log.
#   TARGET: decode | text | instantiate | config | wasi_path | wasi_calls | module_cache
# Environment: TERN_FUZZ_BUILD (default /work/build-fuzz), TERN_FUZZ_WORK (default
# $TERN_FUZZ_BUILD/fuzz-work: corpora, crash artifacts, run logs), TERN_FUZZ_JOBS (ninja -j, 2),
# TERN_FUZZ_BIN (run prebuilt fuzz_TARGET from this directory and skip the build: a copy keeps a
# long run going while the build directory is rebuilt).
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 TARGET SECONDS" >&2
  exit 2
fi
target=$1 seconds=$2
src=$(cd "$(dirname "$0")/.." && pwd)
build=${TERN_FUZZ_BUILD:-/work/build-fuzz}
work=${TERN_FUZZ_WORK:-$build/fuzz-work}

if [[ ! -f $build/build.ninja ]]; then
  CC=clang-14 CXX=clang++-14 cmake -S "$src" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTERN_FUZZ=ON -DTERN_BUILD_TESTS=OFF \
    "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-sanitize=vptr"
fi
bin=${TERN_FUZZ_BIN:-}
if [[ -z $bin ]]; then
  ninja -C "$build" -j "${TERN_FUZZ_JOBS:-2}" "fuzz_$target"
  bin=$build/fuzz
fi

case $target in
  decode|instantiate) seeds=$build/fuzz/seeds/binary ;;
  text) seeds=$build/fuzz/seeds/text ;;
  wasi_path) seeds=$build/fuzz/seeds/wasi_path ;;
  config) seeds=$src/tests/fuzz/regressions/config ;;  # hand-made, committed
  module_cache) seeds=$src/tests/fuzz/regressions/module_cache ;;  # hand-made, committed
  wasi_calls) seeds=$build/fuzz/seeds/wasi_calls ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
corpus=$work/corpus/$target artifacts=$work/artifacts/$target/
mkdir -p "$corpus" "$artifacts"
log=$work/logs/$target-$(date -u +%Y%m%dT%H%M%S).log
mkdir -p "$(dirname "$log")"

# The text target gets a dictionary of keywords; the others learn their bytes from the seeds.
extra=()
[[ $target == text ]] && extra+=(-dict="$src/fuzz/text.dict")
# -rss_limit_mb: a module may legitimately reserve memory; -timeout: fuel bounds execution, so
# anything slower is a hang worth keeping.
set +e
"$bin/fuzz_$target" "$corpus" "$seeds" -max_total_time="$seconds" \
  -artifact_prefix="$artifacts" -timeout=20 -rss_limit_mb=4096 -max_len=65536 \
  -print_final_stats=1 "${extra[@]}" > "$log" 2>&1
status=$?
set -e
execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
# Findings: crash-/timeout-/oom-/leak- artifacts in total so far for this target.
findings=$(find "$artifacts" -type f | wc -l)
echo "$(date -u +%FT%TZ) $target ${seconds}s execs=${execs:-0} findings=$findings exit=$status log=$log" \
  >> "$work/fuzz-runs.log"
tail -n 1 "$work/fuzz-runs.log"
