// Subtyping (valid/matching.rst): value types, heap types, and a type definition against its
// declared supertype. The abstract heap types form three hierarchies (any ⊇ eq ⊇ i31, struct,
// array ⊇ none; func ⊇ nofunc; extern ⊇ noextern; exn ⊇ noexn); a concrete type sits below the
// abstract type of its kind (func, struct or array) and below its declared supertypes, and
// above that hierarchy's bottom.
#pragma once

#include <cstdint>
#include <span>

#include "engine/module_info.h"
#include "tern/types.h"

namespace tern {

// The types concrete references are resolved against. `classes` maps a type index to its
// equality class (ModuleInfo::type_classes), empty when the types already hold canonical ids
// (runtime objects); `defs` holds each type's kind and supertype, empty when every concrete
// type is a function type without supertypes (what the runtime admits until GC executes).
struct TypeSpace {
  std::span<const uint32_t> classes;
  std::span<const TypeDef> defs;
  TypeSpace(std::span<const uint32_t> c = {}, std::span<const TypeDef> d = {})
      : classes(c), defs(d) {}
  static TypeSpace of(const ModuleInfo& m) { return {m.type_classes, m.type_defs}; }
};

bool heap_matches(ValType actual, ValType expected, const TypeSpace& space);
bool val_matches(ValType actual, ValType expected, const TypeSpace& space);
// Equal types: each matches the other.
bool same_type(ValType a, ValType b, const TypeSpace& space);
// The abstract heap type just above concrete type `index` (func, struct or array).
HeapKind abstract_of(uint32_t index, const TypeSpace& space);
// The top of the hierarchy `t` belongs to (any, func, extern or exn), for a heap type
// abstract or concrete.
HeapKind top_of(ValType t, const TypeSpace& space);
// The bottom of that hierarchy (none, nofunc, noextern or noexn).
HeapKind bottom_of(ValType t, const TypeSpace& space);

// Field and composite subtyping for declared supertypes: type `sub` of `m` matches type `super`
// (the same kind; a function type contravariant in its parameters and covariant in its results;
// a struct with at least the supertype's fields as a prefix; immutable fields covariant,
// mutable ones invariant).
bool composite_matches(const ModuleInfo& m, uint32_t sub, uint32_t super);

}  // namespace tern
