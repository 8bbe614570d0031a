// Both tiers execute GC (docs/gc.md), but a collection cannot yet scan the JIT's frames (it
// waits while they are live: GcBlock), so Tier::Auto leaves a module that needs GC to the
// interpreter until the JIT has stack maps (issue 14). Only compilation for Tier::Auto refuses
// it: its types (structs, arrays, declared supertypes) and GC instructions in constant
// expressions in Module::compile (gc_module_construct), its GC instructions in code in the
// JIT's compiler (gc_instruction_refusal). Tier::Jit compiles all of it.
#pragma once

#include <optional>
#include <string>

#include "engine/decoder/instr.h"
#include "engine/module_info.h"
#include "tern/error.h"

namespace tern::rt {

// The first construct outside code that needs GC execution ("struct type 3", "a declared
// supertype (type 2)", "ref.i31 in a constant expression"), or nothing.
std::optional<std::string> gc_module_construct(const ModuleInfo& m);

// The Limit error for such a construct: "<construct> needs garbage collection, which
// Tier::Auto leaves to the interpreter (issue 14)".
Error gc_refusal(const std::string& construct, std::optional<uint64_t> at = std::nullopt);

// The same for a GC instruction in code, named by `tier` ("the jit").
Error gc_instruction_refusal(const Instr& in, const char* tier);

}  // namespace tern::rt
