#include "engine/subtyping.h"

namespace tern {

namespace {

uint32_t class_of(ValType t, std::span<const uint32_t> classes) {
  uint32_t index = ref_type_index(t);
  return classes.empty() || index >= classes.size() ? index : classes[index];
}

// An abstract heap type's place in its hierarchy: the bottom and what lies above.
bool abstract_matches(HeapKind a, HeapKind e) {
  if (a == e) return true;
  switch (a) {
    case HeapKind::None:
      return e == HeapKind::Any || e == HeapKind::Eq || e == HeapKind::I31 ||
             e == HeapKind::Struct || e == HeapKind::Array;
    case HeapKind::I31:
    case HeapKind::Struct:
    case HeapKind::Array:
      return e == HeapKind::Eq || e == HeapKind::Any;
    case HeapKind::Eq:
      return e == HeapKind::Any;
    case HeapKind::NoFunc:
      return e == HeapKind::Func;
    case HeapKind::NoExtern:
      return e == HeapKind::Extern;
    case HeapKind::NoExn:
      return e == HeapKind::Exn;
    default:
      return false;
  }
}

}  // namespace

bool heap_matches(ValType actual, ValType expected, std::span<const uint32_t> classes) {
  bool ca = is_concrete(actual), ce = is_concrete(expected);
  if (ca && ce) return class_of(actual, classes) == class_of(expected, classes);
  // Every concrete type is a function type for now: below func, above nofunc.
  if (ca) return heap_kind(expected) == HeapKind::Func;
  if (ce) return heap_kind(actual) == HeapKind::NoFunc;
  return abstract_matches(heap_kind(actual), heap_kind(expected));
}

bool val_matches(ValType actual, ValType expected, std::span<const uint32_t> classes) {
  if (!is_ref(actual) || !is_ref(expected)) return actual == expected;
  if (is_nullable(actual) && !is_nullable(expected)) return false;
  return heap_matches(actual, expected, classes);
}

bool same_type(ValType a, ValType b, std::span<const uint32_t> classes) {
  return val_matches(a, b, classes) && val_matches(b, a, classes);
}

}  // namespace tern
