#!/usr/bin/env bash
# Runs Yosys (from the @yowasp/yosys npm package) on Tern: synthesizes counter.v and checks the
# cell statistics and the netlist it writes. The share directory (techlibs) is preopened as
# /share, where the package's JS wrapper puts it; the design, the output and Yosys's scratch
# directory (ABC works in /tmp) are separate preopens.
# Exits 77 (skip) when the package was not fetched.
# Usage: run_yosys.sh TERN PACKAGE_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "$0")/common.sh"
tern=$1
pkg=$2
src=$3
work=$4

skip_unless_fetched "$pkg" package/gen/yosys.core.wasm root/share
rm -rf "$work"
mkdir -p "$work/out" "$work/tmp"

script='read_verilog /src/counter.v; synth -top top; tee -o /out/stat.txt stat;'
script+=' write_verilog -noattr /out/netlist.v'
run_checked "$tern" run --dir "$pkg/root/share::/share" --dir "$src::/src" --dir "$work/out::/out" \
  --dir "$work/tmp::/tmp" "$pkg/package/gen/yosys.core.wasm" -q -p "$script"
stat=$work/out/stat.txt
netlist=$work/out/netlist.v
[[ -f $stat ]] || fail "no /out/stat.txt"
[[ -f $netlist ]] || fail "no /out/netlist.v"
cat "$stat"

# 4 flip-flops with synchronous reset and enable hold the count; a few gates compute the
# increment and the wrap flag.
cell_count() { awk -v name="$1" '$1 == name { print $2 }' "$stat"; }
# shellcheck disable=SC2016  # a literal Yosys cell name
[[ $(cell_count '$_SDFFE_PP0P_') == 4 ]] || fail "expected 4 \$_SDFFE_PP0P_ flip-flops"
[[ $(awk '/Number of ports:/ { print $4 }' "$stat") == 5 ]] || fail "expected 5 ports"
cells=$(awk '/Number of cells:/ { print $4 }' "$stat")
((cells >= 8 && cells <= 20)) || fail "implausible cell count $cells"

grep -q '^module top(clk, rst, en, count, wrap);' "$netlist" || fail "netlist lacks module top"
grep -q 'output \[3:0\] count;' "$netlist" || fail "netlist lacks output [3:0] count"
grep -q 'always @(posedge clk)' "$netlist" || fail "netlist lacks the clocked process"
echo "PASS: yosys synthesized counter.v into $cells cells"
