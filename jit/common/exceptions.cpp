// The exception unwinder of compiled code (exceptions.h): a search of the handler tables along
// the frame-pointer chain of one activation, then a jump to a landing pad or out through the
// activation's entry trampoline.
#include "jit/common/exceptions.h"

#include "engine/runtime/trap.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace tern::jit {

std::optional<uint32_t> HandlerTable::find(uint32_t pc_offset, const rt::ExnInstance& exn,
                                           const rt::Instance& inst) const {
  // The return address is one past the call: the call itself is the instruction before it.
  uint32_t at = pc_offset - 1;
  int32_t r = -1;
  for (size_t i = regions.size(); i-- > 0;) {
    if (regions[i].begin <= at && at < regions[i].end) {
      r = int32_t(i);
      break;
    }
  }
  for (; r >= 0; r = regions[size_t(r)].parent) {
    for (const CatchClause& c : regions[size_t(r)].clauses) {
      if (c.tag == CatchClause::kAnyTag || inst.tags[c.tag] == exn.tag) return c.pad;
    }
  }
  return std::nullopt;
}

bool is_pending_exception(const JitContext& ctx) {
  return ctx.pending && *ctx.trap && (*ctx.trap)->code == TrapCode::Exception &&
         (*ctx.trap)->exception;
}

namespace {

// Read by the resume routine after the unwinder's frame is gone from the stack.
thread_local ResumePoint t_resume_point;

// The jump to a landing pad or out of the activation skips the epilogues of the frames it leaves
// (this one's, the helper's): under AddressSanitizer their redzones would stay poisoned for the
// frames that reuse that stack. Tell it, as its longjmp interceptor does for siglongjmp.
void before_stack_jump() {
#if defined(__SANITIZE_ADDRESS__)
  __asan_handle_no_return();
#endif
}

}  // namespace

void unwind_exception(JitContext* ctx, uintptr_t pc, uintptr_t fp, rt::Instance* inst) {
  Trap& trap = **ctx->trap;
  const rt::ExnInstance& exn = *trap.exception;
  void (*resume)(const ResumePoint*) = nullptr;
  void (*leave)(uintptr_t) = nullptr;
  uint32_t frames = 0;  // popped, each giving its unit of the call depth back
  {
    std::unique_lock lock = lock_code_registry();
    const CodeBlock* b = nullptr;
    const JitModule* m = code_at(pc, &b);
    while (m && b) {
      std::optional<uint32_t> defined = b->defined_func_at(pc);
      if (!defined) {  // the entry trampoline: past the activation's outermost frame
        leave = m->leave_activation;
        break;
      }
      const HandlerTable* table = b->handlers_of(*defined);
      std::optional<uint32_t> pad;
      if (table) pad = table->find(uint32_t(pc - uintptr_t(b->code)), exn, *inst);
      if (pad) {
        uint8_t* memory_base = inst->memories.empty() ? nullptr : inst->memories[0]->base;
        t_resume_point =
            ResumePoint{fp,          fp - table->frame_bytes, uintptr_t(b->code) + *pad, ctx, inst,
                        memory_base, inst->globals.data()};
        resume = m->resume;
        break;
      }
      // The frame goes: it stays in the backtrace should nothing catch the exception.
      uint32_t func = m->num_imported_funcs + *defined;
      if (func < inst->funcs.size()) rt::add_backtrace_frame(trap, inst->funcs[func]);
      ++frames;
      const uintptr_t* frame = reinterpret_cast<const uintptr_t*>(fp);
      pc = frame[1];
      fp = frame[0];
      b = m->block_at(pc);
    }
  }
  ctx->depth_left += frames;
  if (resume || leave) before_stack_jump();
  if (resume) resume(&t_resume_point);
  if (leave) leave(fp);
}

}  // namespace tern::jit
