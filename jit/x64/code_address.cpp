// x86-64: an address is the 8-byte immediate of `movabs reg, imm64`; the CPU features are the
// optional instruction sets the backend picks by (host_features, x64_frame.h): a cache records
// the ones it was compiled with, and loads only where the host has them all.
#include "jit/common/code_address.h"

#include <cstring>

#include "jit/x64/x64_frame.h"

namespace tern::jit {

namespace {

// The bit of each feature in a cache's mask is its position here: append only.
constexpr const char* kFeatureNames[] = {"sse4.1", "popcnt", "lzcnt", "bmi1", "avx"};

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
  const x64_backend::HostFeatures& f = x64_backend::host_features();
  const bool has[] = {f.sse41, f.popcnt, f.lzcnt, f.bmi1, f.avx};
  static_assert(std::size(has) == std::size(kFeatureNames));
  uint64_t mask = 0;
  for (size_t i = 0; i < std::size(has); ++i) mask |= uint64_t(has[i]) << i;
  return mask;
}

std::string cpu_feature_names(uint64_t mask) {
  std::string out;
  for (size_t i = 0; i < 64; ++i) {
    if (!(mask >> i & 1)) continue;
    if (!out.empty()) out += ' ';
    out += i < std::size(kFeatureNames) ? kFeatureNames[i] : "bit" + std::to_string(i);
  }
  return out;
}

}  // namespace tern::jit
