// Running a function from the runtime (embedder calls, start functions) on its module's tier
// (host functions directly): a trap becomes an ErrorKind::Trap error.
#pragma once

#include <span>

#include "engine/runtime/objects.h"

namespace tern::rt {

// Calls with the arguments in `slots` (the layout of engine/runtime/slots.h), results written
// there; the area has room for whichever is larger.
Result<void> invoke_slots(Store& store, FuncInstance* func, uint8_t* slots);

// `args` must already match the function's parameter types; `results` is sized to its results.
Result<void> invoke(Store& store, FuncInstance* func, std::span<const Value> args,
                    std::span<Value> results);

}  // namespace tern::rt
