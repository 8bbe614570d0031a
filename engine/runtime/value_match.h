// Whether a value the embedder passes in (an argument, a global's or table element's new value,
// a host function's result) has a type: with typed references, a reference's null-ness and
// function type count, not only its hierarchy. Runtime types hold canonical type ids
// (engine/type_canon.h), so a concrete type compares with the function's type id.
#pragma once

#include "engine/runtime/objects.h"

namespace tern::rt {

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
