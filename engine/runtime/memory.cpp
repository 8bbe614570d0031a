// Linear memories: a fixed reservation whose accessible prefix grows page by page.
#include <algorithm>

#include "engine/runtime/alloc.h"
#include "engine/runtime/os_memory.h"
#include "engine/runtime/reservation_pool.h"

namespace tern::rt {

namespace {

uint64_t page_limit(const Config& config, const MemoryType& type) {
  return std::min({type.limits.max.value_or(kMaxPages32), config.max_memory_pages, kMaxPages32});
}

}  // namespace

MemoryInstance::~MemoryInstance() {
  give_back_reservation(Reservation{base, size_bytes});
}

int64_t MemoryInstance::grow(uint64_t delta) {
  const uint64_t old_pages = pages();
  if (delta > max_pages - std::min(old_pages, max_pages)) return -1;
  if (!os::make_accessible(base + size_bytes, delta * kPageSize)) return -1;
  size_bytes += delta * kPageSize;
  type.limits.min = pages();
  return int64_t(old_pages);
}

Result<void> check_memory_limits(const Config& config, const MemoryType& type) {
  if (type.limits.min > page_limit(config, type)) {
    return limit_error("memory of " + std::to_string(type.limits.min) +
                       " pages exceeds the limit of " + std::to_string(page_limit(config, type)) +
                       " pages");
  }
  return {};
}

Result<MemoryInstance*> alloc_memory(Store& store, const MemoryType& type) {
  TERN_TRY(check_memory_limits(store.config(), type));
  Reservation reservation = take_reservation();
  if (!reservation.base) return limit_error("cannot reserve address space for a linear memory");
  // A recycled reservation may be accessible beyond this memory's size: shrink it back so
  // out-of-bounds accesses fault. What stays accessible is already zero.
  const size_t initial_bytes = type.limits.min * kPageSize;
  if (reservation.accessible_bytes > initial_bytes) {
    if (!os::make_inaccessible(reservation.base + initial_bytes,
                               reservation.accessible_bytes - initial_bytes)) {
      os::release(reservation.base, kReservationBytes);
      return limit_error("cannot reset a recycled linear-memory reservation");
    }
    reservation.accessible_bytes = initial_bytes;
  }
  MemoryInstance& m = store.memories.emplace_back();
  m.base = reservation.base;
  m.reserved_bytes = kReservationBytes;
  m.size_bytes = reservation.accessible_bytes;
  m.type = type;
  m.type.limits.min = m.pages();
  m.max_pages = page_limit(store.config(), type);
  if (m.grow(type.limits.min - m.pages()) < 0) {
    store.memories.pop_back();
    return limit_error("cannot commit " + std::to_string(type.limits.min) + " memory pages");
  }
  return &m;
}

}  // namespace tern::rt

namespace tern {

Result<Memory> Memory::create(Store& store, MemoryType type) {
  const Limits& l = type.limits;
  if (l.min > kMaxPages32 || (l.max && *l.max > kMaxPages32)) {
    return Error::invalid("memory size must be at most 65536 pages (4GiB)");
  }
  if (l.max && l.min > *l.max)
    return Error::invalid("size minimum must not be greater than maximum");
  auto m = rt::alloc_memory(*store.raw(), type);
  if (!m) return m.take_error();
  return Memory(*m);
}

uint8_t* Memory::data() const {
  return m_->base;
}
uint64_t Memory::size_bytes() const {
  return m_->size_bytes;
}
uint64_t Memory::pages() const {
  return m_->pages();
}
MemoryType Memory::type() const {
  return m_->type;
}

Result<uint64_t> Memory::grow(uint64_t delta_pages) const {
  int64_t old = m_->grow(delta_pages);
  if (old < 0) {
    return rt::limit_error("cannot grow memory of " + std::to_string(m_->pages()) + " pages by " +
                           std::to_string(delta_pages) + ": the maximum is " +
                           std::to_string(m_->max_pages));
  }
  return uint64_t(old);
}

}  // namespace tern
