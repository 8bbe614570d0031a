// The JIT's roots for the garbage collector: the GC references its frames hold. Compiled code
// calls out to the runtime only through helpers, and each helper call first writes its frame
// pointer and return address to the context (JitContext::exit); a collection can start only
// inside such a call. From there the frame-pointer chain leads through the activation's callers
// to its entry trampoline. Every frame on it is stopped at a call, and the compiler listed, per
// call, the frame slots holding references while it runs (CodeBlock::safepoints): all values are
// in their slots at a call, so the list is exact.
#pragma once

namespace tern::rt {
struct Store;
}

namespace tern::jit {

// Makes the store's collections walk the frames of compiled code (its Tier::Jit state); false
// when there was no memory for that.
bool trace_frames_of(rt::Store& store);

}  // namespace tern::jit
