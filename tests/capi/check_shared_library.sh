#!/usr/bin/env bash
# Checks libtern.so: its soname, that it needs nothing at run time but the C and C++ runtime,
# that it exports the C API (wasm.h, tern_c.h, tern_wasi.h) and the public C++ API, and that it
# hides the engine's internals (tern::rt, the tiers) and asmjit.
# Usage: check_shared_library.sh LIBTERN_SO EXPECTED_SONAME
set -euo pipefail
lib=$1 soname=$2
status=0
fail() {
  echo "$lib: $*" >&2
  status=1
}
dynamic=$(readelf -d "$lib")
grep -q "(SONAME).*\[$soname\]" <<<"$dynamic" || fail "soname is not $soname"
needed=$(sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' <<<"$dynamic")
echo "NEEDED: $(echo $needed)"
for library in $needed; do
  case $library in
    libstdc++.so.6 | libm.so.6 | libgcc_s.so.1 | libc.so.6 | ld-linux-x86-64.so.2 | ld-linux-aarch64.so.1) ;;
    *) fail "unexpected run-time dependency $library" ;;
  esac
done
exports=$(nm -D --defined-only -C "$lib")
for symbol in wasm_func_call wasm_instance_new wasm_module_obtain tern_config_set_tier tern_wat_to_wasm \
  tern_wasi_run tern_wasi_imports 'tern::Engine::Engine(' 'tern::Linker::instantiate(' \
  'tern::wasi::add_to_linker('; do
  grep -qF "$symbol" <<<"$exports" || fail "does not export $symbol"
done
for hidden in 'tern::rt::' 'tern::interp::' 'tern::jit::' 'tern::capi::' 'asmjit::'; do
  if grep -qF " $hidden" <<<"$exports"; then
    fail "exports internals: $(grep -F " $hidden" <<<"$exports" | head -3)"
  fi
done
echo "$(grep -c . <<<"$exports") symbols exported"
exit $status
