// The JIT as the engine's Tier::Jit (engine/runtime/tier.h). Only the top of the library graph
// (engine/tiers.cpp) asks for it, in builds that have the JIT.
#pragma once

#include "engine/runtime/tier.h"

namespace tern::jit {

const rt::TierImpl& tier();

}  // namespace tern::jit
