#include "engine/subtyping.h"

namespace tern {

namespace {

uint32_t class_of(uint32_t index, const TypeSpace& s) {
  return s.classes.empty() || index >= s.classes.size() ? index : s.classes[index];
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

// Concrete type `a` is `e` or declares it among its transitive supertypes. A supertype always
// has a smaller index than its subtype once validated; the step bound keeps an unvalidated
// chain from looping.
bool concrete_matches(uint32_t a, uint32_t e, const TypeSpace& s) {
  uint32_t want = class_of(e, s);
  for (size_t steps = 0; steps <= s.defs.size(); ++steps) {
    if (class_of(a, s) == want) return true;
    if (a >= s.defs.size() || s.defs[a].super == kNoSuper) return false;
    a = s.defs[a].super;
  }
  return false;
}

}  // namespace

HeapKind abstract_of(uint32_t index, const TypeSpace& s) {
  if (index >= s.defs.size()) return HeapKind::Func;
  switch (s.defs[index].kind) {
    case CompositeKind::Struct:
      return HeapKind::Struct;
    case CompositeKind::Array:
      return HeapKind::Array;
    case CompositeKind::Func:
      break;
  }
  return HeapKind::Func;
}

HeapKind top_of(ValType t, const TypeSpace& s) {
  HeapKind h = is_concrete(t) ? abstract_of(ref_type_index(t), s) : heap_kind(t);
  switch (h) {
    case HeapKind::Func:
    case HeapKind::NoFunc:
      return HeapKind::Func;
    case HeapKind::Extern:
    case HeapKind::NoExtern:
      return HeapKind::Extern;
    case HeapKind::Exn:
    case HeapKind::NoExn:
      return HeapKind::Exn;
    default:
      return HeapKind::Any;
  }
}

HeapKind bottom_of(ValType t, const TypeSpace& s) {
  switch (top_of(t, s)) {
    case HeapKind::Func:
      return HeapKind::NoFunc;
    case HeapKind::Extern:
      return HeapKind::NoExtern;
    case HeapKind::Exn:
      return HeapKind::NoExn;
    default:
      return HeapKind::None;
  }
}

bool heap_matches(ValType actual, ValType expected, const TypeSpace& s) {
  bool ca = is_concrete(actual), ce = is_concrete(expected);
  if (ca && ce) return concrete_matches(ref_type_index(actual), ref_type_index(expected), s);
  if (ca) return abstract_matches(abstract_of(ref_type_index(actual), s), heap_kind(expected));
  if (ce) return heap_kind(actual) == bottom_of(expected, s);
  return abstract_matches(heap_kind(actual), heap_kind(expected));
}

bool val_matches(ValType actual, ValType expected, const TypeSpace& s) {
  if (!is_ref(actual) || !is_ref(expected)) return actual == expected;
  if (is_nullable(actual) && !is_nullable(expected)) return false;
  return heap_matches(actual, expected, s);
}

bool same_type(ValType a, ValType b, const TypeSpace& s) {
  return val_matches(a, b, s) && val_matches(b, a, s);
}

namespace {

bool field_matches(const FieldType& a, const FieldType& e, const TypeSpace& s) {
  if (a.mut != e.mut || a.packed != e.packed) return false;
  return a.mut ? same_type(a.type, e.type, s) : val_matches(a.type, e.type, s);
}

}  // namespace

bool composite_matches(const ModuleInfo& m, uint32_t sub, uint32_t super) {
  TypeSpace s = TypeSpace::of(m);
  const TypeDef& a = m.type_defs[sub];
  const TypeDef& e = m.type_defs[super];
  if (a.kind != e.kind) return false;
  switch (a.kind) {
    case CompositeKind::Func: {
      const FuncType& fa = m.types[sub];
      const FuncType& fe = m.types[super];
      if (fa.params.size() != fe.params.size() || fa.results.size() != fe.results.size()) {
        return false;
      }
      for (size_t i = 0; i < fa.params.size(); ++i) {
        if (!val_matches(fe.params[i], fa.params[i], s)) return false;
      }
      for (size_t i = 0; i < fa.results.size(); ++i) {
        if (!val_matches(fa.results[i], fe.results[i], s)) return false;
      }
      return true;
    }
    case CompositeKind::Struct:
    case CompositeKind::Array:
      if (a.fields.size() < e.fields.size()) return false;
      if (a.kind == CompositeKind::Array && a.fields.size() != e.fields.size()) return false;
      for (size_t i = 0; i < e.fields.size(); ++i) {
        if (!field_matches(a.fields[i], e.fields[i], s)) return false;
      }
      return true;
  }
  return false;
}

}  // namespace tern
