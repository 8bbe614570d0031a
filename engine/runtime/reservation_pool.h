// Linear-memory reservations, recycled. Mapping and unmapping the 8 GiB reservation of a
// memory costs the kernel far more than the rest of instantiating a small module, so a few
// released reservations are kept, emptied, for the next memory to take.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tern/types.h"

namespace tern::rt {

// A 32-bit address plus a 32-bit static offset (plus the widest access, 16 bytes) stays below
// 8 GiB + one page, so every access that misses the accessible part faults inside the
// reservation instead of touching another mapping.
constexpr size_t kReservationBytes = (size_t(8) << 30) + kPageSize;

// How many released reservations are kept; more are returned to the system.
constexpr size_t kPooledReservations = 8;

struct Reservation {
  uint8_t* base = nullptr;      // kReservationBytes of address space; null if none
  size_t accessible_bytes = 0;  // the readable and writable prefix (all zero while pooled)
  size_t image_bytes = 0;       // the prefix mapped from a memory image; 0 while pooled
};

// A pooled reservation if there is one, otherwise a new one (base null if the system refuses).
Reservation take_reservation();
// Drops the contents of [base, base+accessible_bytes), and the image mapped over its start, and
// keeps the reservation for reuse, or
// releases it to the system when the pool is full.
void give_back_reservation(Reservation reservation);

}  // namespace tern::rt
