#include "engine/runtime/import_match.h"

#include "engine/runtime/api_access.h"
#include "engine/runtime/objects.h"

namespace tern::rt {

using detail::Access;

bool limits_match(const Limits& actual, const Limits& expected) {
  if (actual.min < expected.min) return false;
  if (!expected.max) return true;
  return actual.max && *actual.max <= *expected.max;
}

bool extern_matches(const Extern& actual, const Import& import, const ModuleInfo& module) {
  if (kind_of(actual) != import.kind) return false;
  // A default-constructed (null) extern matches nothing.
  if (std::visit([](const auto& e) { return !e; }, actual)) return false;
  switch (import.kind) {
    case ExternKind::Func:
      return std::get<Func>(actual).type() == module.types[import.func_type];
    case ExternKind::Table: {
      const TableType& t = Access::table(std::get<Table>(actual))->type;
      return t.elem == import.table.elem && t.addr == import.table.addr &&
             limits_match(t.limits, import.table.limits);
    }
    case ExternKind::Memory: {
      const MemoryType& t = Access::memory(std::get<Memory>(actual))->type;
      return t.addr == import.memory.addr && limits_match(t.limits, import.memory.limits);
    }
    case ExternKind::Global:
      return Access::global(std::get<Global>(actual))->type == import.global;
    case ExternKind::Tag:
      return std::get<Tag>(actual).type() == module.types[import.tag_type];
  }
  return false;
}

}  // namespace tern::rt
