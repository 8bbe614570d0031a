// node diff_node.mjs MODULE.wasm...: the V8 side of fuzz/differential.py. Prints the same
// trace as tern_diff_driver for each module in turn, "module <path>" to "end ok" (see
// fuzz/diff_driver.cpp for the format), writing every line at once so that a process killed by
// differential.py's timeout still leaves the prefix of the module it was running.
import fs from 'fs';

const out = (line) => fs.writeSync(1, line + '\n');

// Function signatures, read from the binary (the JS API does not expose them): by export name,
// and of the imported functions in import order.
function signatures(buf) {
  let pos = 8;
  const u32 = () => {
    let result = 0, shift = 0, b;
    do { b = buf[pos++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return result;
  };
  const valtype = () => ({0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128',
                          0x70: 'funcref', 0x6f: 'externref'})[buf[pos++]] ?? 'other';
  const limits = () => { const flags = u32(); u32(); if (flags & 1) u32(); };
  const types = [], funcTypes = [], sigs = new Map(), importTypes = [];
  while (pos < buf.length) {
    const id = buf[pos++], size = u32(), end = pos + size;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        pos++;  // 0x60
        const params = Array.from({length: u32()}, valtype);
        const results = Array.from({length: u32()}, valtype);
        types.push({params, results});
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        for (let i = 0; i < 2; i++) { const len = u32(); pos += len; }  // module, name
        const kind = buf[pos++];
        if (kind === 0) { funcTypes.push(types[u32()]); importTypes.push(funcTypes.at(-1)); }
        else if (kind === 1) { pos++; limits(); }
        else if (kind === 2) limits();
        else if (kind === 4) { pos++; u32(); }  // tag: attribute, type index
        else pos += 2;
      }
    } else if (id === 3) {
      for (let n = u32(); n > 0; n--) funcTypes.push(types[u32()]);
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const len = u32();
        const name = new TextDecoder().decode(buf.subarray(pos, pos + len));
        pos += len;
        const kind = buf[pos++], index = u32();
        if (kind === 0) sigs.set(name, funcTypes[index]);
      }
    }
    pos = end;
  }
  return {sigs, importTypes};
}

const f32 = new Float32Array(1), u32v = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1), u64v = new BigUint64Array(f64.buffer);
function format(type, v) {
  switch (type) {
    case 'i32': return String(v | 0);
    case 'i64': return String(BigInt.asIntN(64, BigInt(v)));
    case 'f32':
      if (Number.isNaN(v)) return 'nan';
      f32[0] = v; return 'f32:0x' + u32v[0].toString(16).padStart(8, '0');
    case 'f64':
      if (Number.isNaN(v)) return 'nan';
      f64[0] = v; return 'f64:0x' + u64v[0].toString(16).padStart(16, '0');
    default: return v === null ? 'null' : 'ref';
  }
}

// V8's trap messages → the classes of tern_diff_driver.
function trapClass(e) {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'stop stack';
  if (WebAssembly.Exception && e instanceof WebAssembly.Exception) return 'exception';
  if (!(e instanceof WebAssembly.RuntimeError)) return 'jserror ' + e.constructor.name;
  const m = e.message;
  const table = [[/unreachable/, 'unreachable'], [/memory access out of bounds/, 'memory'],
    [/data segment/, 'memory'], [/divide by zero|remainder by zero/, 'divzero'],
    // A float-to-int conversion of a NaN or out of range: Tern's "conversion" or "overflow"
    // (differential.py accepts either); a division's overflow: "overflow".
    [/float unrepresentable/, 'float-unrepresentable'], [/unrepresentable/, 'overflow'],
    [/table index is out of bounds|table access|element segment/, 'table'],
    [/null function or function signature mismatch|signature mismatch|null function/, 'indirect'],
    [/null/, 'null']];
  for (const [re, cls] of table) if (re.test(m)) return 'trap ' + cls;
  return 'trap other(' + m + ')';
}

// log-v128 takes a v128, which JavaScript cannot receive: a wasm shim splits it into 4 i32s.
const v128Shim = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x0c, 0x02, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x00, 0x60, 0x01, 0x7b, 0x00,
  0x02, 0x0b, 0x01, 0x02, 0x6a, 0x73, 0x04, 0x6c, 0x6f, 0x67, 0x34, 0x00, 0x00,
  0x03, 0x02, 0x01, 0x01,
  0x07, 0x0c, 0x01, 0x08, 0x6c, 0x6f, 0x67, 0x2d, 0x76, 0x31, 0x32, 0x38, 0x00, 0x01,
  0x0a, 0x1a, 0x01, 0x18, 0x00,
  0x20, 0x00, 0xfd, 0x1b, 0x00, 0x20, 0x00, 0xfd, 0x1b, 0x01,
  0x20, 0x00, 0xfd, 0x1b, 0x02, 0x20, 0x00, 0xfd, 0x1b, 0x03,
  0x10, 0x00, 0x0b]);

