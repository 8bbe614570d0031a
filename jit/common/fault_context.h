// The registers of a faulting wasm frame, read from a signal's ucontext (per ISA).
#pragma once

#include <cstdint>

#include "engine/runtime/objects.h"

namespace tern::jit {

struct FaultRegs {
  uintptr_t pc = 0;
  uintptr_t fp = 0;                  // the frame pointer of the innermost wasm frame
  rt::Instance* instance = nullptr;  // the pinned instance register
};

FaultRegs fault_regs(const void* ucontext);

}  // namespace tern::jit
