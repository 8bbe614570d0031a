// The threaded-code interpreter: lowering validated function bodies to slot-addressed code,
// and running it on an explicit frame stack.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "engine/interp/code.h"
#include "engine/runtime/objects.h"
#include "engine/runtime/tier.h"
#include "tern/error.h"

namespace tern::interp {

using FuncCodePtr = std::unique_ptr<FuncCode>;

// Validates defined function `defined_index` of `module` and lowers it in the same pass.
// `config.consume_fuel` decides whether fuel checks are compiled in.
Result<FuncCodePtr> compile_function(const ModuleInfo& module, uint32_t defined_index,
                                     const Config& config);
// compile_function for every defined function, on every core for a large module
// (validate_functions): the error is that of the first function by index that fails.
Result<std::vector<FuncCodePtr>> compile_functions(const ModuleInfo& module, const Config& config);

// The interpreter as the engine's Tier::Interp (engine/runtime/tier.h).
const rt::TierImpl& tier();

// The lowered code of defined function `defined_index` of `module`, or null when the module
// runs on another tier (for `tern inspect --interp`).
const FuncCode* code_of(const rt::CompiledModule& module, uint32_t defined_index);

// Calls wasm function `func` of an interpreted module in `store`, its arguments in `slots` and
// its results written there (engine/runtime/slots.h). Re-entrant: a host function may call back
// into wasm. On a trap, returns it with a backtrace of the wasm frames (innermost first).
std::optional<Trap> call(rt::Store& store, rt::FuncInstance* func, uint8_t* slots);

}  // namespace tern::interp
