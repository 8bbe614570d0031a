// The AArch64 backend's multi-memory and memory64 code (a64_masm.h): a memory other than
// memory 0 is reached through the instance, and a 64-bit address is checked against the
// memory's current byte length before the access.
#include "jit/a64/a64_masm.h"
#include "jit/common/runtime_layout.h"

namespace tern::jit::a64_backend {

using namespace asmjit;
using a64::Inst;
using arm::CondCode;

void A64Assembler::load_memory_instance(const a64::GpX& dst, uint32_t memory) {
  access(Inst::kIdLdr, Inst::kIdLdur, dst, kInst, runtime_layout().instance_memories, 8);
  access(Inst::kIdLdr, Inst::kIdLdur, dst, dst, int64_t(memory) * 8, 8);
}

void A64Assembler::load_memory_base(Reg dst, uint32_t memory) {
  load_memory_instance(x(dst), memory);
  access(Inst::kIdLdr, Inst::kIdLdur, x(dst), x(dst), runtime_layout().memory_base, 8);
}

// x9 = addr + end, saturated to 2^64 - 1 when it carries (csinv), so one unsigned compare with
// the byte length in x16 decides: one branch.
void A64Assembler::check_memory_bounds(uint32_t memory, Reg addr, uint64_t end,
                                       Label out_of_bounds) {
  load_memory_instance(kTmp, memory);
  access(Inst::kIdLdr, Inst::kIdLdur, kTmp, kTmp, runtime_layout().memory_size, 8);
  if (end < 4096) {
    a_.adds(kTmp2, x(addr), end);
  } else {
    move_imm(kTmp2, end);
    a_.adds(kTmp2, kTmp2, x(addr));
  }
  a_.csinv(kTmp2, kTmp2, a64::xzr, CondCode::kCC);
  a_.cmp(kTmp2, kTmp);
  a_.b(CondCode::kHI, lbl(out_of_bounds));
}

}  // namespace tern::jit::a64_backend
