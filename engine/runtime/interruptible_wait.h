// Waits in the kernel that end when the store is interrupted. Compiled code checks
// Store::interrupt()'s flag at loop heads and calls; a host function blocked in poll(2) would
// never see it, so every blocking host wait (WASI's, and embedders' through Caller::wait) goes
// through here.
//
// How: the store owns an eventfd, made on the first wait, that Store::interrupt() signals after
// setting the flag. A wait polls the guest's descriptors plus that eventfd, so it ends at once,
// with no periodic wake-ups while idle (slices would cost a wake-up every few ms and up to a
// slice of latency). No lost wake-up: interrupt() sets the flag then reads the eventfd's number,
// a wait publishes the number then reads the flag (both sequentially consistent), so one of the
// two sees the other. If the OS refuses an eventfd, waits fall back to 10 ms slices.
#pragma once

#include <poll.h>

#include <atomic>
#include <cstdint>
#include <span>

#include "tern/error.h"

namespace tern::rt {

struct Store;

// The store's wake-up descriptor. notify() is safe from any thread; the rest is the store's.
class InterruptWaker {
 public:
  InterruptWaker() = default;
  InterruptWaker(const InterruptWaker&) = delete;
  InterruptWaker& operator=(const InterruptWaker&) = delete;
  ~InterruptWaker();
  // Wakes a wait in progress, or makes the next one end at once until it is drained.
  void notify();
  // The descriptor to poll, created on first use; -1 if the OS refused one.
  int fd();
  // Consumes pending notifications once a wait has seen them.
  void drain();

 private:
  std::atomic<int> fd_{-1};
};

// No deadline: wait until a descriptor is ready or the store is interrupted.
inline constexpr uint64_t kNoDeadline = UINT64_MAX;

// Nanoseconds on CLOCK_MONOTONIC, the clock deadlines are measured on.
uint64_t monotonic_now_ns();
// now + `timeout_ns`, saturated at kNoDeadline.
uint64_t deadline_after(uint64_t timeout_ns);

// Waits as ppoll(2) does until an entry of `fds` has an event (revents set as ppoll sets them),
// `deadline_ns` (monotonic) passes, or the store is interrupted, before or during the wait.
// Returns how many entries have events (0: the deadline passed); an interruption is the
// Interrupted trap, delivered once as the tiers deliver it (the request is consumed); a poll
// failure is an ErrorKind::Io error.
Result<int> wait_interruptible(Store& store, std::span<struct pollfd> fds, uint64_t deadline_ns);

}  // namespace tern::rt
