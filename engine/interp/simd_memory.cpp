#include "engine/interp/simd_memory.h"

#include <cstring>

namespace tern::interp {

namespace {

V128 load_full(const uint8_t* p) {
  V128 v;
  std::memcpy(&v, p, 16);
  return v;
}

// v128.load8x8_s and friends: 64 bits of narrow lanes, each extended to twice its width.
template <class Narrow, class Wide>
V128 load_extend(const uint8_t* p) {
  V128 v;
  for (int i = 0; i < 8 / int(sizeof(Narrow)); ++i) {
    Narrow n;
    std::memcpy(&n, p + i * sizeof(Narrow), sizeof n);
    Wide w = Wide(n);
    std::memcpy(v.bytes + i * sizeof(Wide), &w, sizeof w);
  }
  return v;
}

template <class Lane>
V128 load_splat(const uint8_t* p) {
  V128 v;
  for (size_t i = 0; i < 16; i += sizeof(Lane)) std::memcpy(v.bytes + i, p, sizeof(Lane));
  return v;
}

template <size_t N>
V128 load_zero(const uint8_t* p) {
  V128 v{};
  std::memcpy(v.bytes, p, N);
  return v;
}

}  // namespace

SimdLoadFn simd_load_fn(Opcode op) {
  switch (op) {
    case Opcode::V128Load:
      return load_full;
    case Opcode::V128Load8x8S:
      return load_extend<int8_t, int16_t>;
    case Opcode::V128Load8x8U:
      return load_extend<uint8_t, uint16_t>;
    case Opcode::V128Load16x4S:
      return load_extend<int16_t, int32_t>;
    case Opcode::V128Load16x4U:
      return load_extend<uint16_t, uint32_t>;
    case Opcode::V128Load32x2S:
      return load_extend<int32_t, int64_t>;
    case Opcode::V128Load32x2U:
      return load_extend<uint32_t, uint64_t>;
    case Opcode::V128Load8Splat:
      return load_splat<uint8_t>;
    case Opcode::V128Load16Splat:
      return load_splat<uint16_t>;
    case Opcode::V128Load32Splat:
      return load_splat<uint32_t>;
    case Opcode::V128Load64Splat:
      return load_splat<uint64_t>;
    case Opcode::V128Load32Zero:
      return load_zero<4>;
    case Opcode::V128Load64Zero:
      return load_zero<8>;
    default:
      return nullptr;
  }
}

}  // namespace tern::interp
