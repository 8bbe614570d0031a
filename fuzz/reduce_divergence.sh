#!/usr/bin/env bash
# fuzz/reduce_divergence.sh DRIVER MODULE.wasm OUT.wasm: shrinks a module on which Tern and V8
# diverge with binaryen's wasm-reduce, keeping only reductions that still diverge.
set -euo pipefail
if [[ $# -ne 3 ]]; then
  echo "usage: $0 DRIVER MODULE.wasm OUT.wasm" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$2" "$work/test.wasm"
wasm-reduce "$2" --mvp-features --enable-simd --enable-bulk-memory --enable-sign-ext \
  --enable-nontrapping-float-to-int --enable-mutable-globals --enable-multivalue \
  --enable-reference-types --enable-tail-call -t "$work/test.wasm" -w "$3" --timeout 60 \
  -b "$(dirname "$(command -v wasm-opt)")/" \
  --command "python3 $here/differential.py --driver $1 --check $work/test.wasm"
wasm-dis "$3" -o "${3%.wasm}.wat"
echo "reduced: $3 (text: ${3%.wasm}.wat)"
