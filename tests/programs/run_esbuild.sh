#!/usr/bin/env bash
# Runs esbuild (Go, GOOS=wasip1, from the @esbuild/wasi-preview1 npm package) on Tern: bundles
# and minifies esbuild/main.ts and checks the bundle drops the types and the unused export and
# computes the right answer under node. esbuild looks up the directories above its inputs, so
# the guest gets one root preopen "/" holding src/ and out/.
# Exits 77 (skip) when the package was not fetched.
# Usage: run_esbuild.sh TERN PACKAGE_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "$0")/common.sh"
tern=$1
pkg=$2
src=$3
work=$4

skip_unless_fetched "$pkg" package/esbuild.wasm
rm -rf "$work"
mkdir -p "$work/root/out"
cp -r "$src/esbuild" "$work/root/src"

run_checked "$tern" run --dir "$work/root::/" "$pkg/package/esbuild.wasm" /src/main.ts --bundle \
  --minify --format=esm --outfile=/out/bundle.js
bundle=$work/root/out/bundle.js
[[ -f $bundle ]] || fail "no /out/bundle.js"
cat "$bundle"
! grep -q 'tree-shaken away' "$bundle" || fail "the unused export was not removed"
! grep -q 'number' "$bundle" || fail "type annotations were not stripped"
result=$(node "$bundle") || fail "the bundle does not run under node"
[[ $result == 26 ]] || fail "the bundle printed '$result', expected 26"
echo "PASS: esbuild bundled main.ts; the bundle prints $result"
