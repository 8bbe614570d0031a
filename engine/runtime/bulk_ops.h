// memory.fill/copy/init and table.fill/copy/init, the one implementation both tiers call.
// Each checks its bounds first, as the spec says (a spec trap writes nothing), then does the
// work in chunks: before each chunk it charges fuel for it (when Config::consume_fuel is on and
// the store has fuel) and, when the operation takes more than one chunk, it checks the store's
// interrupt flag after each, so a 4 GiB fill stops at a deadline and costs fuel in proportion
// to its length. Out of fuel or interrupted part-way, the chunks already done stay done, as
// with a trap in the middle of a loop of stores.
//
// Fuel: one unit per kBytesPerFuel bytes of memory and per kElemsPerFuel table elements (whole
// units, rounded down), on top of the instruction's own unit.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "engine/runtime/objects.h"

namespace tern::rt {

inline constexpr uint64_t kBytesPerFuel = 64;
inline constexpr uint64_t kElemsPerFuel = 8;  // 64 bytes of references
// Work between two checks of fuel and interruption: a chunk takes well under a millisecond.
inline constexpr uint64_t kBulkChunkBytes = uint64_t(1) << 20;
inline constexpr uint64_t kBulkChunkElems = kBulkChunkBytes / sizeof(Ref);
static_assert(kBulkChunkBytes % kBytesPerFuel == 0 && kBulkChunkElems % kElemsPerFuel == 0,
              "a whole chunk costs whole fuel units, so the chunks' costs add up exactly");

// Whether [at, at + n) lies within [0, size), for any 64-bit operands (memory64's may make
// at + n overflow).
inline bool range_in_bounds(uint64_t size, uint64_t at, uint64_t n) {
  return at <= size && n <= size - at;
}

// The chunked paths of the operations below, for operations that may cost fuel (the bounds
// already checked).
std::optional<TrapCode> memory_fill_chunked(Store& store, uint8_t* dst, uint8_t value, uint64_t n);
std::optional<TrapCode> memory_move_chunked(Store& store, uint8_t* dst, const uint8_t* src,
                                            uint64_t n);
std::optional<TrapCode> table_fill_chunked(Store& store, Ref* dst, Ref value, uint64_t n);
std::optional<TrapCode> table_move_chunked(Store& store, Ref* dst, const Ref* src, uint64_t n);
// Sets `n` elements of `elem_bytes` each at `dst` to the element at `value` (Wasm GC's
// array.fill and array.new), charged as that many bytes of memory.
std::optional<TrapCode> element_fill_chunked(Store& store, uint8_t* dst, const uint8_t* value,
                                             uint32_t elem_bytes, uint64_t n);

// The accessible bytes of a memory (MemoryInstance::base and size_bytes): the interpreter
// passes the copies it keeps in registers.
using MemoryBytes = std::span<uint8_t>;
inline MemoryBytes bytes_of(const MemoryInstance& mem) {
  return {mem.base, size_t(mem.size_bytes)};
}

// Each returns the trap that ended the operation, or nothing when it completed. Operations too
// short to cost fuel are done here, inline, with no other check.
inline std::optional<TrapCode> memory_fill(Store& store, MemoryBytes mem, uint64_t d, uint8_t value,
                                           uint64_t n) {
  if (!range_in_bounds(mem.size(), d, n)) return TrapCode::MemoryOutOfBounds;
  if (n < kBytesPerFuel) {
    std::memset(mem.data() + d, value, n);  // a memory's base is never null
    return std::nullopt;
  }
  return memory_fill_chunked(store, mem.data() + d, value, n);
}

inline std::optional<TrapCode> memory_copy(Store& store, MemoryBytes dst, uint64_t d,
                                           MemoryBytes src, uint64_t s, uint64_t n) {
  if (!range_in_bounds(src.size(), s, n) || !range_in_bounds(dst.size(), d, n)) {
    return TrapCode::MemoryOutOfBounds;
  }
  if (n < kBytesPerFuel) {
    std::memmove(dst.data() + d, src.data() + s, n);
    return std::nullopt;
  }
  return memory_move_chunked(store, dst.data() + d, src.data() + s, n);
}

inline std::optional<TrapCode> memory_init(Store& store, MemoryBytes mem, uint64_t d,
                                           std::span<const uint8_t> data, uint64_t s, uint64_t n) {
  if (!range_in_bounds(data.size(), s, n) || !range_in_bounds(mem.size(), d, n)) {
    return TrapCode::MemoryOutOfBounds;
  }
  if (n < kBytesPerFuel) {
    if (n) std::memcpy(mem.data() + d, data.data() + s, n);
    return std::nullopt;
  }
  return memory_move_chunked(store, mem.data() + d, data.data() + s, n);
}

inline std::optional<TrapCode> table_fill(Store& store, TableInstance& table, uint64_t i, Ref value,
                                          uint64_t n) {
  if (!range_in_bounds(table.elems.size(), i, n)) return TrapCode::TableOutOfBounds;
  if (n < kElemsPerFuel) {
    for (uint64_t k = 0; k < n; ++k) table.elems[i + k] = value;
    return std::nullopt;
  }
  return table_fill_chunked(store, table.elems.data() + i, value, n);
}

inline std::optional<TrapCode> table_copy(Store& store, TableInstance& dst, uint64_t d,
                                          const TableInstance& src, uint64_t s, uint64_t n) {
  if (!range_in_bounds(src.elems.size(), s, n) || !range_in_bounds(dst.elems.size(), d, n)) {
    return TrapCode::TableOutOfBounds;
  }
  if (n < kElemsPerFuel) {
    if (n) std::memmove(dst.elems.data() + d, src.elems.data() + s, n * sizeof(Ref));
    return std::nullopt;
  }
  return table_move_chunked(store, dst.elems.data() + d, src.elems.data() + s, n);
}

inline std::optional<TrapCode> table_init(Store& store, TableInstance& table, uint64_t d,
                                          const std::vector<Ref>& segment, uint64_t s, uint64_t n) {
  if (!range_in_bounds(segment.size(), s, n) || !range_in_bounds(table.elems.size(), d, n)) {
    return TrapCode::TableOutOfBounds;
  }
  if (n < kElemsPerFuel) {
    for (uint64_t k = 0; k < n; ++k) table.elems[d + k] = segment[s + k];
    return std::nullopt;
  }
  return table_move_chunked(store, table.elems.data() + d, segment.data() + s, n);
}

}  // namespace tern::rt
