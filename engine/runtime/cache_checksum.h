// The compiled-module cache's checksum (engine/module_cache.cpp; docs/jit.md): a 64-bit hash
// over the whole cache but its own 8 bytes, which end the header. It detects corruption (a
// truncated or flipped file) with the odds of a random 64-bit match; it is no defence against
// someone forging a cache, who can recompute it: a cache file must be as trusted as the program
// loading it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tern::rt {

// Where the checksum lies in a cache: the header's last field.
constexpr size_t kCacheChecksumOffset = 78;
constexpr size_t kCacheHeaderBytes = kCacheChecksumOffset + 8;

// The checksum of `cache` (at least kCacheHeaderBytes long), over everything but the field.
uint64_t cache_checksum(std::span<const uint8_t> cache);
// Writes cache_checksum(cache) into its field.
void seal_cache(std::span<uint8_t> cache);

}  // namespace tern::rt
