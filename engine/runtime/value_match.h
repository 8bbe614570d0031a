// Whether a value the embedder passes in (an argument, a global's or table element's new value,
// a host function's result) has a type: with typed references, a reference's null-ness and
// function type count, not only its hierarchy. Runtime types hold canonical type ids
// (engine/type_canon.h), so a concrete type compares with the function's type id.
#pragma once

#include "engine/runtime/api_access.h"
#include "engine/runtime/gc_ops.h"
#include "engine/runtime/i31.h"
#include "engine/runtime/objects.h"

namespace tern::rt {

// The type the embedder sees a value of runtime type `t` as (a result, a host function's
// argument): a reference to a concrete struct or array type is reported as a `(ref struct)` or
// `(ref array)`, of the any hierarchy, since a concrete type's ValType (types.h) cannot tell
// its kind and the embedding API has no struct or array types yet.
inline ValType api_type(const Store& store, ValType t) {
  if (!is_ref(t) || !is_concrete(t)) return t;
  CompositeKind kind = detail::Access::types(*store.engine).gc_type(ref_type_index(t)).kind;
  if (kind == CompositeKind::Func) return t;
  return ref_type(kind == CompositeKind::Struct ? HeapKind::Struct : HeapKind::Array,
                  is_nullable(t));
}

// Whether `v` is a value of runtime type `t`: its hierarchy and null-ness, a function's type (or
// a declared subtype of it), and for the any hierarchy what the reference is (an i31, a struct
// or array of the type or a subtype of it), as ref.test would say.
inline bool value_matches(const Store& store, const Value& v, ValType t) {
  if (!is_ref(t)) return v.type() == t;
  if (!is_ref(v.type()) || storage_type(v.type()) != storage_type(api_type(store, t))) {
    return false;
  }
  if (v.is_null()) return is_nullable(t);
  const auto bits = uint64_t(uintptr_t(v.ref()));
  const TypeRegistry& types = detail::Access::types(*store.engine);
  if (is_concrete(t)) {
    const GcType& want = types.gc_type(ref_type_index(t));
    if (want.kind == CompositeKind::Func) {
      return types.is_subtype(static_cast<const FuncInstance*>(v.ref())->type_id, want.id);
    }
    return !is_i31(bits) && store.heap.contains(v.ref()) &&
           ref_test(store, bits, kConcreteTarget, &want);
  }
  switch (heap_kind(t)) {
    case HeapKind::NoFunc:
    case HeapKind::NoExtern:
    case HeapKind::NoExn:
    case HeapKind::None:
      return false;  // the bottom types have no values but null
    case HeapKind::Eq:
    case HeapKind::I31:
    case HeapKind::Struct:
    case HeapKind::Array:
      // An object must be one of this store's; an i31 is in the reference itself.
      if (!is_i31(bits) && !store.heap.contains(v.ref())) return false;
      return ref_test(store, bits, cast_target(heap_kind(t), false), nullptr);
    default:
      return true;
  }
}

}  // namespace tern::rt
