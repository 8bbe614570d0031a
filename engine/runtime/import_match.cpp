#include "engine/runtime/import_match.h"

#include "engine/runtime/api_access.h"
#include "engine/runtime/objects.h"
#include "engine/subtyping.h"
#include "engine/type_canon.h"

namespace tern::rt {

using detail::Access;

bool limits_match(const Limits& actual, const Limits& expected) {
  if (actual.min < expected.min) return false;
  if (!expected.max) return true;
  return actual.max && *actual.max <= *expected.max;
}

namespace {

// Whether the canonical value type `actual` matches `expected` (both hold canonical ids, as
// runtime objects' types do): a concrete type sits below its declared supertypes and below the
// abstract type of its kind, and above that hierarchy's bottom.
bool canonical_matches(ValType actual, ValType expected, const TypeRegistry& types) {
  if (actual == expected) return true;
  if (!is_ref(actual) || !is_ref(expected)) return false;
  if (is_nullable(actual) && !is_nullable(expected)) return false;
  auto abstract_kind = [&](ValType t) {
    switch (types.gc_type(ref_type_index(t)).kind) {
      case CompositeKind::Struct:
        return HeapKind::Struct;
      case CompositeKind::Array:
        return HeapKind::Array;
      default:
        return HeapKind::Func;
    }
  };
  bool nullable = is_nullable(actual);
  if (is_concrete(actual) && is_concrete(expected)) {
    return types.is_subtype(ref_type_index(actual), ref_type_index(expected));
  }
  if (is_concrete(actual)) {
    return val_matches(ref_type(abstract_kind(actual), nullable), expected, {});
  }
  if (is_concrete(expected)) {
    HeapKind bottom = abstract_kind(expected) == HeapKind::Func ? HeapKind::NoFunc : HeapKind::None;
    return heap_kind(actual) == bottom;
  }
  return val_matches(actual, expected, {});
}

}  // namespace

bool extern_matches(const Extern& actual, const Import& import, const ModuleInfo& module,
                    std::span<const uint32_t> type_ids, const TypeRegistry* types) {
  if (kind_of(actual) != import.kind) return false;
  // A default-constructed (null) extern matches nothing.
  if (std::visit([](const auto& e) { return !e; }, actual)) return false;
  switch (import.kind) {
    case ExternKind::Func:
      if (!type_ids.empty()) {
        uint32_t id = Access::func(std::get<Func>(actual))->type_id;
        uint32_t want = type_ids[import.func_type];
        return id == want || (types && types->is_subtype(id, want));
      }
      return std::get<Func>(actual).type() == module.types[import.func_type];
    case ExternKind::Table: {
      // A table's element type is both read and written: it must be equal.
      const TableType& t = Access::table(std::get<Table>(actual))->type;
      return t.elem == canonical_type(import.table.elem, type_ids) && t.addr == import.table.addr &&
             limits_match(t.limits, import.table.limits);
    }
    case ExternKind::Memory: {
      const MemoryType& t = Access::memory(std::get<Memory>(actual))->type;
      return t.addr == import.memory.addr && limits_match(t.limits, import.memory.limits);
    }
    case ExternKind::Global: {
      // An immutable global is only read: its type may be a subtype (canonical ids compare).
      const GlobalType& g = Access::global(std::get<Global>(actual))->type;
      ValType want = canonical_type(import.global.type, type_ids);
      if (g.mut != import.global.mut) return false;
      if (g.mut) return g.type == want;
      return types ? canonical_matches(g.type, want, *types) : val_matches(g.type, want, {});
    }
    case ExternKind::Tag:
      if (!type_ids.empty()) {
        return Access::tag(std::get<Tag>(actual))->type_id == type_ids[import.tag_type];
      }
      return std::get<Tag>(actual).type() == module.types[import.tag_type];
  }
  return false;
}

}  // namespace tern::rt
