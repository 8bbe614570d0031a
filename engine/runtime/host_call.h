// Calls out of a tier: to a host function (boxed or unboxed), or to a wasm function of a module
// another tier compiled. Both tiers use this one path, with their values in a slot area
// (engine/runtime/slots.h).
#pragma once

#include <cstdint>
#include <optional>

#include "engine/runtime/objects.h"

namespace tern::rt {

// Calls `func` with its arguments in `slots` and writes its results there. `caller` is the
// calling instance (null when called from the embedder). A host function's error becomes a
// trap (HostError unless it is a trap already); so does a boxed result of the wrong type.
std::optional<Trap> call_host(Store& store, FuncInstance* func, Instance* caller, uint8_t* slots);

}  // namespace tern::rt
