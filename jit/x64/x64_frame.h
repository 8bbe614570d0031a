// The x86-64 backend's register and frame conventions, shared by its MacroAssembler
// (x64_masm.cpp) and its SimdAssembler (x64_simd.cpp); x64_masm.cpp's header comment describes
// them.
#pragma once

#include <asmjit/core.h>
#include <asmjit/x86.h>

#include <cstdint>
#include <iterator>

#include "jit/common/masm.h"

namespace tern::jit::x64_backend {

inline constexpr uint32_t kAllocatable[] = {
    asmjit::x86::Gp::kIdBx,  asmjit::x86::Gp::kIdSi, asmjit::x86::Gp::kIdDi,
    asmjit::x86::Gp::kIdR8,  asmjit::x86::Gp::kIdR9, asmjit::x86::Gp::kIdR10,
    asmjit::x86::Gp::kIdR11,
};
inline const asmjit::x86::Gp kCtx = asmjit::x86::r15, kInst = asmjit::x86::r13,
                             kMemBase = asmjit::x86::r14, kGlobals = asmjit::x86::r12;
inline constexpr uint32_t kNumFpRegs = 14;
inline const asmjit::x86::Xmm kFpScratch = asmjit::x86::xmm15, kFpScratch2 = asmjit::x86::xmm14;

// An allocatable register by its masm index.
inline asmjit::x86::Gp gpq(Reg reg) {
  return asmjit::x86::gpq(kAllocatable[reg]);
}
inline asmjit::x86::Xmm xmm(Reg reg) {
  return asmjit::x86::xmm(reg);
}

// Spare slot j is [rbp-16-8j], operand slot k is [rsp+8k].
inline asmjit::x86::Mem slot_mem(Slot s) {
  if (s.kind == Slot::Kind::Operand)
    return asmjit::x86::qword_ptr(asmjit::x86::rsp, int32_t(s.index * 8));
  return asmjit::x86::qword_ptr(asmjit::x86::rbp, -16 - int32_t(s.index * 8));
}

// Optional instruction sets of the host, detected once.
struct HostFeatures {
  bool sse41 = false, popcnt = false, lzcnt = false, bmi1 = false, avx = false;
};
const HostFeatures& host_features();
// Replaces what host_features() reports, so that golden listings do not depend on the machine
// and the differential fuzzer can run the SSE4.1 forms on an AVX host. Code generated for
// features the host lacks must not run. Not synchronised: call before compiling anything.
void override_host_features(const HostFeatures& features);

// [base + zero-extended addr + offset] for a linear-memory access; offsets past a disp32 are
// added in 64 bits. Uses rax and rcx. The reservation behind every memory covers any 32-bit
// address plus any 32-bit offset.
asmjit::x86::Mem memory_address(asmjit::x86::Assembler& a, const MemAccess& m, Reg addr,
                                uint64_t offset);

}  // namespace tern::jit::x64_backend
