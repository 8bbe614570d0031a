// Import matching (valid/types.rst, "Import Subtyping"): does a provided extern fit an import?
#pragma once

#include <span>

#include "engine/module_info.h"
#include "tern/tern.h"

namespace tern::rt {

class TypeRegistry;

// Actual limits {n1, m1?} match expected {n2, m2?}: n1 ≥ n2, and if m2 is present then m1 is
// present and m1 ≤ m2.
bool limits_match(const Limits& actual, const Limits& expected);

// Whether `actual` (at its current size, for tables and memories) matches `import` of `module`.
// `type_ids` are the module's canonical type ids (CompiledModule::type_ids): with them function
// types compare by id and typed references by their canonical types; without them (a module
// not interned in any engine) function types compare structurally. With `types`, the engine's
// registry those ids are in, a function whose type declares the import's as a supertype
// matches too.
bool extern_matches(const Extern& actual, const Import& import, const ModuleInfo& module,
                    std::span<const uint32_t> type_ids = {}, const TypeRegistry* types = nullptr);

}  // namespace tern::rt
