#!/usr/bin/env bash
# Runs `tern run --invoke main perf_map.wat 3` with the given options and checks the perf map
# the process leaves, /tmp/perf-PID.map:
#   perf_map_test.sh TERN DIR yes|lazy|no TERN-OPTIONS...
# yes: one line per defined function, named as the name section or export says, and the entry
# trampoline; lazy: the same plus the lazy stubs; no: no map at all.
set -euo pipefail
tern=$1
dir=$2
expect=$3
shift 3

fail() {
  echo "FAIL: $*" >&2
  [[ -f ${map:-} ]] && cat "$map" >&2
  exit 1
}

"$tern" run "$@" --invoke main "$dir/perf_map.wat" 3 >"${TMPDIR:-/tmp}/perf_map_out.$$" &
pid=$!
wait "$pid" || fail "tern exited with $?"
map=/tmp/perf-$pid.map
# fib(9) = 34, twice: 68, plus one: 69.
[[ $(cat "${TMPDIR:-/tmp}/perf_map_out.$$") == 69 ]] || fail "wrong result"
rm -f "${TMPDIR:-/tmp}/perf_map_out.$$"
trap 'rm -f "$map"' EXIT

if [[ $expect == no ]]; then
  [[ ! -e $map ]] || fail "$map written"
  echo "PASS: no perf map"
  exit 0
fi
[[ -f $map ]] || fail "no $map"

expected=(square fib twice 'wasm-function[4]' main tern::entry_trampoline)
[[ $expect == lazy ]] && expected+=(tern::lazy_compile_stubs)
for name in "${expected[@]}"; do
  count=$(cut -d' ' -f3- "$map" | grep -Fxc -- "$name" || true)
  ((count == 1)) || fail "$count lines name $name"
done
lines=$(wc -l <"$map")
((lines == ${#expected[@]})) || fail "$lines lines, expected ${#expected[@]}"

# Every line is `START SIZE NAME` in hex; the ranges are small, and none overlaps another.
grep -Evq '^[0-9a-f]+ [0-9a-f]+ [^ ]+$' "$map" && fail "a line not in the START SIZE NAME form"
previous_end=0
while read -r start size name; do
  ((size > 0 && size <= 65536)) || fail "implausible size of $name: $size"
  ((start >= previous_end)) || fail "$name overlaps the range before it"
  previous_end=$((start + size))
done < <(while read -r start size name; do
  echo "$((16#$start)) $((16#$size)) $name"
done <"$map" | sort -n)
echo "PASS: $lines lines in $map"
