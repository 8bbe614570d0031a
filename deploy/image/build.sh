#!/usr/bin/env bash
# Builds the `tern serve` image (deploy/image/Containerfile) with podman or docker:
#   deploy/image/build.sh BUILD_DIR MODULE.wasm [TAG]
# BUILD_DIR is a CMake build directory of Tern with tools/tern-serve built. The rootfs gets
# tern-serve, the shared libraries ldd finds for it (with the dynamic loader) and the module
# as /modules/handler.wasm. TAG defaults to localhost/tern-serve:latest.
set -euo pipefail
[[ $# -ge 2 ]] || { sed -n '2,7p' "$0"; exit 2; }
build=$1 module=$2 tag=${3:-localhost/tern-serve:latest}
server=$build/tools/tern-serve
[[ -x $server ]] || { echo "build.sh: no $server (build the tern-serve target)" >&2; exit 1; }
engine=$(command -v podman || command -v docker) || { echo "build.sh: needs podman or docker" >&2; exit 1; }

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
cp "$(dirname "$0")/Containerfile" "$context/"
root=$context/rootfs
mkdir -p "$root/bin" "$root/modules"
cp "$server" "$root/bin/tern-serve"
cp "$module" "$root/modules/handler.wasm"
# Every library at the path the loader looks for it, and the loader itself.
ldd "$server" | grep -o '/[^ ]*' | sort -u | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
strip --strip-unneeded "$root/bin/tern-serve" 2>/dev/null || true
"$engine" build -q -t "$tag" "$context"
echo "built $tag: $(du -sh "$root" | cut -f1) of files"
