// The interpreter executes GC (docs/gc.md); the JIT does not yet (issue 14). A module that needs
// it is refused by name by the JIT, after it is validated: its types (structs, arrays, declared
// supertypes, whose subtype-aware casts and call_indirect checks the JIT does not do) and GC
// instructions in constant expressions when it is compiled, its GC instructions in code by the
// JIT's compiler (gc_instruction_refusal). With Tier::Auto the interpreter then runs it.
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

// The Limit error for such a construct: "<construct> needs garbage collection, which the jit
// does not execute yet (issue 14)".
Error gc_refusal(const std::string& construct, std::optional<uint64_t> at = std::nullopt);

// The same for a GC instruction in code, named by `tier` ("the jit").
Error gc_instruction_refusal(const Instr& in, const char* tier);

}  // namespace tern::rt
