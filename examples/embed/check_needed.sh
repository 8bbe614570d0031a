#!/usr/bin/env bash
# Asserts that the embedder EMBED depends at run time on nothing but the C and C++ runtime:
# the engine is linked in from its archive, and so is asmjit (static-only on Debian) when the
# JIT is built. Libraries named after EMBED are allowed too (a sanitizer build's runtimes).
# Usage: check_needed.sh EMBED [ALLOWED_LIBRARY...]
set -euo pipefail
embed=$1
shift
allowed=" $* "
needed=$(readelf -d "$embed" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p')
echo "NEEDED by $embed:"
echo "$needed"
# A dynamically linked C++ program always needs libc: its absence means readelf said nothing.
if ! grep -qx 'libc\.so\.6' <<<"$needed"; then
  echo "libc.so.6 is not among the NEEDED entries: is $embed a dynamic executable?" >&2
  exit 1
fi
status=0
for library in $needed; do
  case $library in
    libstdc++.so.6 | libm.so.6 | libgcc_s.so.1 | libc.so.6 | ld-linux-x86-64.so.2 | ld-linux-aarch64.so.1) ;;
    *)
      if [[ $allowed == *" $library "* ]]; then
        continue
      fi
      echo "unexpected run-time dependency: $library" >&2
      status=1
      ;;
  esac
done
exit $status
