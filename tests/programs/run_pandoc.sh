#!/usr/bin/env bash
# Runs pandoc (Haskell, GHC's wasm back end: legacy exception handling, tail calls, SIMD; from
# the pandoc-wasm npm package) on Tern: converts pandoc/input.md (headings, lists, emphasis,
# code, a table, a link, a footnote) to HTML with the binary's WASI `_start`, i.e. the pandoc
# command line, and checks the HTML byte for byte against pandoc/expected.html and, where node
# and the package's JS dependency are at hand, against what node makes of the same input
# through the package's own glue (pandoc/convert_with_glue.mjs).
# ENGINE is the --engine of `tern run`: every engine must convert (the JIT compiles all of it,
# SIMD included).
# Exits 77 (skip) when the package was not fetched.
# Usage: run_pandoc.sh TERN PACKAGE_DIR SOURCE_DIR WORK_DIR ENGINE [WASI_SHIM_DIR]
set -euo pipefail
source "$(dirname "$0")/common.sh"
tern=$1
pkg=$2
src=$3
work=$4
engine=$5
shim=${6:-}

skip_unless_fetched "$pkg" package/src/pandoc.wasm
rm -rf "$work"
mkdir -p "$work/root"
cp "$src/pandoc/input.md" "$work/root/input.md"
wasm=$pkg/package/src/pandoc.wasm

status=0
"$tern" run --engine "$engine" --dir "$work/root::/" "$wasm" -f markdown -t html /input.md \
  >"$work/tern.html" 2>"$work/tern.err" || status=$?
cat "$work/tern.err"
if grep -q "this build has no jit" "$work/tern.err"; then
  echo "SKIPPED: this build has no JIT for this machine"
  exit 77
fi
((status == 0)) || fail "tern run --engine $engine exited with status $status"

cmp "$src/pandoc/expected.html" "$work/tern.html" ||
  fail "the HTML differs from pandoc/expected.html: $(diff "$src/pandoc/expected.html" "$work/tern.html" | head -n 20)"

# The package's glue needs @bjorn3/browser_wasi_shim: node resolves it from a node_modules
# beside a copy of the glue.
if [[ -n $shim && -f $shim/package/package.json ]] && command -v node >/dev/null; then
  mkdir -p "$work/glue/node_modules/@bjorn3"
  ln -s "$shim/package" "$work/glue/node_modules/@bjorn3/browser_wasi_shim"
  cp "$pkg/package/src/core.js" "$work/glue/core.js"
  echo '{"type": "module"}' >"$work/glue/package.json"
  run_checked node "$src/pandoc/convert_with_glue.mjs" "$work/glue/core.js" "$wasm" \
    "$work/root/input.md" >"$work/node.html"
  cmp "$work/node.html" "$work/tern.html" ||
    fail "the HTML differs from node's: $(diff "$work/node.html" "$work/tern.html" | head -n 20)"
  echo "node, through the package's glue, makes the same HTML"
else
  echo "(node or @bjorn3/browser_wasi_shim missing: compared with pandoc/expected.html only)"
fi
echo "PASS: pandoc on --engine $engine turned input.md into the expected HTML"
