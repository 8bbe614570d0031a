// AArch64 Linux: the faulting frame's registers from the signal's ucontext.
#include "jit/common/fault_context.h"

#include <ucontext.h>

namespace tern::jit {

FaultRegs fault_regs(const void* ucontext) {
  const auto* uc = static_cast<const ucontext_t*>(ucontext);
  FaultRegs regs;
  regs.pc = uintptr_t(uc->uc_mcontext.pc);
  regs.fp = uintptr_t(uc->uc_mcontext.regs[29]);
  regs.instance = reinterpret_cast<rt::Instance*>(uc->uc_mcontext.regs[20]);  // a64_masm.h
  return regs;
}

}  // namespace tern::jit
