#!/usr/bin/env python3
"""Start-up of a large module (Yosys, 30.8 MB) on Tern and on node, side by side.

  bench/startup.py --tern BUILD/tools/tern [--module yosys.core.wasm] [--runs 7]

Runs, round-robin so that the machine's load falls on every command alike:
  - `tern run MODULE -V` (the default engine: a module of 4 MiB or more is validated up front
    and compiled function by function), `--engine interp`, and node running it through
    bench/node-wasi-runner.mjs: exec to exit, Yosys printing its version;
  - `tern serve MODULE`: exec to the first complete response of GET / (Yosys with no arguments
    and an empty stdin prints its banner), beside node running the same (exec to exit).
Prints the median wall time and the median CPU time (user + system, all threads) of each.
The module defaults to the one tests/programs fetches with npm into BUILD/npm-packages.
"""

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
NODE_RUNNER = BENCH_DIR / "node-wasi-runner.mjs"


def cpu_seconds(rusage):
    return rusage.ru_utime + rusage.ru_stime


def run_to_exit(argv):
    """Wall and CPU seconds of running argv to its exit, output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, rusage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(map(str, argv))}")
    return wall, cpu_seconds(rusage)


def serve_first_response(tern, module):
    """Wall seconds from exec of `tern serve` to the first complete response, and the CPU the
    server spent (measured at its exit, right after)."""
    start = time.perf_counter()
    proc = subprocess.Popen([tern, "serve", "--addr", "127.0.0.1:0", module],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    port = None
    for line in proc.stderr:  # the server says where it listens once the module is compiled
        m = re.search(r"listening on http://[0-9.]+:(\d+)", line)
        if m:
            port = m.group(1)
            break
    if port is None:
        sys.exit("tern serve did not start")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as response:
        response.read()
    wall = time.perf_counter() - start
    proc.send_signal(signal.SIGTERM)
    proc.stderr.read()
    _, _, rusage = os.wait4(proc.pid, 0)
    return wall, cpu_seconds(rusage)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tern", required=True, help="the tern binary (BUILD/tools/tern)")
    parser.add_argument("--module", help="yosys.core.wasm (default: from BUILD/npm-packages)")
    parser.add_argument("--node", default="node")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    tern = str(Path(args.tern).resolve())
    module = args.module or str(Path(tern).parents[1] /
                                "npm-packages/yosys/package/gen/yosys.core.wasm")
    if not Path(module).is_file():
        sys.exit(f"no module at {module}: pass --module, or build the yosys test's package")
    node = [args.node, str(NODE_RUNNER), module]
    cases = {
        "tern run -V (default engine)": lambda: run_to_exit([tern, "run", module, "-V"]),
        "tern run --engine interp -V": lambda: run_to_exit(
            [tern, "run", "--engine", "interp", module, "-V"]),
        "node -V": lambda: run_to_exit(node + ["-V"]),
        "tern serve: exec to first response": lambda: serve_first_response(tern, module),
        "node, no arguments (the same work)": lambda: run_to_exit(node),
    }
    samples = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, case in cases.items():
            samples[name].append(case())
    print(f"{Path(module).name}, {args.runs} runs each, round-robin; medians, seconds")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print(f"| {'command':38} | wall  | CPU   |")
    print(f"| {'-' * 38} | ----- | ----- |")
    for name, runs in samples.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"| {name:38} | {wall:5.2f} | {cpu:5.2f} |")


if __name__ == "__main__":
    main()
