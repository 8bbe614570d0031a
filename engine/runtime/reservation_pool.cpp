// A process-wide LIFO of released reservations. Process-wide rather than per engine because
// the Engine object has no runtime-private state to hang it on; the pool only holds address
// space (the contents are discarded), bounded by kPooledReservations.
#include "engine/runtime/reservation_pool.h"

#include <array>
#include <mutex>

#include "engine/runtime/os_memory.h"

namespace tern::rt {

namespace {

// Constant-initialised and trivially destructible, so memories freed during static
// destruction still find the pool, and start-up pays nothing for it.
constinit std::mutex pool_mutex;
constinit std::array<Reservation, kPooledReservations> pool{};
constinit size_t pool_size = 0;

}  // namespace

Reservation take_reservation() {
  {
    std::lock_guard lock(pool_mutex);
    if (pool_size > 0) return pool[--pool_size];
  }
  return Reservation{os::reserve(kReservationBytes), 0};
}

void give_back_reservation(Reservation reservation) {
  if (!reservation.base) return;
  // Emptied outside the lock; when the pool turns out to be full this was one cheap call. An
  // image's private pages, and its file behind them, go with the anonymous pages replacing it,
  // so the next memory here sees zeros, never this one's data.
  if (!os::replace_with_zero_pages(reservation.base, reservation.image_bytes)) {
    os::release(reservation.base, kReservationBytes);
    return;
  }
  os::discard(reservation.base + reservation.image_bytes,
              reservation.accessible_bytes - reservation.image_bytes);
  reservation.image_bytes = 0;
  {
    std::lock_guard lock(pool_mutex);
    if (pool_size < pool.size()) {
      pool[pool_size++] = reservation;
      return;
    }
  }
  os::release(reservation.base, kReservationBytes);
}

}  // namespace tern::rt
