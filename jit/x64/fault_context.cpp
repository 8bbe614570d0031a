// x86-64 Linux: the faulting frame's registers from the signal's ucontext.
#include "jit/common/fault_context.h"

#include <ucontext.h>

namespace tern::jit {

FaultRegs fault_regs(const void* ucontext) {
  const auto* uc = static_cast<const ucontext_t*>(ucontext);
  FaultRegs regs;
  regs.pc = uintptr_t(uc->uc_mcontext.gregs[REG_RIP]);
  regs.fp = uintptr_t(uc->uc_mcontext.gregs[REG_RBP]);
  regs.instance = reinterpret_cast<rt::Instance*>(uc->uc_mcontext.gregs[REG_R13]);
  return regs;
}

}  // namespace tern::jit
