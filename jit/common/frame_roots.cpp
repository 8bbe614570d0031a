#include "jit/common/frame_roots.h"

#include <cstring>
#include <memory>
#include <new>

#include "engine/runtime/objects.h"
#include "engine/runtime/tier.h"
#include "jit/common/runtime.h"

namespace tern::jit {

namespace {

class FrameRoots final : public rt::TierState {
 public:
  explicit FrameRoots(const rt::Store& store) : store_(store) {}

  // This thread's activations of the store: every context entered for it, and in each, the
  // activation running and those suspended under it in helpers.
  void trace_roots(rt::RootVisitor& visitor) override {
    std::unique_lock lock = lock_code_registry();
    for (const JitContext* ctx = innermost_context(); ctx; ctx = ctx->parent) {
      if (ctx->store != &store_) continue;
      for (const ExitFrame* e = &ctx->exit; e; e = e->outer) {
        if (e->fp) trace_activation(e->fp, e->pc, visitor);
      }
    }
  }

 private:
  // The frames from the one at `fp`, stopped at return address `pc`, out to the trampoline.
  static void trace_activation(uintptr_t fp, uintptr_t pc, rt::RootVisitor& visitor) {
    const CodeBlock* b = nullptr;
    const JitModule* m = code_at(pc, &b);
    while (m && b && b->defined_func_at(pc)) {
      for (int32_t offset : b->gc_slots_at(pc)) {
        uint64_t bits;
        std::memcpy(&bits, reinterpret_cast<const void*>(fp + intptr_t(offset)), sizeof bits);
        visitor.visit(bits);
      }
      const uintptr_t* frame = reinterpret_cast<const uintptr_t*>(fp);
      pc = frame[1];
      fp = frame[0];
      b = m->block_at(pc);
    }
  }

  const rt::Store& store_;
};

}  // namespace

bool trace_frames_of(rt::Store& store) {
  std::unique_ptr<rt::TierState>& state = store.tier_states[size_t(Tier::Jit)];
  if (!state) state.reset(new (std::nothrow) FrameRoots(store));
  return state != nullptr;
}

}  // namespace tern::jit
