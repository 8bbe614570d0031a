// The machine's stacks and calls into wasm from the host or another tier.
#include "engine/interp/machine.h"

#include <algorithm>
#include <new>
#include <span>

#include "engine/interp/interpreter.h"
#include "engine/runtime/trap.h"

namespace tern::interp {

namespace {
// 8 MiB of slots per store. Allocated uninitialised, so pages the program never reaches are
// never touched.
constexpr size_t kStackSlots = size_t(1) << 20;
// C stack that nested host → wasm entries may use, well inside any thread's default stack.
constexpr uintptr_t kNestedCStackBudget = uintptr_t(1) << 20;
// Frames a new machine starts with; the stack doubles from there as calls go deeper.
constexpr uint32_t kInitialFrames = 64;

uint32_t push_limit_of(const Machine& m) {
  // max_depth counts the running frame, which is not on the frame stack.
  uint32_t by_depth = m.max_depth == 0 ? 0 : m.max_depth - 1;
  return std::min(uint32_t(m.frames.size()), by_depth);
}

std::optional<Trap> exhausted(std::string why) {
  Trap t = rt::make_trap(TrapCode::CallStackExhausted);
  t.message += ": " + why;
  return t;
}
}  // namespace

static_assert(kStackSlots == kMaxFrames, "kMaxFrames is documented as the value stack's slots");

Machine::Machine(rt::Store& s) : store(&s) {
  stack.reset(new uint64_t[kStackSlots]);
  stack_free = reinterpret_cast<uint8_t*>(stack.get());
  stack_end = stack_free + kStackSlots * sizeof(uint64_t);
  max_depth = s.config().max_call_depth;
  frames.resize(std::min(kInitialFrames, max_depth));
  push_limit = push_limit_of(*this);
}

bool grow_frames(Machine& m, uint32_t depth) {
  if (depth + uint64_t(1) >= m.max_depth || depth >= kMaxFrames) return false;
  uint64_t wanted = std::max<uint64_t>(uint64_t(m.frames.size()) * 2, depth + uint64_t(1));
  try {
    m.frames.resize(size_t(std::min<uint64_t>(wanted, kMaxFrames)));
  } catch (const std::bad_alloc&) {
    return false;  // the call traps; the frames in use are untouched
  }
  m.push_limit = push_limit_of(m);
  return depth < m.push_limit;
}

namespace {

// Reports the reference slots of a frame of `func` at `fp` stopped at code position `ip`: its
// reference locals, and the operand slots its gc_map lists for that safepoint.
void trace_frame(const rt::FuncInstance* func, const uint8_t* fp, const Unit* ip,
                 rt::RootVisitor& visitor) {
  if (!func->code->gc_map) return;
  const std::span<const uint32_t> map(&func->code->gc_map[1], func->code->gc_map[0]);
  auto visit = [&](uint32_t slot) {
    uint64_t bits;
    std::memcpy(&bits, fp + slot, sizeof bits);
    visitor.visit(bits);
  };
  size_t at = 0;
  for (uint32_t n = map[at++]; n; --n) visit(map[at++]);
  const auto pos = uint32_t(ip - func->code->code.data());
  while (at < map.size()) {
    uint32_t safepoint = map[at], n = map[at + 1];
    at += 2;
    if (safepoint == pos) {
      for (; n; --n) visit(map[at++]);
      return;
    }
    at += n;
  }
}

}  // namespace

void Machine::trace_roots(rt::RootVisitor& visitor) {
  for (const Activation* a = activation; a; a = a->outer) {
    if (a->stopped && a->ip) trace_frame(a->func, a->fp, a->ip, visitor);
    for (uint32_t d = a->base_depth; d < a->depth; ++d) {
      trace_frame(frames[d].func, frames[d].fp, frames[d].ret_ip, visitor);
    }
  }
}

Machine* machine_of(rt::Store& store) {
  std::unique_ptr<rt::TierState>& state = store.tier_states[size_t(Tier::Interp)];
  if (!state) {
    try {
      state = std::make_unique<Machine>(store);
    } catch (const std::bad_alloc&) {
      return nullptr;
    }
  }
  return static_cast<Machine*>(state.get());
}

std::optional<Trap> call(rt::Store& store, rt::FuncInstance* func, uint8_t* slots) {
  Machine* mp = machine_of(store);
  if (!mp) return exhausted("cannot allocate the interpreter's value stack");
  Machine& m = *mp;
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
