// The shapes of the SIMD loads: how the bytes read from memory become a v128. One converter per
// load opcode, so the interpreter has a single v128 load handler.
#pragma once

#include <cstdint>

#include "engine/opcodes.h"
#include "tern/value.h"

namespace tern::interp {

// Builds the v128 from `info(op).n` bytes at `p` (16 for v128.load).
using SimdLoadFn = V128 (*)(const uint8_t* p);

// The converter for a v128 load opcode (not the lane loads), or nullptr.
SimdLoadFn simd_load_fn(Opcode op);

}  // namespace tern::interp
