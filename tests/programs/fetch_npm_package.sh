#!/usr/bin/env bash
# Fetches an npm package with `npm pack` and unpacks it into DEST/package, once: a stamp file
# naming the package spec makes later runs skip the download. For YoWASP packages it also
# writes the bundled data files (gen/resources-*.js) out as DEST/root, the tree the package's
# JS wrapper mounts as the guest's "/".
# Exits 77 (the tests' skip code) when npm or the registry cannot be reached.
# Usage: fetch_npm_package.sh PACKAGE@VERSION DEST
set -euo pipefail
spec=$1
dest=$2
script_dir=$(cd "$(dirname "$0")" && pwd)
stamp=$dest/fetched.stamp

if [[ -f $stamp && $(cat "$stamp") == "$spec" ]]; then
  echo "$spec already fetched into $dest"
  exit 0
fi
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  echo "SKIPPED: npm/node not installed, cannot fetch $spec"
  exit 77
fi

rm -rf "$dest"
mkdir -p "$dest/download"
if ! tarball=$(cd "$dest/download" && timeout 600 npm pack --loglevel=error "$spec" 2>"$dest/npm.log" |
  tail -n 1); then
  echo "SKIPPED: npm could not fetch $spec (registry unreachable?):"
  head -n 3 "$dest/npm.log"
  exit 77
fi
tar -xzf "$dest/download/$tarball" -C "$dest"
rm -rf "$dest/download"
if compgen -G "$dest/package/gen/resources-*.js" >/dev/null; then
  node "$script_dir/extract_yowasp_share.mjs" "$dest/package" "$dest/root"
fi
echo "$spec" >"$stamp"
echo "fetched $spec into $dest"
