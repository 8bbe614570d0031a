// The threaded-code interpreter: lowering validated function bodies to slot-addressed code,
// and running it on an explicit frame stack.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "engine/runtime/objects.h"
#include "tern/error.h"
#include "tern/value.h"

namespace tern::interp {

// Validates defined function `defined_index` of `module` and lowers it in the same pass.
// `config.consume_fuel` decides whether fuel checks are compiled in.
Result<FuncCodePtr> compile_function(const ModuleInfo& module, uint32_t defined_index,
                                     const Config& config);

// Calls `func` (wasm or host) in `store` with `args` (already type-checked by the caller) and
// writes its results. Re-entrant: a host function may call back into wasm. On a trap, returns it
// with a backtrace of the wasm frames (innermost first).
std::optional<Trap> call(rt::Store& store, rt::FuncInstance* func, std::span<const Value> args,
                         std::span<Value> results);

}  // namespace tern::interp
