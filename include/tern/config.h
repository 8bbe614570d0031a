// Engine-wide configuration: which tier runs code and how it is compiled. Per-store resource
// limits are in store.h (StoreLimits, ResourceLimiter).
#pragma once

#include <cstdint>

namespace tern {

// Which code runs a module's functions. Auto (the default) uses the JIT where the build has
// one for the host and the interpreter for modules the JIT does not compile, as V8's baseline
// compiler bails out to another tier; Jit makes such a module an error.
enum class Tier : uint8_t { Interp, Jit, Auto };

// The largest Config::max_call_depth; deeper than any stack a tier could allocate.
inline constexpr uint32_t kMaxCallDepth = uint32_t(1) << 30;

struct Config {
  Tier tier = Tier::Auto;
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
  // 4 MiB of bodies each) in turn. 0: one per core when the function bodies total more than
  // 1 MiB, else the calling thread alone; n: n worker threads (1: the calling thread alone).
  uint32_t compile_threads = 0;
};

}  // namespace tern
