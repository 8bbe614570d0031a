// Subtyping of value types (valid/matching.rst). Tern has no declared supertypes yet (`sub`
// with a supertype is refused by the decoder), so a concrete type matches only itself and the
// abstract types above it.
#pragma once

#include <cstdint>
#include <span>

#include "tern/types.h"

namespace tern {

// `classes` maps a concrete type index to its equality class (ModuleInfo::type_classes); empty
// when the types already hold canonical ids (runtime objects).
bool heap_matches(ValType actual, ValType expected, std::span<const uint32_t> classes);
bool val_matches(ValType actual, ValType expected, std::span<const uint32_t> classes);
// Equal types: each matches the other.
bool same_type(ValType a, ValType b, std::span<const uint32_t> classes);

}  // namespace tern
