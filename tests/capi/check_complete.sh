#!/usr/bin/env bash
# Checks that libtern_capi defines every function wasm.h declares (the WASM_API_EXTERN lines and
# the families its macros expand to), and that wasm.h is still the upstream file, unmodified.
#   check_complete.sh C_COMPILER WASM_H LIBRARY
set -euo pipefail
cc=$1 header=$2 library=$3
expected_sha256=efcf05d7b2210d8296c0724d53614a8ab0ee10f1e54cb2a5593752168aec3ee3
actual_sha256=$(sha256sum "$header" | cut -d' ' -f1)
if [ "$actual_sha256" != "$expected_sha256" ]; then
  echo "wasm.h differs from wasm-c-api debd090's (sha256 $actual_sha256)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Every declaration, macro-expanded, marked so that the static inline helpers are left out.
"$cc" -E -P -DWASM_API_EXTERN=TERN_API_MARK "$header" | tr '\n' ' ' |
  grep -o 'TERN_API_MARK[^;]*;' | sed -E 's/\(.*//; s/.*[ *]([a-z_0-9]+) *$/\1/' |
  sort -u >"$work/declared"
nm --defined-only -g "$library" | awk '$2 == "T" { print $3 }' | sort -u >"$work/defined"
missing=$(comm -23 "$work/declared" "$work/defined")
if [ -n "$missing" ]; then
  echo "declared in wasm.h but not defined:" $missing >&2
  exit 1
fi
echo "wasm.h: $(wc -l <"$work/declared") functions declared, all defined"
