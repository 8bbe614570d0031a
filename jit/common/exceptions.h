// How compiled code unwinds to exception handlers (docs/jit.md, "Exceptions"): a Wasm
// exception raised in compiled code (thrown there, or returned by a call to the host, to
// another tier or to another instance) searches the handler tables of the frames of its
// activation, innermost first, and resumes the first frame with a matching clause at its
// landing pad. Past the activation's outermost frame, its entry trampoline returns with the
// exception still pending, and the caller (compiled code one activation out, or jit::call)
// goes on from there. Traps other than exceptions never come here.
#pragma once

#include <cstdint>

#include "jit/common/runtime.h"

namespace tern::jit {

// Whether the trap pending in `ctx` is a Wasm exception.
bool is_pending_exception(const JitContext& ctx);

// Unwinds the pending exception from the innermost wasm frame (pc, fp) of an activation of
// `inst` as described above. Returns only if the frame chain leads neither to a handler nor to
// the trampoline (code this registry does not know): the caller then unwinds it as a trap.
void unwind_exception(JitContext* ctx, uintptr_t pc, uintptr_t fp, rt::Instance* inst);

}  // namespace tern::jit
