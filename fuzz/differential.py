#!/usr/bin/env python3
"""Differential execution: Tern vs V8 (node) on random valid modules from binaryen.

  fuzz/differential.py --driver BUILD/fuzz/tern_diff_driver [--count N] [--seconds S]
                       [--work DIR] [--jobs J] [--seed SEED] [--jit]

Each module: random bytes -> `wasm-opt -ttf` (features: MVP + SIMD + bulk memory + sign-ext +
sat conversions + mutable globals + multi-value, and reference types for a fraction of modules;
no GC, EH, threads, tail calls, memory64) -> run on tern_diff_driver and diff_node.mjs -> compare
the normalised traces (format in fuzz/diff_driver.cpp). Divergent modules are kept in
WORK/divergences/ with both traces. Counters go to WORK/stats.json and a summary line to
WORK/differential.log. `--check MODULE` compares one module and prints only "divergent" or
"agree" (exit status 1 / 0): the test command for wasm-reduce (fuzz/reduce_divergence.sh).
With --jit, the driver also runs with `--tier jit` and that trace must
match the interpreter's. python3 standard library only.
"""
import argparse
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE_FEATURES = ["--mvp-features", "--enable-simd", "--enable-bulk-memory", "--enable-sign-ext",
                 "--enable-nontrapping-float-to-int", "--enable-mutable-globals",
                 "--enable-multivalue"]
# binaryen 108's -ttf with reference types often emits typed function references (not Wasm
# 2.0), which V8 then rejects: only some modules get them.
REFTYPES_FRACTION = 0.3
NODE_TIMEOUT = 20
TERN_TIMEOUT = 120


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode(errors="replace"), False
    except subprocess.TimeoutExpired as e:
        return None, (e.stdout or b"").decode(errors="replace"), True
    except OSError as e:
        return None, f"cannot run {cmd[0]}: {e}", False


def normalise_global(line):
    """JavaScript cannot tell a global's type: compare every numeric global as a float."""
    parts = line.split(" ")
    if len(parts) != 3 or parts[0] != "global":
        return line
    v = parts[2]
    if v.startswith("num:"):
        num = float(v[4:])
    elif v.startswith("f32:0x"):
        num = struct.unpack("<f", struct.pack("<I", int(v[6:], 16)))[0]
    elif v.startswith("f64:0x"):
        num = struct.unpack("<d", struct.pack("<Q", int(v[6:], 16)))[0]
    elif v.lstrip("-").isdigit():
        num = float(int(v))
    else:
        return line
    return f"global {parts[1]} {num!r}"


def same_line(tern_line, v8_line):
    """V8 reports a float-to-int conversion of NaN and out of range with one message."""
    if tern_line == v8_line:
        return True
    if v8_line.endswith(" trap float-unrepresentable"):
        prefix = v8_line[: -len("float-unrepresentable")]
        return tern_line in (prefix + "overflow", prefix + "conversion")
    return False


def trace(text):
    lines = [normalise_global(l) for l in text.splitlines() if l]
    stopped = any(" stop " in l for l in lines)
    return lines, stopped


def compare(tern_out, node_out, node_timed_out):
    """None when the traces agree, else a description of the first difference."""
    t, t_stop = trace(tern_out)
    n, n_stop = trace(node_out)
    # After a stop (fuel, stack, timeout) the engines are in incomparable states: compare up to
    # the stop line, and the stop line itself only by name.
    if t_stop or n_stop or node_timed_out:
        k = min(len(t), len(n))
        for i in range(k):
            if " stop " in t[i] or " stop " in n[i]:
                k = i
                break
        if node_timed_out and k == len(n) and k > 0:
            k -= 1  # the last line V8 printed may be the partial work of a killed call
        t, n = t[:k], n[:k]
    if len(t) == len(n) and all(same_line(a, b) for a, b in zip(t, n)):
        return None
    for i, (a, b) in enumerate(zip(t, n)):
        if not same_line(a, b):
            return f"line {i + 1}: tern '{a}' vs v8 '{b}'"
    return f"length: tern {len(t)} lines vs v8 {len(n)} lines"


def check_one(path, args):
    _, node_out, node_timeout = run(["node", str(HERE / "diff_node.mjs"), path], NODE_TIMEOUT)
    tern_code, tern_out, tern_timeout = run([args.driver, path], TERN_TIMEOUT)
    if tern_timeout or tern_code != 0:
        return "tern driver failed"
    if node_out.startswith("compile error") != tern_out.startswith("compile error"):
        return "only one engine rejects the module"
    return compare(tern_out, node_out, node_timeout)


