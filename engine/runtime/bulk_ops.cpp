#include "engine/runtime/bulk_ops.h"

#include <algorithm>
#include <atomic>

namespace tern::rt {

namespace {

// Runs `step(offset, count)` over [0, n) in chunks of `chunk` items, the highest chunk first
// when `backward` (a move to a higher address within one memory or table, so that no chunk
// overwrites a source a later chunk still reads). Charges each chunk's fuel before doing it;
// checks for an interrupt after each chunk when there is more than one, the last included, so
// an operation that was interrupted never reports success.
template <class Step>
std::optional<TrapCode> in_chunks(Store& store, uint64_t n, uint64_t chunk, uint64_t per_fuel,
                                  bool backward, Step step) {
  uint64_t* fuel = store.fuel && store.config().consume_fuel ? &*store.fuel : nullptr;
  const bool check_interrupt = n > chunk;
  for (uint64_t done = 0; done < n;) {
    const uint64_t count = std::min(chunk, n - done);
    if (fuel) {
      const uint64_t cost = count / per_fuel;
      if (*fuel < cost) {
        *fuel = 0;
        return TrapCode::OutOfFuel;
      }
      *fuel -= cost;
    }
    step(backward ? n - done - count : done, count);
    done += count;
    if (check_interrupt && store.interrupt_requested.load(std::memory_order_relaxed)) {
      // Delivered once, as the tiers deliver it: the embedder may call again afterwards.
      store.interrupt_requested.store(false, std::memory_order_relaxed);
      return TrapCode::Interrupted;
    }
  }
  return std::nullopt;
}

// Whether a move from `src` to `dst` must go from the highest chunk down.
template <class T>
bool moves_up(T* dst, const T* src) {
  return uintptr_t(dst) > uintptr_t(src);
}

}  // namespace

std::optional<TrapCode> memory_fill_chunked(Store& store, uint8_t* dst, uint8_t value, uint64_t n) {
  return in_chunks(store, n, kBulkChunkBytes, kBytesPerFuel, false,
                   [&](uint64_t at, uint64_t count) { std::memset(dst + at, value, count); });
}

std::optional<TrapCode> memory_move_chunked(Store& store, uint8_t* dst, const uint8_t* src,
                                            uint64_t n) {
  return in_chunks(store, n, kBulkChunkBytes, kBytesPerFuel, moves_up(dst, src),
                   [&](uint64_t at, uint64_t count) { std::memmove(dst + at, src + at, count); });
}

std::optional<TrapCode> table_fill_chunked(Store& store, Ref* dst, Ref value, uint64_t n) {
  return in_chunks(store, n, kBulkChunkElems, kElemsPerFuel, false,
                   [&](uint64_t at, uint64_t count) { std::fill_n(dst + at, count, value); });
}

std::optional<TrapCode> table_move_chunked(Store& store, Ref* dst, const Ref* src, uint64_t n) {
  return in_chunks(
      store, n, kBulkChunkElems, kElemsPerFuel, moves_up(dst, src),
      [&](uint64_t at, uint64_t count) { std::memmove(dst + at, src + at, count * sizeof(Ref)); });
}

std::optional<TrapCode> element_fill_chunked(Store& store, uint8_t* dst, const uint8_t* value,
                                             uint32_t elem_bytes, uint64_t n) {
  return in_chunks(store, n, kBulkChunkBytes / elem_bytes, kBytesPerFuel / elem_bytes, false,
                   [&](uint64_t at, uint64_t count) {
                     for (uint64_t i = at; i < at + count; ++i) {
                       std::memcpy(dst + i * elem_bytes, value, elem_bytes);
                     }
                   });
}

}  // namespace tern::rt
