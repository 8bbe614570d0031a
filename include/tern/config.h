// Engine-wide configuration: which tier runs code, how it is compiled, and the implementation
// limits a module must stay within. Per-store resource limits are in store.h (StoreLimits,
// ResourceLimiter). docs/limits.md lists every limit with its default and measured costs.
#pragma once

#include <cstdint>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

// Which code runs a module's functions. Auto (the default) uses the JIT where the build has
// one for the host and the interpreter for modules the JIT does not compile, as V8's baseline
// compiler bails out to another tier; Jit makes such a module an error.
enum class Tier : uint8_t { Interp, Jit, Auto };

// Which profiler the JIT describes its code to, as wasmtime's ProfilingStrategy. PerfMap: Linux
// perf's map of JIT code, /tmp/perf-PID.map (docs/profiling.md).
enum class Profiler : uint8_t { None, PerfMap };

// The largest Config::max_call_depth; deeper than any stack a tier could allocate.
inline constexpr uint32_t kMaxCallDepth = uint32_t(1) << 30;

// Implementation limits on what a module declares, checked by the decoder and the validator
// before anything proportional to a declared count is allocated. A module beyond one fails to
// compile with ErrorKind::Limit, a message naming the limit ("too many functions: 1000001
// exceeds the limit ModuleLimits::functions = 1000000") and the offset of the offending count.
// The defaults are the Web's: the JS API specification's "Limits"
// (webassembly.github.io/spec/js-api/#limits), which V8, SpiderMonkey, JavaScriptCore and
// wasmtime's parser enforce too. Raising one is allowed; what a module may then cost grows with
// it (docs/limits.md).
struct ModuleLimits {
  uint64_t module_bytes = uint64_t(1) << 30;    // the binary module's size (1 GiB)
  uint32_t types = 1000000;                     // entries of the type section
  uint32_t functions = 1000000;                 // defined functions (the function section)
  uint32_t imports = 1000000;                   // entries of the import section
  uint32_t exports = 1000000;                   // entries of the export section
  uint32_t globals = 1000000;                   // defined globals (the global section)
  uint32_t data_segments = 100000;              // entries of the data section
  uint32_t element_segments = 10000000;         // entries of the element section
  uint32_t element_segment_entries = 10000000;  // references one element segment initialises
  uint32_t tables = 100000;                     // tables, imported and defined
  uint32_t memories = 100;                      // memories, imported and defined (multi-memory)
  uint32_t params = 1000;                       // parameters of a function type (and block type)
  uint32_t results = 1000;                      // results of a function type (and block type)
  uint32_t function_body_bytes = 7654321;       // one function body, local declarations included
  uint32_t locals = 50000;                      // locals of one function, parameters included
  // Labels of one br_table besides its default. The JS API sets none; this is V8's
  // (kV8MaxWasmFunctionBrTableSize), so what runs on the Web runs here.
  uint32_t br_table_targets = 65520;
  uint32_t struct_fields = 10000;  // fields of one struct type (GC)
  // Operands of one array.new_fixed (GC): each is a value on the operand stack.
  uint32_t array_new_fixed_operands = 10000;
};

// The WebAssembly proposals a module may use, as wasmtime's WasmFeatures. Everything in Wasm 2.0
// is always on; each switch below is one proposal standardised in Wasm 3.0, plus the legacy
// exception-handling encoding that toolchains (Emscripten, LLVM, GHC) still emit and V8 runs.
// A module that uses a disabled proposal fails to compile with an error naming it.
struct WasmFeatures {
  bool tail_call = true;            // return_call, return_call_indirect
  bool exceptions = true;           // tags, throw, throw_ref, try_table, exnref
  bool legacy_exceptions = true;    // try, catch, catch_all, delegate, rethrow (not in 3.0)
  bool memory64 = true;             // i64 memories and tables
  bool multi_memory = true;         // more than one memory
  bool extended_const = true;       // i32/i64 add, sub, mul in constant expressions
  bool function_references = true;  // typed function references
  bool gc = true;                   // structs, arrays, i31, subtyping
  bool relaxed_simd = true;         // relaxed SIMD

  // Exactly Wasm 2.0: every switch off.
  static constexpr WasmFeatures wasm20() {
    return {false, false, false, false, false, false, false, false, false};
  }
  // Wasm 3.0, with the legacy exception encoding too (the default, as in V8).
  static constexpr WasmFeatures wasm30() { return {}; }
  friend bool operator==(const WasmFeatures&, const WasmFeatures&) = default;
};

struct Config {
  Tier tier = Tier::Auto;
  // The proposals modules may use (the default: Wasm 3.0).
  WasmFeatures features = WasmFeatures::wasm30();
  // Wasm frames on one call stack, the running one included: 1 to kMaxCallDepth, else
  // Module::compile fails with a Limit error. A tier may trap (CallStackExhausted) sooner: the
  // interpreter at 2^20 frames or a full 8 MiB value stack, the JIT at the thread's stack end.
  uint32_t max_call_depth = 20000;
  // Compile fuel checks into code. Off: no cost, and fuel is ignored. Each instruction costs one
  // unit, charged per basic block; memory.fill/copy/init also cost one unit per 64 bytes and
  // table.fill/copy/init one per 8 elements (rounded down), charged per chunk of at most 1 MiB
  // as the operation goes, so a long one runs out part-way.
  bool consume_fuel = false;
  // JIT only: Module::compile validates every function but compiles each one to native code on
  // its first call (faster start for large modules of which little runs).
  bool lazy_compile = false;
  // JIT only: threads that compile a module eagerly, taking chunks of its functions (at most
  // 4 MiB of bodies each) in turn, or validate it up front when compiling lazily. 0: one per core
  // when the function bodies total more than 1 MiB, else the calling thread alone; n: n worker
  // threads (1: the calling thread alone).
  uint32_t compile_threads = 0;
  // JIT only: PerfMap appends a line `START SIZE NAME` (hex; the name from the name section or
  // an export, else wasm-function[INDEX]) to /tmp/perf-PID.map for every function it compiles,
  // lazily compiled ones included, and for its trampolines, so that `perf report` names Wasm
  // functions. None (the default) costs nothing.
  Profiler profiler = Profiler::None;
  // Linux: a defined memory whose active data segments have constant offsets and hold at least
  // 64 KiB is initialised by mapping an image of its contents copy-on-write, built once per
  // module on its first instantiation, instead of copying the segments (docs/instantiation.md).
  // Off: the segments are always copied.
  bool memory_images = true;
  // What a module may declare (see ModuleLimits).
  ModuleLimits module_limits{};
};

}  // namespace tern

#pragma GCC visibility pop