def one_module(index, args, rng_seed):
    rng = random.Random(rng_seed)
    work = Path(args.work) / "tmp" / str(index % (args.jobs * 4))
    work.mkdir(parents=True, exist_ok=True)
    raw, wasm = work / "input.bin", work / "module.wasm"
    raw.write_bytes(rng.randbytes(rng.randint(256, 16384)))
    features = list(BASE_FEATURES)
    if rng.random() < REFTYPES_FRACTION:
        features.append("--enable-reference-types")
    code, _, _ = run(["wasm-opt", str(raw), "-ttf", *features, "-o", str(wasm)], 60)
    if code != 0:
        return "generator-failed", None
    _, node_out, node_timeout = run(["node", str(HERE / "diff_node.mjs"), str(wasm)], NODE_TIMEOUT)
    tern_code, tern_out, tern_timeout = run([args.driver, str(wasm)], TERN_TIMEOUT)
    if node_timeout and not node_out:
        return "v8-timeout-before-output", None  # nothing to compare (seen under heavy load)
    v8_rejects = node_out.startswith("compile error")
    tern_rejects = tern_out.startswith("compile error")
    if v8_rejects and tern_rejects:
        return "both-rejected", None
    outcome, detail = "agree", None
    if tern_timeout or tern_code != 0:
        outcome, detail = "divergent", f"tern driver exit {tern_code} timeout={tern_timeout}"
    elif v8_rejects or tern_rejects:
        outcome, detail = "divergent", "only one engine rejects the module"
    else:
        detail = compare(tern_out, node_out, node_timeout)
        if not detail and args.jit:
            jit_code, jit_out, jit_timeout = run([args.driver, str(wasm), "--tier", "jit"],
                                                 TERN_TIMEOUT)
            if jit_timeout or jit_code != 0:
                detail = f"jit driver exit {jit_code} timeout={jit_timeout}"
            elif (d := compare(jit_out, tern_out, False)):
                detail = "jit vs interpreter: " + d.replace("tern '", "jit '").replace("v8 '", "interp '")
        outcome = "divergent" if detail else "agree"
    if outcome == "divergent":
        keep = Path(args.work) / "divergences" / f"{args.seed}-{index}"
        keep.mkdir(parents=True, exist_ok=True)
        (keep / "module.wasm").write_bytes(wasm.read_bytes())
        (keep / "tern.txt").write_text(tern_out)
        (keep / "v8.txt").write_text(node_out)
        (keep / "why.txt").write_text(detail + "\n")
    return outcome, detail


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--driver", required=True)
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--seconds", type=float, default=0, help="stop after this long (0: no limit)")
    p.add_argument("--work", default="/tmp/tern-differential")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--seed", type=int, default=int(time.time()))
    p.add_argument("--jit", action="store_true", help="also compare Tern's JIT tier")
    p.add_argument("--check", metavar="MODULE", help="compare one module and exit")
    args = p.parse_args()
    if args.check:
        divergent = check_one(args.check, args) is not None
        print("divergent" if divergent else "agree")
        return 1 if divergent else 0
    Path(args.work).mkdir(parents=True, exist_ok=True)
    # Run a private copy of the driver, so that rebuilding it does not disturb a campaign.
    driver_copy = Path(args.work) / "tern_diff_driver"
    shutil.copy2(args.driver, driver_copy)
    args.driver = str(driver_copy)
    stats_path = Path(args.work) / "stats.json"
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    start = time.time()
    counts = {}
    with ThreadPoolExecutor(args.jobs) as pool:
        pending = set()
        index = 0
        while index < args.count or pending:
            timed_out = args.seconds and time.time() - start > args.seconds
            while not timed_out and index < args.count and len(pending) < args.jobs * 2:
                pending.add(pool.submit(one_module, index, args, args.seed * 1_000_003 + index))
                index += 1
            done = [f for f in pending if f.done()]
            if not done:
                time.sleep(0.05)
                if timed_out and not pending:
                    break
                continue
            for f in done:
                pending.remove(f)
                outcome, detail = f.result()
                counts[outcome] = counts.get(outcome, 0) + 1
                stats[outcome] = stats.get(outcome, 0) + 1
                if detail and outcome == "divergent":
                    print(f"DIVERGENCE: {detail}", flush=True)
            if sum(counts.values()) % 50 == 0:
                stats_path.write_text(json.dumps(stats, indent=1, sort_keys=True))
            if timed_out and not pending:
                break
    stats_path.write_text(json.dumps(stats, indent=1, sort_keys=True))
    line = (f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} seed={args.seed} "
            f"modules={sum(counts.values())} seconds={time.time() - start:.0f} {json.dumps(counts)}")
    with open(Path(args.work) / "differential.log", "a") as log:
        log.write(line + "\n")
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
