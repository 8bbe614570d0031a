#include "engine/runtime/import_match.h"

#include "engine/runtime/objects.h"

namespace tern::rt {

bool limits_match(const Limits& actual, const Limits& expected) {
  if (actual.min < expected.min) return false;
  if (!expected.max) return true;
  return actual.max && *actual.max <= *expected.max;
}

bool extern_matches(const Extern& actual, const Import& import, const ModuleInfo& module) {
  if (kind_of(actual) != import.kind) return false;
  // A default-constructed (null) extern matches nothing.
  if (std::visit([](const auto& e) { return e.raw() == nullptr; }, actual)) return false;
  switch (import.kind) {
    case ExternKind::Func:
      return std::get<Func>(actual).type() == module.types[import.func_type];
    case ExternKind::Table: {
      const TableType& t = std::get<Table>(actual).raw()->type;
      return t.elem == import.table.elem && limits_match(t.limits, import.table.limits);
    }
    case ExternKind::Memory:
      return limits_match(std::get<Memory>(actual).raw()->type.limits, import.memory.limits);
    case ExternKind::Global:
      return std::get<Global>(actual).raw()->type == import.global;
  }
  return false;
}

}  // namespace tern::rt
