#include "engine/runtime/cache_checksum.h"

#include <bit>
#include <cstring>

namespace tern::rt {

namespace {

// A multiply-rotate hash in the manner of xxHash64 (four lanes of 8-byte words, then an
// avalanche), not bit-compatible with it, over the concatenation of `parts`.
uint64_t hash64(std::initializer_list<std::span<const uint8_t>> parts) {
  constexpr uint64_t kP1 = 0x9E3779B185EBCA87, kP2 = 0xC2B2AE3D27D4EB4F, kP3 = 0x165667B19E3779F9;
  uint64_t lanes[4] = {kP1 + kP2, kP2, 0, 0 - kP1};
  auto mix = [&](uint64_t lane, uint64_t word) { return std::rotl(lane + word * kP2, 31) * kP1; };
  uint64_t tail = kP3, total = 0;
  for (std::span<const uint8_t> data : parts) {
    total += data.size();
    size_t i = 0;
    for (; i + 32 <= data.size(); i += 32) {
      for (int k = 0; k < 4; ++k) {
        uint64_t word;
        std::memcpy(&word, data.data() + i + 8 * k, 8);
        lanes[k] = mix(lanes[k], word);
      }
    }
    for (; i < data.size(); ++i) tail = std::rotl((tail ^ data[i]) * kP1, 23);
  }
  uint64_t h = std::rotl(lanes[0], 1) + std::rotl(lanes[1], 7) + std::rotl(lanes[2], 12) +
               std::rotl(lanes[3], 18);
  h = (h ^ mix(0, tail)) * kP1 + total;
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

}  // namespace

uint64_t cache_checksum(std::span<const uint8_t> cache) {
  return hash64({cache.first(kCacheChecksumOffset), cache.subspan(kCacheHeaderBytes)});
}

void seal_cache(std::span<uint8_t> cache) {
  uint64_t sum = cache_checksum(cache);
  std::memcpy(cache.data() + kCacheChecksumOffset, &sum, 8);
}

}  // namespace tern::rt
