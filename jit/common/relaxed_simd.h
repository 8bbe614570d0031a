// Tern's deterministic relaxed SIMD (docs/conformance.md): most relaxed instructions give
// exactly what a Wasm 2.0 instruction gives, so every backend compiles them as that one.
#pragma once

#include "engine/opcodes.h"

namespace tern::jit {

// The 2.0 instruction whose results a relaxed one shares, or `op` itself (every other op,
// and madd, nmadd and the dot products, which have code of their own).
Opcode relaxed_counterpart(Opcode op);

}  // namespace tern::jit
