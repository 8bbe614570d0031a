// Running a function from the runtime (embedder calls, start functions) on its module's tier
// (host functions directly): a trap becomes an ErrorKind::Trap error.
#pragma once

#include <span>

#include "engine/runtime/objects.h"

namespace tern::rt {

// `args` must already match the function's parameter types; `results` is sized to its results.
Result<void> invoke(Store& store, FuncInstance* func, std::span<const Value> args,
                    std::span<Value> results);

}  // namespace tern::rt
