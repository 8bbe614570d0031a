#!/usr/bin/env python3
"""Differential execution: Tern vs V8 (node) on random valid modules from binaryen.

  fuzz/differential.py --driver BUILD/fuzz/tern_diff_driver [--count N] [--seconds S]
                       [--work DIR] [--jobs J] [--batch B] [--seed SEED] [--jit] [--label L]
                       [--simd F] [--relaxed-simd F] [--proposals F] [--x64-sse41] [--no-v8]
                       [--strict] [--wasm-opt CMD] [--driver-prefix CMD]

Modules go in batches of B: random bytes -> `wasm-opt -ttf` (features: MVP + bulk memory +
sign-ext + sat conversions + mutable globals + multi-value + tail calls, and for a fraction of
modules each: SIMD, reference types, exception handling, memory64, multi-memory, extended
const; no GC, threads), then one diff_node.mjs
process and one tern_diff_driver process (per tier) run the whole batch, and the normalised
traces are compared module by module (format in fuzz/diff_driver.cpp). The driver runs each
module in a forked child; a node or driver process that stops making progress on a module is killed and
restarted on the rest of the batch. Divergent modules are kept in WORK/divergences/, Tern
crashes and hangs in WORK/findings/, each with both traces. Cumulative totals go to
WORK/stats.json and one line per run (with --label, e.g. the commit the driver was built from)
to WORK/differential.log. `--check MODULE` compares one module and prints only "divergent" or
"agree" (exit status 1 / 0): the test command for wasm-reduce (fuzz/reduce_divergence.sh).
With --jit, the driver also runs the batch with `--tier jit` and `--tier jit-lazy` (and with
--x64-sse41 once more with the x86-64 JIT's SSE4.1 forms on an AVX host), and each tier's
trace must match the interpreter's, including the part V8 cannot see: exports with v128 in
their signature and v128 globals (NaN lanes compare equal whatever their bits, see
same_tier_line). A module the JIT declines to compile ("jit: ... not supported") is counted
as jit-declined, with the reason.

SIMD: --simd F (default 0.5) of the modules get --enable-simd; --relaxed-simd F of them also
--enable-relaxed-simd (needs binaryen 132: 108 writes pre-standard opcodes). --proposals F
scales the fractions of reference types and the 3.0 proposals (0: none, so that no module is
rejected for binaryen 108's typed function references). Relaxed SIMD modules are compared among Tern's tiers only ("tiers-only"):
the proposal lets each engine pick per instruction among a set of results, and V8 picks the host
CPU's cheap one while every Tern tier gives the same documented choice (docs/jit.md, "Relaxed
SIMD"). --no-v8 compares Tern's tiers only on every module (no node needed). --strict exits
with status 1 when anything diverged or a finding was made (the CTest smoke).

--wasm-opt CMD picks binaryen's wasm-opt (default: `wasm-opt`). Debian's binaryen 108 spells
every switch below but generates no exception-handling instruction, no 64-bit memory and no
second memory; binaryen 132 from npm (`npm pack binaryen@132.0.0`, then
--wasm-opt "node PACKAGE/bin/wasm-opt") generates try/catch/throw, try_table/throw_ref and
64-bit memories and tables. Neither puts a second memory in a module: for multi-memory modules
binaryen starts from fuzz/multi_memory_seed.wat (--initial-fuzz), whose functions on three
memories it keeps and mutates. A switch the generator lacks is left out (printed at the start).
The node that serves as V8 may lack a proposal binaryen uses (node 20: exnref, multi-memory,
64-bit tables): a module of such a proposal that V8 rejects while Tern runs it is counted as
v8-unsupported, and with --jit still compared between the JIT and the interpreter; so is a
module with an import diff_node.mjs does not provide (a global or a tag).
python3 standard library only.
"""
import argparse
import json
import os
import random
import select
import shutil
import struct
import subprocess
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE_FEATURES = ["--mvp-features", "--enable-bulk-memory", "--enable-sign-ext",
                 "--enable-nontrapping-float-to-int", "--enable-mutable-globals",
                 "--enable-multivalue", "--enable-tail-call"]