function run(bytes) {
  let module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (e) {
    out('compile error ' + e.message);
    return;
  }
  const {sigs, importTypes} = signatures(bytes);
  const importObject = {};
  let funcImports = 0;
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind !== 'function') {
      out('instantiate error unsupported import kind ' + imp.kind);
      return;
    }
    importObject[imp.module] ??= {};
    // binaryen's other imports (call-export, throw, table-get, sleep, ...) take i32s and refs.
    const type = imp.name.startsWith('log-') ? imp.name.slice(4) : '';
    const formatArg = (a) => type ? format(type, a) : typeof a === 'number' ? format('i32', a)
                                                                              : format('', a);
    // Returns zeros, as tern_diff_driver's stubs do (not undefined: NaN for a float result).
    const results = importTypes[funcImports++].results.map((t) =>
        t === 'i64' ? 0n : t.endsWith('ref') || t === 'other' ? null : 0);
    let fn = (...args) => {
      out(['log', imp.name, ...args.map(formatArg)].join(' '));
      return results.length > 1 ? results : results[0];
    };
    if (imp.name === 'log-v128') {
      const log4 = (...lanes) => out(`log log-v128 v128:${lanes.join(',')}`);
      fn = new WebAssembly.Instance(new WebAssembly.Module(v128Shim), {js: {log4}})
               .exports['log-v128'];
    }
    importObject[imp.module][imp.name] = fn;
  }
  let instance;
  try {
    instance = new WebAssembly.Instance(module, importObject);
  } catch (e) {
    const thrown = e instanceof WebAssembly.RuntimeError ||
                   (WebAssembly.Exception && e instanceof WebAssembly.Exception);
    out(thrown ? 'instantiate ' + trapClass(e) : 'instantiate error ' + e.message);
    return;
  }
  for (const [name, value] of Object.entries(instance.exports)) {
    if (typeof value !== 'function') continue;
    const sig = sigs.get(name);
    if (sig.params.includes('v128') || sig.results.includes('v128')) {
      out(`call ${name} skip`);
      continue;
    }
    const args = sig.params.map((t) => t === 'i64' ? 0n : t.endsWith('ref') ? null : 0);
    let results;
    try {
      results = value(...args);
    } catch (e) {
      const cls = trapClass(e);
      out(`call ${name} ${cls}`);
      if (cls.startsWith('stop')) return;
      continue;
    }
    if (sig.results.length === 1) results = [results];
    if (sig.results.length === 0) results = [];
    out([`call ${name} ok`, ...sig.results.map((t, i) => format(t, results[i]))].join(' '));
  }
  for (const [name, value] of Object.entries(instance.exports)) {
    if (value instanceof WebAssembly.Global) {
      let v;
      try { v = value.value; } catch { continue; }  // v128: invisible to JavaScript
      // The global's type is not exposed either: infer it from the JS value.
      const type = typeof v === 'bigint' ? 'i64' : 'num';
      out(`global ${name} ${type === 'i64' ? format('i64', v) : formatGlobalNumber(v)}`);
    } else if (value instanceof WebAssembly.Memory) {
      const mem = new Uint8Array(value.buffer);
      let h = 0xcbf29ce484222325n;
      // FNV-1a 64 over the bytes, in 32-bit halves for speed: the same hash as the C++ side.
      let hi = Number(h >> 32n) >>> 0, lo = Number(h & 0xffffffffn) >>> 0;
      for (let i = 0; i < mem.length; i++) {
        lo = (lo ^ mem[i]) >>> 0;
        // (hi:lo) *= 0x100000001b3, i.e. (hi:lo) * 0x1b3 + (lo << 40), modulo 2^64
        const loMul = lo * 0x1b3;
        const newLo = loMul >>> 0;
        const carry = Math.floor(loMul / 0x100000000);
        hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
        lo = newLo;
      }
      out(`memory ${name} ${mem.length / 65536} ${hi.toString(16).padStart(8, '0')}${lo.toString(16).padStart(8, '0')}`);
    }
  }
}

// An exported global's JS value is a Number for i32/f32/f64: print it the way the Tern driver
// prints the matching type. Integral values in i32 range are taken as i32 (an f32/f64 global
// holding such a value is printed as that integer on both sides by differential.py's
// normalisation of globals).
function formatGlobalNumber(v) {
  if (v === null) return 'null';
  if (typeof v !== 'number') return 'ref';
  if (Number.isNaN(v)) return 'nan';
  return 'num:' + String(v);
}

for (const path of process.argv.slice(2)) {
  out('module ' + path);
  try {
    run(fs.readFileSync(path));
    out('end ok');
  } catch (e) {
    out('end error ' + String(e).split('\n')[0]);  // a harness bug: reported, not compared
  }
}
