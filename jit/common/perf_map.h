// Linux perf's map of JIT code, for Config::profiler = Profiler::PerfMap: perf reads
// /tmp/perf-PID.map, one line `START SIZE NAME` (START and SIZE in hex) per range of code, to
// name the samples it takes in memory that no file backs. wasmtime's --profile=perfmap writes
// the same. docs/profiling.md says how to use it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/module_info.h"
#include "jit/common/runtime.h"

namespace tern::jit {

// The lines for the code of one block, appended to the map together once complete: perf reads
// the map when the profile is reported, so the code must be named before the process ends,
// and one write per block keeps the cost per compiled function small.
class PerfMapBatch {
 public:
  // A range of code that is not a function (a trampoline, the lazy stubs).
  void add(const void* start, size_t size, std::string_view name);
  // One line per function of `block` (defined indices from block.first_func), named after
  // `info`, each function reaching to the next one's start or the block's end.
  // A function's name: from the name section (demangled when an Itanium C++ name), else its
  // first export's, else wasm-function[INDEX]; after `MODULE::` when the module has a name.
  void add_functions(const ModuleInfo& info, const CodeBlock& block);
  // Appends the lines to /tmp/perf-PID.map (created when missing). Thread-safe; a map that
  // cannot be opened or written is skipped silently, as profiling must not fail the program.
  void write();

 private:
  std::string lines_;
};

}  // namespace tern::jit
