// Per-store execution state: one value stack of slots and one frame stack, shared by every
// (re-entrant) call into wasm made in the store. Wasm-to-wasm calls never recurse on the C stack:
// a call pushes a Frame here and the dispatch loop carries on with the callee.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>

#include "engine/interp/code.h"
#include "engine/runtime/objects.h"
#include "tern/error.h"

namespace tern::interp {

// A suspended caller: where to resume and its frame.
struct Frame {
  const Unit* ret_ip;
  uint8_t* fp;
  rt::FuncInstance* func;
};

struct Machine {
  explicit Machine(rt::Store& store);

  rt::Store* store;
  // The value stack. Frames overlap: a callee's frame starts at its caller's argument slots.
  std::unique_ptr<uint64_t[]> stack;
  uint8_t* stack_end = nullptr;
  uint8_t* stack_free = nullptr;  // where the frame of the next call from the host goes
  // The frame stack; `depth` counts the frames in use, over all nested entries.
  std::unique_ptr<Frame[]> frames;
  uint32_t max_depth = 0;
  uint32_t depth = 0;
  // Host functions calling back into wasm do recurse on the C stack: `call` measures how much
  // of it the nested entries use and refuses to go past a budget.
  uint32_t entries = 0;
  uintptr_t c_stack_base = 0;
};

inline uint32_t slot_bytes(ValType t) { return t == ValType::V128 ? 16 : kSlotBytes; }

// Reads and writes typed values in slots (the inverse of each other).
Value read_slot(ValType type, const uint8_t* slot);
void write_slot(uint8_t* slot, const Value& v);

// Runs wasm function `func` with its arguments already in the slots at `fp`; its results land
// there too. `m.depth` frames are in use by outer calls.
std::optional<Trap> execute(Machine& m, rt::FuncInstance* func, uint8_t* fp);

// Calls host function `func` with arguments read from the slots at `slots`, writes its results
// there. `caller` is the calling instance (null when called from the embedder).
std::optional<Trap> call_host(Machine& m, rt::FuncInstance* func, rt::Instance* caller,
                              uint8_t* slots);

// The trap `code` with the spec's message.
Trap make_trap(TrapCode code);
// Adds a wasm frame to a trap's backtrace (callers add outer frames after inner ones).
void add_backtrace_frame(Trap& trap, const rt::FuncInstance* func);

}  // namespace tern::interp
