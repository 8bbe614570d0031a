// Linear memories: a fixed reservation whose accessible prefix grows page by page, as far as the
// type's maximum, the store's limits and its ResourceLimiter allow.
#include <algorithm>

#include "engine/runtime/alloc.h"
#include "engine/runtime/api_access.h"
#include "engine/runtime/os_memory.h"
#include "engine/runtime/reservation_pool.h"

namespace tern::rt {

namespace {

// Every memory lives in one reservation of 4 GiB plus guard, so a 64-bit memory, whatever its
// type allows, is accessible up to 4 GiB too.
uint64_t page_limit(const Store& store, const MemoryType& type) {
  return std::min({type.limits.max.value_or(kMaxPages32), store.limits.memory_pages, kMaxPages32});
}

// Whether a memory of `type` may go from `current` to `desired` pages in `store`.
bool may_reach(Store& store, const MemoryType& type, uint64_t current, uint64_t desired) {
  if (desired > page_limit(store, type)) return false;
  return !store.limiter || store.limiter->memory_growing(current, desired, type.limits.max);
}

}  // namespace

MemoryInstance::~MemoryInstance() {
  give_back_reservation(Reservation{base, size_bytes, image_bytes});
}

bool MemoryInstance::commit(uint64_t delta) {
  if (!os::make_accessible(base + size_bytes, delta * kPageSize)) return false;
  size_bytes += delta * kPageSize;
  type.limits.min = pages();
  return true;
}

int64_t MemoryInstance::grow(uint64_t delta) {
  const uint64_t old_pages = pages();
  if (delta > kMaxPages32 || !may_reach(*store, type, old_pages, old_pages + delta)) return -1;
  if (!commit(delta)) return -1;
  return int64_t(old_pages);
}

Result<void> check_memory_limits(const Store& store, const MemoryType& type) {
  if (type.limits.min > page_limit(store, type)) {
    return limit_error("memory of " + std::to_string(type.limits.min) +
                       " pages exceeds the limit of " + std::to_string(page_limit(store, type)) +
                       " pages");
  }
  return {};
}

Result<MemoryInstance*> alloc_memory(Store& store, const MemoryType& type) {
  TERN_TRY(check_memory_limits(store, type));
  if (!may_reach(store, type, 0, type.limits.min)) {
    return limit_error("the store's resource limiter refused a memory of " +
                       std::to_string(type.limits.min) + " pages");
  }
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
  m.store = &store;
  if (!m.commit(type.limits.min - m.pages())) {
    store.memories.pop_back();
    return limit_error("cannot commit " + std::to_string(type.limits.min) + " memory pages");
  }
  return &m;
}

}  // namespace tern::rt

namespace tern {

using detail::Access;

Result<Memory> Memory::create(Store& store, MemoryType type) {
  const Limits& l = type.limits;
  if (type.addr == AddrType::I64) {
    if (l.min > kMaxPages64 || (l.max && *l.max > kMaxPages64)) {
      return Error::invalid("memory size must be at most 2^48 pages");
    }
  } else if (l.min > kMaxPages32 || (l.max && *l.max > kMaxPages32)) {
    return Error::invalid("memory size must be at most 65536 pages (4GiB)");
  }
  if (l.max && l.min > *l.max)
    return Error::invalid("size minimum must not be greater than maximum");
  auto m = rt::alloc_memory(Access::store(store), type);
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
                           std::to_string(delta_pages) + ": the limit is " +
                           std::to_string(rt::page_limit(*m_->store, m_->type)) +
                           " pages, and the store's resource limiter must agree");
  }
  return uint64_t(old);
}

}  // namespace tern
