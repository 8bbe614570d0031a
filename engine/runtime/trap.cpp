// Trap construction and backtraces, shared by every tier.
#include "engine/runtime/trap.h"

namespace tern::rt {

Trap make_trap(TrapCode code) {
  Trap t;
  t.code = code;
  t.message = trap_message(code);
  return t;
}

Trap host_error(std::string message) {
  Trap t = make_trap(TrapCode::HostError);
  t.message = std::move(message);
  return t;
}

void add_backtrace_frame(Trap& trap, const FuncInstance* func,
                         std::optional<uint32_t> code_offset) {
  BacktraceFrame f;
  f.func_index = func->func_index;
  f.code_offset = code_offset;
  if (func->instance) {
    const ModuleInfo& info = func->instance->info();
    f.instance = func->instance;
    if (func->func_index >= info.num_imported_funcs) {
      f.body_offset = info.bodies[func->func_index - info.num_imported_funcs].start;
    }
    if (auto it = info.func_names.find(func->func_index); it != info.func_names.end()) {
      f.func_name = it->second;
    }
    f.module_name = info.module_name;
  }
  trap.backtrace.push_back(std::move(f));
}

}  // namespace tern::rt