# binaryen 108's -ttf with reference types often emits typed function references (not Wasm
# 2.0), which V8 then rejects: only some modules get them.
REFTYPES_FRACTION = 0.3
# Relaxed SIMD is not compared with V8: the spec lets each engine pick its result, V8 takes what
# the host CPU does cheaply (on x86-64 e.g. pshufb's index mod 16 in relaxed_swizzle, 0x80000000
# for NaN in relaxed_trunc, a fused relaxed_madd with FMA), and Tern always gives the one choice
# docs/jit.md documents, so a trace difference against node proves nothing there. Tern's own
# tiers must agree exactly (NaN bits aside, as everywhere).
# The Wasm 3.0 proposals, each for a fraction of modules (tail calls are in every module):
# (name, fraction, wasm-opt switches). Exception handling needs reference types in binaryen.
PROPOSALS = [
    ("exceptions", 0.4, ["--enable-exception-handling", "--enable-reference-types"]),
    ("memory64", 0.3, ["--enable-memory64"]),
    ("multi-memory", 0.3, ["--enable-multimemory"]),
    ("extended-const", 0.3, ["--enable-extended-const"]),
]
MULTI_MEMORY_SEED = HERE / "multi_memory_seed.wat"
# V8 (node 20) flags for proposals it has behind one.
NODE_FLAGS = ["--experimental-wasm-memory64"]
NODE_TIMEOUT = 20  # seconds per module without output before node is killed
TERN_TIMEOUT = 120  # the driver's own per-module limit (a hang is a finding)


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


def nan32(bits):
    return bits & 0x7F800000 == 0x7F800000 and bits & 0x7FFFFF != 0


def nan64(bits):
    return bits & 0x7FF0000000000000 == 0x7FF0000000000000 and bits & 0xFFFFFFFFFFFFF != 0


def same_v128(a, b):
    """Whether two "v128:l0,l1,l2,l3" values are equal but for NaN bits: the lanes' types are
    unknown, so a 32-bit lane matches where both are f32 NaNs and a 64-bit half where both are
    f64 NaNs (which NaN an operation returns is free within the spec's rules). An integer lane
    that happens to hold a NaN pattern is compared as loosely: that is the price."""
    if not (a.startswith("v128:") and b.startswith("v128:")):
        return False
    x = [int(v) & 0xFFFFFFFF for v in a[5:].split(",")]
    y = [int(v) & 0xFFFFFFFF for v in b[5:].split(",")]
    for half in (0, 2):
        lanes_match = all(x[i] == y[i] or (nan32(x[i]) and nan32(y[i]))
                          for i in (half, half + 1))
        qx, qy = x[half] | x[half + 1] << 32, y[half] | y[half + 1] << 32
        if not lanes_match and not (nan64(qx) and nan64(qy)):
            return False
    return True


def same_tier_line(a, b):
    """Tern's tiers print the same trace, but for NaN bits inside v128 values."""
    if a == b:
        return True
    ta, tb = a.split(" "), b.split(" ")
    return len(ta) == len(tb) and all(u == v or same_v128(u, v) for u, v in zip(ta, tb))


def v8_part(lines):
    """A Tern trace without the section V8 cannot produce (v128 exports and globals)."""
    return lines[:lines.index("v128-exports")] if "v128-exports" in lines else lines


def compare(tern_out, node_out, node_timed_out, same=None):
    """None when the traces agree, else a description of the first difference. `same`
    compares two lines (default: Tern's against V8's)."""
    same_line_ = same or same_line
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
    if len(t) == len(n) and all(same_line_(a, b) for a, b in zip(t, n)):
        return None
    for i, (a, b) in enumerate(zip(t, n)):
        if not same_line_(a, b):
            return f"line {i + 1}: tern '{a}' vs v8 '{b}'"
    return f"length: tern {len(t)} lines vs v8 {len(n)} lines"


