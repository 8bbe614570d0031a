// Whether a value the embedder passes in (an argument, a global's or table element's new value,
// a host function's result) has a type: with typed references, a reference's null-ness and
// function type count, not only its hierarchy. Runtime types hold canonical type ids
// (engine/type_canon.h), so a concrete type compares with the function's type id.
#pragma once

#include "engine/runtime/api_access.h"
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

inline bool value_matches(const Value& v, ValType t) {
  if (!is_ref(t)) return v.type() == t;
  if (!is_ref(v.type()) || storage_type(v.type()) != storage_type(t)) return false;
  if (v.is_null()) return is_nullable(t);
  switch (heap_kind(t)) {
    case HeapKind::NoFunc:
    case HeapKind::NoExtern:
    case HeapKind::NoExn:
      return false;  // the bottom types have no values but null
    default:
      break;
  }
  if (!is_concrete(t)) return true;
  return static_cast<const FuncInstance*>(v.ref())->type_id == ref_type_index(t);
}

}  // namespace tern::rt
