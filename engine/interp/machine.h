// Per-store execution state: one value stack of slots and one frame stack, shared by every
// (re-entrant) call into wasm made in the store. Wasm-to-wasm calls never recurse on the C stack:
// a call pushes a Frame here and the dispatch loop carries on with the callee.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "engine/interp/code.h"
#include "engine/runtime/objects.h"
#include "engine/runtime/slots.h"
#include "engine/runtime/tier.h"
#include "tern/error.h"

namespace tern::interp {

// A suspended caller: where to resume and its frame.
struct Frame {
  const Unit* ret_ip;
  uint8_t* fp;
  rt::FuncInstance* func;
};

// One entry into the dispatch loop (execute), for the collector. The caller frames it pushed
// are frames[base_depth, depth). Its running frame, when `stopped`, is at a safepoint: `ip` is
// the end of the instruction that is allocating or calling out, and the function's gc_map says
// which slots hold references there (ip null: a tail call out, after which the frame holds
// nothing). Between safepoints no collection can start, so these are written only at them.
struct Activation {
  Activation* outer = nullptr;
  uint32_t base_depth = 0;
  uint32_t depth = 0;
  bool stopped = false;
  const Unit* ip = nullptr;
  uint8_t* fp = nullptr;
  rt::FuncInstance* func = nullptr;
};

// The interpreter's per-store state (rt::Store::tier_states[Tier::Interp]).
struct Machine final : rt::TierState {
  explicit Machine(rt::Store& store);

  // The collector's view (engine/runtime/gc_collector.h): every frame of every activation.
  bool at_safepoint() const override { return !activation || activation->stopped; }
  void trace_roots(rt::RootVisitor& visitor) override;

  rt::Store* store;
  // The value stack. Frames overlap: a callee's frame starts at its caller's argument slots.
  std::unique_ptr<uint64_t[]> stack;
  uint8_t* stack_end = nullptr;
  uint8_t* stack_free = nullptr;  // where the frame of the next call from the host goes
  // The frame stack, grown as calls go deeper (an idle store holds a few frames, not
  // Config::max_call_depth of them); `depth` counts the frames in use, over all nested entries.
  std::vector<Frame> frames;
  uint32_t max_depth = 0;  // Config::max_call_depth: wasm frames in use, the running one too
  uint32_t depth = 0;
  // A call may push a frame while `depth` is below this: min(frames.size(), max_depth - 1).
  // The call path compares against it alone and calls grow_frames when it is reached.
  uint32_t push_limit = 0;
  // Host functions calling back into wasm do recurse on the C stack: `call` measures how much
  // of it the nested entries use and refuses to go past a budget.
  uint32_t entries = 0;
  uintptr_t c_stack_base = 0;
  Activation* activation = nullptr;  // the innermost entry into execute
};

// Frames use the runtime's slot layout, so host calls and other tiers read them directly.
static_assert(kSlotBytes == rt::kSlotBytes);
using rt::slot_bytes;

// The interpreter's frame stack never grows past this many frames, whatever
// Config::max_call_depth says: as many as its value stack has slots. A frame takes no slot when
// its function has no parameters, locals or operands, so this is what bounds such recursion.
constexpr uint32_t kMaxFrames = uint32_t(1) << 20;

// Called when a call made with `depth` frames in use finds `depth >= m.push_limit`: grows the
// frame stack so that one more frame fits. False when no more may: Config::max_call_depth or
// kMaxFrames is reached, or memory for the frames cannot be allocated. Kept out of line, off the
// call path.
bool grow_frames(Machine& m, uint32_t depth);

// The store's machine, created on its first use; null if its stacks cannot be allocated.
Machine* machine_of(rt::Store& store);

// Runs wasm function `func` with its arguments already in the slots at `fp`; its results land
// there too. `m.depth` frames are in use by outer calls.
std::optional<Trap> execute(Machine& m, rt::FuncInstance* func, uint8_t* fp);

}  // namespace tern::interp
