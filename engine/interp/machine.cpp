// The machine's stacks and calls into wasm from the host or another tier.
#include "engine/interp/machine.h"

#include <algorithm>

#include "engine/interp/interpreter.h"
#include "engine/runtime/trap.h"

namespace tern::interp {

namespace {
// 8 MiB of slots per store. Allocated uninitialised, so pages the program never reaches are
// never touched.
constexpr size_t kStackSlots = size_t(1) << 20;
// C stack that nested host → wasm entries may use, well inside any thread's default stack.
constexpr uintptr_t kNestedCStackBudget = uintptr_t(1) << 20;
}  // namespace

Machine::Machine(rt::Store& s) : store(&s) {
  stack.reset(new uint64_t[kStackSlots]);
  stack_free = reinterpret_cast<uint8_t*>(stack.get());
  stack_end = stack_free + kStackSlots * sizeof(uint64_t);
  max_depth = s.config().max_call_depth;
  frames.reset(new Frame[max_depth + 1]);
}

Machine& machine_of(rt::Store& store) {
  std::unique_ptr<rt::TierState>& state = store.tier_states[size_t(Tier::Interp)];
  if (!state) state = std::make_unique<Machine>(store);
  return static_cast<Machine&>(*state);
}

std::optional<Trap> call(rt::Store& store, rt::FuncInstance* func, uint8_t* slots) {
  Machine& m = machine_of(store);
  char marker;
  uintptr_t here = reinterpret_cast<uintptr_t>(&marker);
  if (m.entries == 0) {
    m.c_stack_base = here;
  } else if (m.c_stack_base > here && m.c_stack_base - here > kNestedCStackBudget) {
    return rt::make_trap(TrapCode::CallStackExhausted);
  }
  const FuncType& type = *func->type;

  // Arguments and results share the slots at the bottom of the new frame.
  uint8_t* base = m.stack_free;
  size_t arg_bytes = 0;
  for (ValType t : type.params) arg_bytes += slot_bytes(t);
  size_t result_bytes = 0;
  for (ValType t : type.results) result_bytes += slot_bytes(t);
  if (base + std::max(arg_bytes, result_bytes) > m.stack_end || m.depth >= m.max_depth) {
    return rt::make_trap(TrapCode::CallStackExhausted);
  }
  std::memcpy(base, slots, arg_bytes);
  ++m.entries;
  std::optional<Trap> trap = execute(m, func, base);
  --m.entries;
  if (trap) return trap;
  std::memcpy(slots, base, result_bytes);
  return std::nullopt;
}

}  // namespace tern::interp
