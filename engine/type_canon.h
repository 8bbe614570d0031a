// Iso-recursive type equivalence (valid/conventions.rst, "rolling" of recursive types): two
// types are equal when their recursion groups are structurally equal, with references into the
// group compared by position and references outside it by the identity of the type they name.
// One key function serves the module-local classes (the validator's type equality) and the
// engine's registry of canonical ids (call_indirect's check and import matching).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/module_info.h"

namespace tern {

// The canonical form of the recursion group [start, start + size) of `types`: a reference to a
// type inside the group by its position, one to a type before the group by ids[index].
std::string rec_group_key(std::span<const FuncType> types, std::span<const TypeDef> defs,
                          uint32_t start, uint32_t size, std::span<const uint32_t> ids);

// ModuleInfo::type_classes for `m`: the index of the first type equal to each.
std::vector<uint32_t> module_type_classes(const ModuleInfo& m);

// `t` with a concrete type index replaced by ids[index]: a module's type in engine terms, as
// runtime objects (tables, globals) hold it.
inline ValType canonical_type(ValType t, std::span<const uint32_t> ids) {
  if (!is_ref(t) || !is_concrete(t) || ref_type_index(t) >= ids.size()) return t;
  return ref_to_type(ids[ref_type_index(t)], is_nullable(t));
}

}  // namespace tern
