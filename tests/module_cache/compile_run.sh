#!/usr/bin/env bash
# `tern compile` then `tern run` of the cache prints and exits as `tern run` of the module does;
# a truncated cache is refused with a message, and so is a cache on the tier it was not made for.
#   compile_run.sh TERN ENGINE MODULE SCRATCH_DIR
set -u
tern=$1 engine=$2 module=$3 scratch=$4
rm -rf "$scratch" && mkdir -p "$scratch" || exit 1
fail() { echo "FAIL: $*"; exit 1; }

$tern run --engine "$engine" "$module" >"$scratch/direct.out" 2>"$scratch/direct.err"
direct_exit=$?
$tern compile --engine "$engine" "$module" -o "$scratch/m.twasm" || fail "tern compile failed"
[ -s "$scratch/m.twasm" ] || fail "no cache written"
$tern run --engine "$engine" "$scratch/m.twasm" >"$scratch/cached.out" 2>"$scratch/cached.err"
cached_exit=$?
[ "$direct_exit" -eq 3 ] || fail "the module exits with $direct_exit, expected 3"
[ "$cached_exit" -eq "$direct_exit" ] || fail "the cache exits with $cached_exit, the module with $direct_exit: $(cat "$scratch/cached.err")"
cmp -s "$scratch/direct.out" "$scratch/cached.out" || fail "stdout differs: $(diff "$scratch/direct.out" "$scratch/cached.out")"
grep -q "cached greeting" "$scratch/cached.out" || fail "unexpected output: $(cat "$scratch/cached.out")"

# A truncated cache: refused, with the reason.
head -c 200 "$scratch/m.twasm" >"$scratch/truncated.twasm"
$tern run --engine "$engine" "$scratch/truncated.twasm" >/dev/null 2>"$scratch/truncated.err"
[ $? -ne 0 ] || fail "a truncated cache ran"
grep -q "compiled-module cache rejected: truncated" "$scratch/truncated.err" ||
  fail "no reason given for the truncated cache: $(cat "$scratch/truncated.err")"
# Native code on the interpreter: refused, with the reason.
if [ "$engine" = jit ]; then
  $tern run --engine interp "$scratch/m.twasm" >/dev/null 2>"$scratch/tier.err"
  [ $? -ne 0 ] || fail "a JIT cache ran on --engine interp"
  grep -q "holds native code and the engine's tier is interp" "$scratch/tier.err" ||
    fail "no reason given for the tier: $(cat "$scratch/tier.err")"
fi
echo "ok: $engine"
