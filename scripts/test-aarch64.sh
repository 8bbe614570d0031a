#!/usr/bin/env bash
# Cross-builds Tern for Linux/AArch64 (cmake/toolchains/aarch64-linux-gnu.cmake) and runs its
# CTest suite under qemu-user: every test that runs a built program is named a64/... and goes
# through the emulator (cmake/TernCrossTesting.cmake). Installs the cross toolchain, qemu and
# the arm64 libraries first when they are missing. See docs/aarch64.md.
# Usage: scripts/test-aarch64.sh [BUILD_DIR] [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-a64}
shift || true

packages=(g++-aarch64-linux-gnu qemu-user libasmjit-dev:arm64 libfmt-dev:arm64)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$package")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $SUDO dpkg --add-architecture arm64
  fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# TERN_JIT=ON: the AArch64 JIT (jit/a64) is part of what this pass tests.
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
  -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchains/aarch64-linux-gnu.cmake" -DTERN_JIT=ON "$@"
cmake --build "$build" -j2
# Only the tests under the emulator: the format check and the npm fetches are the host build's.
ctest --test-dir "$build" -j2 -R '^a64/' --no-tests=error --output-on-failure
