// Helpers for the SIMD tests: lane access by width written independently of engine/interp/simd.cpp
// (byte arithmetic, no memcpy of lane types), and edge-heavy sample vectors.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "tern/value.h"

namespace tern::simd_test {

// Lane i of width `bytes` (1, 2, 4, 8) as an unsigned value, assembled little-endian.
inline uint64_t lane(const V128& v, int bytes, int i) {
  uint64_t x = 0;
  for (int k = bytes - 1; k >= 0; --k) x = (x << 8) | v.bytes[i * bytes + k];
  return x;
}
inline void set_lane(V128& v, int bytes, int i, uint64_t x) {
  for (int k = 0; k < bytes; ++k) v.bytes[i * bytes + k] = uint8_t(x >> (8 * k));
}
inline uint64_t width_mask(int bytes) {
  return bytes == 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * bytes)) - 1;
}
// The lane value read as signed (sign-extended from its width).
inline int64_t signed_lane(const V128& v, int bytes, int i) {
  uint64_t x = lane(v, bytes, i);
  int shift = 64 - 8 * bytes;
  return int64_t(x << shift) >> shift;
}

// Random vectors whose lanes are often an edge value: 0, ±1, the signed and unsigned extremes of
// the lane width and of every narrower width (for narrow/saturate), or a small signed magnitude.
inline std::vector<V128> sample_vectors(int bytes, int count = 300, uint64_t seed = 1) {
  std::mt19937_64 rng(seed + bytes);
  uint64_t mask = width_mask(bytes);
  std::vector<uint64_t> edges = {0, 1, 2, ~uint64_t(0), ~uint64_t(1)};
  for (int w = 1; w <= bytes; w *= 2) {
    uint64_t smin = uint64_t(1) << (8 * w - 1);
    for (uint64_t e : {smin, smin - 1, smin + 1, 2 * smin - 1, 2 * smin, smin >> 1}) {
      edges.push_back(e);
      edges.push_back(uint64_t(0) - e);
    }
  }
  std::vector<V128> out;
  for (int n = 0; n < count; ++n) {
    V128 v{};
    for (int i = 0; i < 16 / bytes; ++i) {
      uint64_t x = rng();
      switch (rng() % 3) {
        case 0:
          x = edges[rng() % edges.size()];
          break;
        case 1:
          x = (x >> (rng() % 64)) * (rng() % 2 ? 1 : uint64_t(-1));
          break;
        default:
          break;
      }
      set_lane(v, bytes, i, x & mask);
    }
    out.push_back(v);
  }
  return out;
}

inline V128 bytes_of(std::initializer_list<uint8_t> b) {
  V128 v{};
  int i = 0;
  for (uint8_t x : b) v.bytes[i++] = x;
  return v;
}

}  // namespace tern::simd_test
