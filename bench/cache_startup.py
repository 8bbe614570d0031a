#!/usr/bin/env python3
"""Start-up of a large module (Yosys, 30.8 MB) from the compiled-module cache against compiling
it, side by side.

  bench/cache_startup.py --tern BUILD/tools/tern [--module yosys.core.wasm] [--runs 5]

Writes MODULE's cache once (`tern compile`, every function compiled), then runs, round-robin so
that the machine's load falls on every command alike, Yosys printing its version (`-V`) from
exec to exit:
  - `tern run --engine jit MODULE`: compiling every function first, on every core;
  - `tern run --engine jit-lazy MODULE`: compiling each function on its first call;
  - `tern run CACHE`: loading the cache's code (the module is validated again, not compiled).
Prints the median wall time and the median CPU time (user + system, all threads) of each, and
the cache's size and the time `tern compile` took. The module defaults to the one
tests/programs fetches with npm into BUILD/npm-packages.
"""

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from startup import run_to_exit


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tern", required=True, help="the tern binary (BUILD/tools/tern)")
    parser.add_argument("--module", help="yosys.core.wasm (default: from BUILD/npm-packages)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tern = str(Path(args.tern).resolve())
    module = args.module or str(Path(tern).parents[1] /
                                "npm-packages/yosys/package/gen/yosys.core.wasm")
    if not Path(module).is_file():
        sys.exit(f"no module at {module}: pass --module, or build the yosys test's package")
    with tempfile.TemporaryDirectory() as scratch:
        cache = str(Path(scratch) / "yosys.twasm")
        compile_wall, compile_cpu = run_to_exit([tern, "compile", module, "-o", cache])
        cases = {
            "tern run --engine jit (compile all)": [tern, "run", "--engine", "jit", module, "-V"],
            "tern run --engine jit-lazy": [tern, "run", "--engine", "jit-lazy", module, "-V"],
            "tern run CACHE (tern compile's)": [tern, "run", cache, "-V"],
        }
        samples = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, argv in cases.items():
                samples[name].append(run_to_exit(argv))
        cache_mb = Path(cache).stat().st_size / 1e6
    module_mb = Path(module).stat().st_size / 1e6
    print(f"{Path(module).name} ({module_mb:.1f} MB), {args.runs} runs each, round-robin; "
          "medians, seconds")
    print(f"tern compile: {compile_wall:.2f} s wall, {compile_cpu:.2f} s CPU; "
          f"cache {cache_mb:.1f} MB")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print(f"| {'command':38} | wall  | CPU   |")
    print(f"| {'-' * 38} | ----- | ----- |")
    for name, runs in samples.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"| {name:38} | {wall:5.2f} | {cpu:5.2f} |")


if __name__ == "__main__":
    main()
