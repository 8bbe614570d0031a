#!/usr/bin/env bash
# Installs the Tern build BUILD_DIR into a fresh prefix under WORK_DIR, builds an example (this
# directory's embed.cpp, or with TERN_EMBED_EXAMPLE=DIR that directory's embed.cpp or embed.c)
# against that prefix alone, runs it and compares its output with expected_output.txt.
#   check_install.sh find_package BUILD_DIR WORK_DIR CXX GENERATOR   (cmake + find_package(tern))
#   check_install.sh pkg-config   BUILD_DIR WORK_DIR CXX             (c++ $(pkg-config ... tern))
# For a C example, CXX is the C compiler.
set -euo pipefail
mode=$1 build=$2 work=$3 cxx=$4
here=${TERN_EMBED_EXAMPLE:-$(cd "$(dirname "$0")" && pwd)}
language=CXX source=embed.cpp std=c++20
if [ -f "$here/embed.c" ]; then
  language=C source=embed.c std=c11
fi
cmake=${TERN_CMAKE:-cmake}  # CTest passes the cmake that configured the build
libdir=${TERN_INSTALL_LIBDIR:-lib}  # and its CMAKE_INSTALL_LIBDIR
# A cross build's: its toolchain file, and the emulator that runs what it builds (words).
toolchain=${TERN_TOOLCHAIN_FILE:-}
read -r -a emulator <<<"${TERN_EMULATOR:-}"
prefix=$work/prefix
rm -rf "$work"
"$cmake" --install "$build" --prefix "$prefix"

case $mode in
  find_package)
    "$cmake" -S "$here" -B "$work/build" -G "$5" -DCMAKE_${language}_COMPILER="$cxx" \
          -DCMAKE_PREFIX_PATH="$prefix" ${toolchain:+-DCMAKE_TOOLCHAIN_FILE="$toolchain"}
    # The package must come from the fresh prefix, not from the build tree or elsewhere.
    found=$(sed -n 's/^tern_DIR:PATH=//p' "$work/build/CMakeCache.txt")
    if [ "$found" != "$prefix/$libdir/cmake/tern" ]; then
      echo "find_package(tern) found $found, not $prefix/$libdir/cmake/tern" >&2
      exit 1
    fi
    "$cmake" --build "$work/build" --verbose
    embed=$work/build/embed
    ;;
  pkg-config)
    export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
    flags=$(pkg-config --cflags --libs tern)
    echo "pkg-config --cflags --libs tern: $flags"
    embed=$work/embed
    # shellcheck disable=SC2086 # the flags are words
    "$cxx" -std=$std -Wall -Wextra -o "$embed" "$here/$source" $flags
    ;;
  *)
    echo "check_install.sh: unknown mode '$mode'" >&2
    exit 2
    ;;
esac

# A shared libtern (tern::tern, or -ltern, where the build has libtern.so) is found at run time
# from the prefix.
LD_LIBRARY_PATH=$prefix/$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
  "${emulator[@]}" "$embed" >"$work/output.txt"
diff -u "$here/expected_output.txt" "$work/output.txt"
echo "$mode: $embed prints the expected output"
