// i31 references: a 31-bit integer boxed in the reference slot itself, not on a heap. The slot
// holds (value << 1) | 1: the low bit, never set in a pointer (objects, functions and host
// data are at least 2-aligned), tells an i31 from every other reference and from null (0),
// and ref.eq compares the slot bits as it does for pointers.
#pragma once

#include <cstdint>

namespace tern::rt {

constexpr uint64_t i31_box(uint32_t v) {
  return (uint64_t(v & 0x7fffffffu) << 1) | 1;
}
constexpr bool is_i31(uint64_t ref_bits) {
  return (ref_bits & 1) != 0;
}
constexpr uint32_t i31_get_u(uint64_t ref_bits) {
  return uint32_t(ref_bits >> 1) & 0x7fffffffu;
}
constexpr int32_t i31_get_s(uint64_t ref_bits) {
  return int32_t(uint32_t(ref_bits >> 1) << 1) >> 1;
}

}  // namespace tern::rt
