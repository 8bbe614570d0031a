#!/usr/bin/env bash
# fuzz/gc_stress.sh COUNT: the collector's differential fuzzer (docs/fuzzing.md). COUNT random
# Wasm GC modules from binaryen (`wasm-opt -ttf` on random bytes, with GC, reference types,
# exceptions, multi-value and tail calls) each run by tern_diff_driver on the interpreter and on
# the JIT, each as usual and with --gc-stress (a collection at every allocation). All four traces
# must be the same: a root some tier's frames miss shows as a different result, trap or crash
# under stress, and a wrong GC instruction on the JIT as a difference from the interpreter. Tern declining
# to compile a module is counted (WORK/declined.txt has why), and so is a module the stub imports
# cannot instantiate (WORK/unlinked.txt), whose two traces still agree trivially. A module whose
# traces differ, or whose run crashed or hung, is kept in WORK/findings/ with both traces; one
# line of totals per run is appended to WORK/gc-stress.log.
# Environment: TERN_FUZZ_BUILD (default build/ in the checkout: a normal build with
# tern_diff_driver), TERN_GC_FUZZ_WORK (default $TERN_FUZZ_BUILD/gc-fuzz-work), TERN_WASM_OPT
# (default wasm-opt; GC needs binaryen 116 or later, which writes the standard GC encoding:
# Debian's 108 does not, `npm pack binaryen@132.0.0` and "node PACKAGE/bin/wasm-opt" does).
set -euo pipefail
if [[ $# -ne 1 ]]; then
  echo "usage: $0 COUNT" >&2
  exit 2
fi
count=$1
build=${TERN_FUZZ_BUILD:-$(cd "$(dirname "$0")/.." && pwd)/build}
work=${TERN_GC_FUZZ_WORK:-$build/gc-fuzz-work}
wasm_opt=${TERN_WASM_OPT:-wasm-opt}
driver=$build/fuzz/tern_diff_driver
[[ -x $driver ]] || { echo "no $driver: build tern_diff_driver" >&2; exit 2; }
version=$($wasm_opt --version | grep -o '[0-9][0-9]*' | head -n 1)
if ((version < 116)); then
  echo "$wasm_opt is binaryen $version: GC needs 116 or later (see the header)" >&2
  exit 2
fi

features=(--mvp-features --enable-gc --enable-reference-types --enable-multivalue
          --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int
          --enable-mutable-globals --enable-tail-call --enable-exception-handling)
mkdir -p "$work/findings"
tmp=$(mktemp -d)
generated=0 agree=0 declined=0 unlinked=0 differ=0 crashed=0
# The totals, also when the run is interrupted.
summary() {
  rm -rf "$tmp"
  local line="$(date -u +%FT%TZ) modules=$generated agree=$agree (not instantiated $unlinked)"
  line+=" declined=$declined differ=$differ crashed=$crashed driver=$driver"
  echo "$line" >> "$work/gc-stress.log"
  echo "$line"
}
trap summary EXIT
trap 'exit 130' INT TERM

for ((i = 0; i < count; ++i)); do
  # 1-16 KB of input: binaryen's generator reads its choices from these bytes.
  head -c $((1024 + RANDOM % 15360)) /dev/urandom > "$tmp/in.dat"
  if ! $wasm_opt "$tmp/in.dat" -ttf "${features[@]}" -o "$tmp/m.wasm" 2> /dev/null; then
    continue
  fi
  generated=$((generated + 1))
  # The traces name the module: the same path in every run.
  "$driver" --timeout 60 "$tmp/m.wasm" > "$tmp/normal.txt"
  "$driver" --timeout 60 --gc-stress "$tmp/m.wasm" > "$tmp/stress.txt"
  "$driver" --timeout 60 --tier jit "$tmp/m.wasm" > "$tmp/jit.txt"
  "$driver" --timeout 60 --tier jit --gc-stress "$tmp/m.wasm" > "$tmp/jit-stress.txt"
  if grep -q '^compile error' "$tmp/normal.txt"; then
    declined=$((declined + 1))
    grep '^compile error' "$tmp/normal.txt" >> "$work/declined.txt"
    continue
  fi
  if grep -q '^instantiate error' "$tmp/normal.txt"; then
    unlinked=$((unlinked + 1))
    grep '^instantiate error' "$tmp/normal.txt" >> "$work/unlinked.txt"
  fi
  # Not anchored: a crashed child's last line is cut short, and the driver's "end crash" follows
  # it on the same line.
  crash=0
  traces=("$tmp/normal.txt" "$tmp/stress.txt" "$tmp/jit.txt" "$tmp/jit-stress.txt")
  grep -q 'end \(crash\|hang\|exit\)' "${traces[@]}" && crash=1
  same=1
  for t in "${traces[@]:1}"; do cmp -s "$tmp/normal.txt" "$t" || same=0; done
  if ((crash)) || ((!same)); then
    id=$(date -u +%Y%m%dT%H%M%S)-$i
    cp "$tmp/m.wasm" "$work/findings/$id.wasm"
    for t in "${traces[@]}"; do cp "$t" "$work/findings/$id.$(basename "$t")"; done
    if ((crash)); then crashed=$((crashed + 1)); else differ=$((differ + 1)); fi
    echo "finding: $work/findings/$id.wasm" >&2
  else
    agree=$((agree + 1))
  fi
  if ((generated % 25 == 0)); then
    echo "$generated modules, $differ differ, $crashed crashed" >&2
  fi
done
