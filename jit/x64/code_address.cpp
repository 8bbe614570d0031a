// x86-64: an address is the 8-byte immediate of `movabs reg, imm64`; the CPU features are the
// optional instruction sets the backend may pick on this host (x64_masm.cpp, x64_simd_ops.h).
#include "jit/common/code_address.h"

#include <asmjit/core.h>

#include <cstring>

namespace tern::jit {

namespace {

using asmjit::CpuFeatures;

struct Feature {
  const char* name;
  uint32_t id;  // asmjit's CpuFeatures::X86
};
// The bit of each feature in a cache's mask is its position here: append only.
constexpr Feature kFeatures[] = {
    {"sse4.1", CpuFeatures::X86::kSSE4_1}, {"popcnt", CpuFeatures::X86::kPOPCNT},
    {"lzcnt", CpuFeatures::X86::kLZCNT},   {"bmi1", CpuFeatures::X86::kBMI},
    {"bmi2", CpuFeatures::X86::kBMI2},     {"ssse3", CpuFeatures::X86::kSSSE3},
    {"sse4.2", CpuFeatures::X86::kSSE4_2}, {"avx", CpuFeatures::X86::kAVX},
    {"avx2", CpuFeatures::X86::kAVX2},
};

}  // namespace

CodeAddressForm code_address_form() {
  return {1, 8};
}

bool read_code_address(std::span<const uint8_t> code, const uint32_t* parts, uint64_t& address) {
  // REX.W (with or without REX.B), then B8+r: the two bytes before the immediate.
  uint32_t at = parts[0];
  if (at < 2 || (code[at - 2] & 0xFE) != 0x48 || (code[at - 1] & 0xF8) != 0xB8) return false;
  std::memcpy(&address, code.data() + at, 8);
  return true;
}

void write_code_address(std::span<uint8_t> code, const uint32_t* parts, uint64_t address) {
  std::memcpy(code.data() + parts[0], &address, 8);
}

CodeIsa code_isa() {
  return CodeIsa::X64;
}

uint64_t code_cpu_features() {
  static const uint64_t mask = [] {
    const asmjit::CpuInfo& cpu = asmjit::CpuInfo::host();
    uint64_t m = 0;
    for (size_t i = 0; i < std::size(kFeatures); ++i) {
      if (cpu.hasFeature(kFeatures[i].id)) m |= uint64_t(1) << i;
    }
    return m;
  }();
  return mask;
}

std::string cpu_feature_names(uint64_t mask) {
  std::string out;
  for (size_t i = 0; i < 64; ++i) {
    if (!(mask >> i & 1)) continue;
    if (!out.empty()) out += ' ';
    out += i < std::size(kFeatures) ? kFeatures[i].name : "bit" + std::to_string(i);
  }
  return out;
}

}  // namespace tern::jit
