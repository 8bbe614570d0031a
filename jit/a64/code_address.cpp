// AArch64: an address is a movz of its low halfword and three movk of the others into one
// register, always all four (A64Assembler::move_address), whose offsets are the four parts:
// a branch island may fall between them. The backend uses the ARMv8.0-A base instruction set
// only, so no optional CPU feature is recorded.
#include "jit/common/code_address.h"

#include <cstring>

namespace tern::jit {

namespace {

constexpr uint32_t kMovzX = 0xD2800000, kMovkX = 0xF2800000;
constexpr uint32_t kOpcodeMask = 0xFF800000;  // sf, opc, the move-wide class
constexpr uint32_t kHwShift = 21, kImmShift = 5;

uint32_t load_insn(std::span<const uint8_t> code, uint32_t at) {
  uint32_t insn;
  std::memcpy(&insn, code.data() + at, 4);
  return insn;
}

}  // namespace

CodeAddressForm code_address_form() {
  return {4, 4};
}

bool read_code_address(std::span<const uint8_t> code, const uint32_t* parts, uint64_t& address) {
  address = 0;
  uint32_t rd = load_insn(code, parts[0]) & 31;
  for (uint32_t i = 0; i < 4; ++i) {
    uint32_t insn = load_insn(code, parts[i]);
    uint32_t expected = i == 0 ? kMovzX : kMovkX;
    if ((insn & kOpcodeMask) != expected || (insn >> kHwShift & 3) != i || (insn & 31) != rd) {
      return false;
    }
    address |= uint64_t(insn >> kImmShift & 0xFFFF) << (16 * i);
  }
  return true;
}

void write_code_address(std::span<uint8_t> code, const uint32_t* parts, uint64_t address) {
  for (uint32_t i = 0; i < 4; ++i) {
    uint32_t insn = load_insn(code, parts[i]);
    insn = (insn & ~(uint32_t(0xFFFF) << kImmShift)) | uint32_t(address >> (16 * i) & 0xFFFF)
                                                           << kImmShift;
    std::memcpy(code.data() + parts[i], &insn, 4);
  }
}

CodeIsa code_isa() {
  return CodeIsa::A64;
}

uint64_t code_cpu_features() {
  return 0;
}

std::string cpu_feature_names(uint64_t mask) {
  std::string out;
  for (uint32_t i = 0; i < 64; ++i) {
    if (!(mask >> i & 1)) continue;
    if (!out.empty()) out += ' ';
    out += "bit" + std::to_string(i);
  }
  return out;
}

}  // namespace tern::jit