def run_batch(cmd, paths, timeout):
    """Runs `cmd PATH...` (diff_node.mjs or tern_diff_driver) and splits its output by module.

    Returns {path: (trace lines, end status)}. The status is what the "end" line says ("ok",
    "crash SIGSEGV", "hang", ...), or "timeout" when the process printed nothing for `timeout`
    seconds during that module, or "died N" when it exited in the middle of it; in both cases
    the process is restarted on the modules after it."""
    results = {}
    rest = list(paths)
    while rest:
        try:
            proc = subprocess.Popen(cmd + rest, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError as e:
            return {**results, **{p: ([], f"died cannot run {cmd[0]}: {e}") for p in rest}}
        current, lines, buf = None, [], b""
        deadline = time.monotonic() + timeout
        while True:
            ready, _, _ = select.select([proc.stdout], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                proc.kill()
                proc.wait()
                status = "timeout"
                break
            chunk = os.read(proc.stdout.fileno(), 1 << 16)
            if not chunk:
                proc.wait()
                status = f"died {proc.returncode}"
                break
            *complete, buf = (buf + chunk).split(b"\n")
            for raw in complete:
                line = raw.decode(errors="replace")
                if line.startswith("module "):
                    current, lines = line[len("module "):], []
                    deadline = time.monotonic() + timeout
                elif line.startswith("end ") and current is not None:
                    results[current] = (lines, line[len("end "):])
                    current = None
                elif line:
                    lines.append(line)
        proc.stdout.close()
        if current is not None:
            results[current] = (lines, status)
        if not results.keys() & set(rest):
            # No module finished or failed: do not restart forever.
            return {**results, **{p: ([], status) for p in rest}}
        rest = [p for p in rest if p not in results]
    return results


def node_cmd():
    return ["node", *NODE_FLAGS, str(HERE / "diff_node.mjs")]


def generator_switches(wasm_opt):
    """The switches of PROPOSALS (and --initial-fuzz) that this wasm-opt knows."""
    code, out, _ = run([*wasm_opt, "--help"], 60)
    if code != 0:
        sys.exit(f"differential.py: cannot run {' '.join(wasm_opt)} --help")
    return {word for word in out.split() if word.startswith("--")}


def compare_module(tern, node, proposals=()):
    """(outcome, detail) for one module from both engines' (lines, status); `proposals`: the
    Wasm 3.0 proposals it was generated with. `node` is None when V8 is not to be compared."""
    (t_lines, t_status) = tern
    tern_out = "\n".join(v8_part(t_lines))
    if t_status != "ok":
        return "tern-" + t_status.split(" ")[0], f"tern driver: {t_status}"
    if tern_out.startswith("compile error") and "not yet" in tern_out.split("\n")[0]:
        # A combination Tern names as not done yet (e.g. v128 accesses to a 64-bit memory).
        return "tern-declined", tern_out.split("\n")[0].split(": ", 1)[-1]
    if node is None or "relaxed-simd" in proposals:
        return "tiers-only", None
    (n_lines, n_status) = node
    node_out = "\n".join(n_lines)
    # V8 lacks one of the module's proposals, or diff_node.mjs an import kind (binaryen 132
    # imports an externref global, and tags with exception handling).
    v8_lacks = ((proposals and node_out.startswith("compile error")) or
                node_out.startswith("instantiate error unsupported import kind"))
    if v8_lacks and not tern_out.startswith("compile error"):
        return "v8-unsupported", None
    node_timeout = n_status == "timeout"
    if node_timeout and not n_lines:
        return "v8-timeout-before-output", None  # nothing to compare (seen under heavy load)
    if n_status != "ok" and not node_timeout:
        return "divergent", f"node: {n_status}"
    v8_rejects = node_out.startswith("compile error")
    tern_rejects = tern_out.startswith("compile error")
    if v8_rejects and tern_rejects:
        return "both-rejected", None
    if v8_rejects or tern_rejects:
        return "divergent", "only one engine rejects the module"
    detail = compare(tern_out, node_out, node_timeout)
    return ("divergent", detail) if detail else ("agree", None)


def compare_jit(jit, interp, tier="jit"):
    """(outcome, detail) of a JIT tier's whole trace against the interpreter's."""
    (j_lines, j_status), (i_lines, _) = jit, interp
    if j_status != "ok":
        return j_status.split(" ")[0], f"{tier} driver: {j_status}"  # crash, hang, timeout, ...
    jit_out, interp_out = "\n".join(j_lines), "\n".join(i_lines)
    if jit_out.startswith("compile error") and " jit: " in jit_out:
        return "declined", jit_out.split(" jit: ", 1)[1].split(" at ")[0].split(" in ")[0]
    d = compare(jit_out, interp_out, False, same_tier_line)
    if d:
        return "divergent", f"{tier} vs interpreter: " + d.replace("tern '", f"{tier} '").replace(
            "v8 '", "interp '")
    return "agree", None


# Tern's JIT tiers, each with the driver's switches.
JIT_TIERS = {
    "jit": ["--tier", "jit"],
    "jit-lazy": ["--tier", "jit-lazy"],
    "jit-sse41": ["--tier", "jit", "--x64-sse41"],
}


def is_failure(counter):
    """Whether an outcome counter of stats.json counts divergences or findings."""
    name = counter.split(": ")[0]
    if name == "divergent" or name.startswith("tern-"):
        return name != "tern-declined"
    for tier in sorted(JIT_TIERS, key=len, reverse=True):
        if name.startswith(tier + "-"):
            return name[len(tier) + 1:] not in ("agree", "declined", "divergent-nan")
    return False


def driver_cmd(args, tier_switches):
    return [*args.driver_prefix, args.driver, *tier_switches, "--timeout", str(TERN_TIMEOUT)]


def denanned(path, args):
    """The module after binaryen's --denan pass, which turns every NaN a float operation
    produces into 0, or None."""
    denan = Path(path).with_suffix(".denan.wasm")
    code, _, _ = run([*args.wasm_opt, str(path), "--denan", "-all", "-o", str(denan)], 60)
    return str(denan) if code == 0 else None


def nan_explains(path, args):
    """Whether a divergence goes away after --denan: then it comes from NaN bit patterns, which
    the spec leaves nondeterministic and which the traces compare unnormalised in memory and
    v128 values."""
    denan = denanned(path, args)
    if not denan:
        return False
    node = run_batch(node_cmd(), [denan], NODE_TIMEOUT)[denan]
    tern = run_batch(driver_cmd(args, ["--tier", "interp"]), [denan], TERN_TIMEOUT + 10)[denan]
    return compare_module(tern, node)[0] == "agree"


def tier_nan_explains(path, tier, args):
    """nan_explains for a JIT tier against the interpreter (memory hashes cannot be compared
    NaN-aware: a NaN stored with v128.store or f32.store reaches them as bits)."""
    denan = denanned(path, args)
    if not denan:
        return False
    interp = run_batch(driver_cmd(args, ["--tier", "interp"]), [denan], TERN_TIMEOUT + 10)[denan]
    jit = run_batch(driver_cmd(args, JIT_TIERS[tier]), [denan], TERN_TIMEOUT + 10)[denan]
    return compare_jit(jit, interp, tier)[0] == "agree"


def check_one(path, args):
    node = run_batch(node_cmd(), [path], NODE_TIMEOUT)[path]
    tern = run_batch(driver_cmd(args, ["--tier", "interp"]), [path], TERN_TIMEOUT + 10)[path]
    outcome, _ = compare_module(tern, node)
    return outcome not in ("agree", "both-rejected", "v8-timeout-before-output")


def generate(seed, path, args):
    """Writes a module to `path`; returns the PROPOSALS it was generated with, or None when
    wasm-opt failed."""
    rng = random.Random(seed)
    raw = path.with_suffix(".bin")
    raw.write_bytes(rng.randbytes(rng.randint(256, 16384)))
    features = list(BASE_FEATURES)
    if rng.random() < REFTYPES_FRACTION * args.proposals:
        features.append("--enable-reference-types")
    proposals = []
    if rng.random() < args.simd:
        features.append("--enable-simd")
        if args.relaxed_simd and rng.random() < args.relaxed_simd:
            features.append("--enable-relaxed-simd")
            proposals.append("relaxed-simd")
    for name, fraction, switches in PROPOSALS:
        if rng.random() < fraction * args.proposals and all(s in args.switches for s in switches):
            proposals.append(name)
            features += [s for s in switches if s not in features]
    if "multi-memory" in proposals and "--initial-fuzz" in args.switches:
        features.append(f"--initial-fuzz={MULTI_MEMORY_SEED}")
    code, _, _ = run([*args.wasm_opt, str(raw), "-ttf", *features, "-o", str(path)], 60)
    return proposals if code == 0 else None


def encodes_final_relaxed_simd(wasm_opt, work):
    """Whether this binaryen encodes relaxed SIMD with the standard opcodes: binaryen 108 knows
    --enable-relaxed-simd but writes the proposal's early ones (i8x16.relaxed_swizzle as
    0xFD 0xA2, an unassigned opcode today) and its -ttf generates none; 132 does both right."""
    wat, wasm = Path(work) / "relaxed-probe.wat", Path(work) / "relaxed-probe.wasm"
    wat.write_text("(module (func (param v128 v128) (result v128)"
                   " (i8x16.relaxed_swizzle (local.get 0) (local.get 1))))")
    code, _, _ = run([*wasm_opt, str(wat), "--enable-simd", "--enable-relaxed-simd",
                      "-o", str(wasm)], 60)
    return code == 0 and b"\xfd\x80\x02" in wasm.read_bytes()


def keep(args, kind, index, wasm, traces, detail):
    """Copies a module and its traces to WORK/<kind>/<seed>-<index>/."""
    where = Path(args.work) / kind / f"{args.seed}-{index}"
    where.mkdir(parents=True, exist_ok=True)
    (where / "module.wasm").write_bytes(wasm.read_bytes())
    for name, (lines, status) in traces.items():
        (where / f"{name}.txt").write_text("\n".join(lines + [f"end {status}"]) + "\n")
    (where / "why.txt").write_text(detail + "\n")


def one_batch(first, count, args):
    """Generates and compares modules first .. first+count-1; returns a counter dict."""
    counts = {}
    bump = lambda key, n=1: counts.__setitem__(key, counts.get(key, 0) + n)
    work = Path(args.work) / "tmp" / str(first // args.batch % (args.jobs * 2))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    modules = {}
    proposals = {}
    for index in range(first, first + count):
        path = work / f"{index}.wasm"
        used = generate(args.seed * 1_000_003 + index, path, args)
        if used is None:
            bump("generator-failed")
            continue
        modules[str(path)] = index
        proposals[str(path)] = used
        for name in used:
            bump("with " + name)
    paths = list(modules)
    node = run_batch(node_cmd(), paths, NODE_TIMEOUT) if not args.no_v8 else {}
    interp = run_batch(driver_cmd(args, ["--tier", "interp"]), paths, TERN_TIMEOUT + 10)
    jits = {tier: run_batch(driver_cmd(args, JIT_TIERS[tier]), paths, TERN_TIMEOUT + 10)
            for tier in args.tiers}
    for path, index in modules.items():
        outcome, detail = compare_module(interp[path], node.get(path), proposals[path])
        if outcome == "divergent" and nan_explains(path, args):
            outcome, detail = "divergent-nan", "NaN bits (agrees after --denan): " + detail
        bump(outcome)
        if outcome == "tern-declined":
            bump("tern-declined: " + detail)
            continue
        traces = {"tern": interp[path]}
        if path in node:
            traces["v8"] = node[path]
        if outcome == "agree":
            bump("exports-called", sum(1 for l in v8_part(interp[path][0])
                                       if l.startswith("call ") and not l.endswith(" skip")))
        if any(l.startswith("call ") and not l.endswith(" skip") for l in interp[path][0]):
            bump("with exports called")
        if "v128-exports" in interp[path][0]:
            bump("v128-calls", sum(1 for l in interp[path][0][interp[path][0].index(
                "v128-exports"):] if l.startswith("call ")))
        # Every JIT tier's whole trace (v128 exports included) against the interpreter's,
        # wherever the interpreter ran the module; a crash or hang is a finding on any module.
        for tier, jit in jits.items():
            if outcome.startswith("tern-") and jit[path][1] == "ok":
                continue
            jit_outcome, jit_detail = compare_jit(jit[path], interp[path], tier)
            if jit_outcome == "divergent" and tier_nan_explains(path, tier, args):
                jit_outcome = "divergent-nan"
            bump(f"{tier}-{jit_outcome}")
            if jit_outcome == "declined":
                bump(f"{tier}-declined: {jit_detail}")
            elif jit_outcome == "divergent-nan":
                keep(args, "divergences", index, Path(path), {**traces, tier: jit[path]},
                     "NaN bits (agrees after --denan): " + jit_detail)
            elif jit_outcome != "agree":
                outcome, detail = f"{tier}-{jit_outcome}", jit_detail
                traces[tier] = jit[path]
        if outcome.startswith("tern-") or (outcome.startswith("jit") and
                                           not outcome.endswith("-divergent")):
            keep(args, "findings", index, Path(path), traces, detail)
            print(f"FINDING {args.seed}-{index}: {detail}", flush=True)
        elif detail:
            keep(args, "divergences", index, Path(path), traces, detail)
            print(f"DIVERGENCE {args.seed}-{index}: {detail}", flush=True)
    bump("modules", count)
    return counts


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--driver", required=True)
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--seconds", type=float, default=0, help="stop after this long (0: no limit)")
    p.add_argument("--work", default="/tmp/tern-differential")
    p.add_argument("--jobs", type=int, default=2, help="batches run at once")
    p.add_argument("--batch", type=int, default=200, help="modules per node/driver process")
    p.add_argument("--seed", type=int, default=int(time.time()))
    p.add_argument("--jit", action="store_true", help="also compare Tern's JIT tier")
    p.add_argument("--label", default="", help="recorded with the run, e.g. the driver's commit")
    p.add_argument("--check", metavar="MODULE", help="compare one module and exit")
    p.add_argument("--wasm-opt", default="wasm-opt",
                   help="binaryen's wasm-opt command, e.g. 'node DIR/bin/wasm-opt'")
    p.add_argument("--simd", type=float, default=0.5, help="fraction of modules with SIMD")
    p.add_argument("--proposals", type=float, default=1.0,
                   help="scales the fractions of reference types and the 3.0 proposals")
    p.add_argument("--relaxed-simd", type=float, default=0.0,
                   help="fraction of the SIMD modules with relaxed SIMD too")
    p.add_argument("--x64-sse41", action="store_true",
                   help="with --jit, also the x86-64 JIT's SSE4.1 forms on an AVX host")
    p.add_argument("--no-v8", action="store_true", help="compare Tern's tiers only")
    p.add_argument("--strict", action="store_true",
                   help="exit status 1 on any divergence or finding")
    p.add_argument("--driver-prefix", default="",
                   help="runs the driver under this command, e.g. 'qemu-aarch64 -L /usr/aarch64-linux-gnu'")
    args = p.parse_args()
    args.wasm_opt = args.wasm_opt.split()
    args.driver_prefix = args.driver_prefix.split()
    args.tiers = ((["jit", "jit-lazy"] + (["jit-sse41"] if args.x64_sse41 else []))
                  if args.jit else [])
    if args.check:
        divergent = check_one(args.check, args)
        print("divergent" if divergent else "agree")
        return 1 if divergent else 0
    args.switches = generator_switches(args.wasm_opt)
    lacking = [name for name, _, switches in PROPOSALS
               if not all(s in args.switches for s in switches)]
    if lacking:
        print(f"{' '.join(args.wasm_opt)} cannot generate: {', '.join(lacking)}", flush=True)
    Path(args.work).mkdir(parents=True, exist_ok=True)
    if args.relaxed_simd and not encodes_final_relaxed_simd(args.wasm_opt, args.work):
        sys.exit(f"differential.py: {' '.join(args.wasm_opt)} does not encode relaxed SIMD with "
                 "its standard opcodes (binaryen 108 does not): use binaryen 132 (--wasm-opt)")
    # Run a private copy of the driver, so that rebuilding it does not disturb a campaign.
    driver_copy = Path(args.work) / f"tern_diff_driver.{os.getpid()}"
    shutil.copy2(args.driver, driver_copy)
    args.driver = str(driver_copy)
    stats_path = Path(args.work) / "stats.json"
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    start = time.time()
    counts = {}
    with ThreadPoolExecutor(args.jobs) as pool:
        pending, first = set(), 0
        while pending or first < args.count:
            timed_out = args.seconds and time.time() - start > args.seconds
            while not timed_out and first < args.count and len(pending) < args.jobs:
                n = min(args.batch, args.count - first)
                pending.add(pool.submit(one_batch, first, n, args))
                first += n
            if not pending:
                break
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                for key, n in f.result().items():
                    counts[key] = counts.get(key, 0) + n
                    stats[key] = stats.get(key, 0) + n
            stats_path.write_text(json.dumps(stats, indent=1, sort_keys=True))
            print(f"{time.time() - start:.0f}s {json.dumps(counts, sort_keys=True)}", flush=True)
            if timed_out:
                first = args.count  # finish the batches under way, start no more
    driver_copy.unlink()
    line = (f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} seed={args.seed} "
            f"label={args.label or '-'} jit={','.join(args.tiers) or 0} simd={args.simd} "
            f"relaxed={args.relaxed_simd} v8={int(not args.no_v8)} "
            f"seconds={time.time() - start:.0f} {json.dumps(counts, sort_keys=True)}")
    with open(Path(args.work) / "differential.log", "a") as log:
        log.write(line + "\n")
    print(line)
    return 1 if args.strict and any(map(is_failure, counts)) else 0


if __name__ == "__main__":
    sys.exit(main())
