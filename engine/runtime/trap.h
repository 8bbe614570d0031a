// Trap construction and backtraces, shared by every tier.
#pragma once

#include "engine/runtime/objects.h"
#include "tern/error.h"

namespace tern::rt {

// The trap `code` with the spec's message.
Trap make_trap(TrapCode code);
// A HostError trap saying `message`.
Trap host_error(std::string message);
// Adds a wasm frame to a trap's backtrace (callers add outer frames after inner ones):
// `code_offset` is the module byte offset of the instruction the frame stopped at, if known.
void add_backtrace_frame(Trap& trap, const FuncInstance* func,
                         std::optional<uint32_t> code_offset = std::nullopt);

}  // namespace tern::rt
