#include "jit/x64/x64_frame.h"

namespace tern::jit::x64_backend {

using namespace asmjit;

x86::Mem memory_address(x86::Assembler& a, const MemAccess& m, Reg addr, uint64_t offset) {
  x86::Gp base = m.base_in_reg ? gpq(m.base) : kMemBase;
  a.mov(x86::eax, x86::gpd(kAllocatable[addr]));
  if (offset <= uint64_t(INT32_MAX)) return x86::ptr(base, x86::rax, 0, int32_t(offset));
  a.mov(x86::rcx, imm(offset));
  a.add(x86::rax, x86::rcx);
  return x86::ptr(base, x86::rax);
}

namespace {

HostFeatures& current_features() {
  static HostFeatures features = [] {
    const CpuInfo& cpu = CpuInfo::host();
    HostFeatures f;
    f.sse41 = cpu.hasFeature(CpuFeatures::X86::kSSE4_1);
    f.popcnt = cpu.hasFeature(CpuFeatures::X86::kPOPCNT);
    f.lzcnt = cpu.hasFeature(CpuFeatures::X86::kLZCNT);
    f.bmi1 = cpu.hasFeature(CpuFeatures::X86::kBMI);
    f.avx = cpu.hasFeature(CpuFeatures::X86::kAVX);
    return f;
  }();
  return features;
}

}  // namespace

const HostFeatures& host_features() {
  return current_features();
}

void override_host_features(const HostFeatures& features) {
  current_features() = features;
}

}  // namespace tern::jit::x64_backend
