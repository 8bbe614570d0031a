#!/usr/bin/env bash
# Installs every Debian 12 package Tern's build, tests and WASI test programs need.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  build-essential cmake ninja-build git ca-certificates pkg-config \
  catch2 libfmt-dev libbenchmark-dev libasmjit-dev \
  clang-14 lld-14 lld wasi-libc libclang-rt-14-dev-wasm32 \
  wabt binaryen clang-format-14 \
  libcpp-httplib-dev curl >/dev/null
