// Absolute addresses in native code, for the compiled-module cache (module_cache.h): each
// backend materializes a runtime address (a helper function, a JitModule::entries cell) in a
// fixed-size form whose place the code buffer records as an address site, so that the cache
// can read the address out of assembled code and write another in when the code is loaded
// into another process. Everything else in the code is position-independent.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace tern::jit {

// How this target encodes one address: `parts` consecutive entries of CodeBlock::address_sites,
// each the offset of `part_bytes` bytes of code (x86-64: one 8-byte immediate of a movabs;
// AArch64: a movz and three movk, which a branch island may separate).
struct CodeAddressForm {
  uint32_t parts = 1;
  uint32_t part_bytes = 8;
};
CodeAddressForm code_address_form();

// The address encoded at `parts` (offsets into `code`, each within it: the caller checks), or
// nothing when the instructions there are not the form above.
bool read_code_address(std::span<const uint8_t> code, const uint32_t* parts, uint64_t& address);
void write_code_address(std::span<uint8_t> code, const uint32_t* parts, uint64_t address);

// The target ISA of this build's JIT and the optional CPU features its code may use on this
// host, as a bit set (a cache compiled with a feature loads only where the host has it).
enum class CodeIsa : uint8_t { None = 0, X64 = 1, A64 = 2 };
CodeIsa code_isa();
uint64_t code_cpu_features();
// The names of the features in `mask`, for messages ("sse4.1 popcnt").
std::string cpu_feature_names(uint64_t mask);

}  // namespace tern::jit
