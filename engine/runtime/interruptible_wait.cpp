// Interruptible waits: see interruptible_wait.h for the design.
#include "engine/runtime/interruptible_wait.h"

#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/runtime/api_access.h"
#include "engine/runtime/objects.h"
#include "engine/runtime/trap.h"

namespace tern::rt {

namespace {

// Without an eventfd a wait re-checks the flag this often.
constexpr uint64_t kFallbackSliceNs = 10'000'000;

struct timespec to_timespec(uint64_t ns) {
  // Up to 584 years: fits a 64-bit time_t, which ppoll accepts.
  return {time_t(ns / 1'000'000'000), long(ns % 1'000'000'000)};
}

}  // namespace

InterruptWaker::~InterruptWaker() {
  int fd = fd_.load();
  if (fd >= 0) ::close(fd);
}

void InterruptWaker::notify() {
  int fd = fd_.load();  // after the caller's store of the flag (both seq_cst)
  if (fd < 0) return;
  uint64_t one = 1;
  // Only EAGAIN can fail here (the counter is full), and then it is readable already.
  [[maybe_unused]] ssize_t n = ::write(fd, &one, sizeof one);
}

int InterruptWaker::fd() {
  int fd = fd_.load(std::memory_order_relaxed);  // only the store's thread writes it
  if (fd >= 0) return fd;
  fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd >= 0) fd_.store(fd);  // published before the wait reads the flag
  return fd;
}

void InterruptWaker::drain() {
  uint64_t count;
  [[maybe_unused]] ssize_t n = ::read(fd_.load(std::memory_order_relaxed), &count, sizeof count);
}

uint64_t monotonic_now_ns() {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return uint64_t(t.tv_sec) * 1'000'000'000 + uint64_t(t.tv_nsec);
}

uint64_t deadline_after(uint64_t timeout_ns) {
  uint64_t now = monotonic_now_ns();
  return timeout_ns >= kNoDeadline - now ? kNoDeadline : now + timeout_ns;
}

Result<int> wait_interruptible(Store& store, std::span<struct pollfd> fds, uint64_t deadline_ns) {
  const int wake_fd = store.interrupt_waker.fd();
  // The guest's entries, then the wake-up one; small sets stay off the heap.
  struct pollfd inline_set[8];
  std::vector<struct pollfd> heap_set;
  std::span<struct pollfd> set(inline_set, fds.size() + 1);
  if (set.size() > std::size(inline_set)) {
    heap_set.resize(set.size());
    set = heap_set;
  }
  std::copy(fds.begin(), fds.end(), set.begin());
  set.back() = {wake_fd, POLLIN, 0};
  for (;;) {
    if (store.interrupt_requested.exchange(false))
      return Error::from_trap(make_trap(TrapCode::Interrupted));
    uint64_t now = monotonic_now_ns();
    uint64_t left = deadline_ns > now ? deadline_ns - now : 0;
    if (wake_fd < 0) left = std::min(left, kFallbackSliceNs);
    struct timespec timeout = to_timespec(left);
    int n = ppoll(set.data(), set.size(),
                  deadline_ns == kNoDeadline && wake_fd >= 0 ? nullptr : &timeout, nullptr);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error{ErrorKind::Io, std::string("poll: ") + strerror(errno), {}, {}};
    }
    if (set.back().revents) {
      store.interrupt_waker.drain();
      --n;
    }
    if (n > 0) {
      for (size_t i = 0; i < fds.size(); ++i) fds[i].revents = set[i].revents;
      return n;
    }
    // Woken by an interrupt (seen at the loop's head), a fallback slice, or the deadline.
    if (!store.interrupt_requested.load() && monotonic_now_ns() >= deadline_ns) return 0;
  }
}

}  // namespace tern::rt

namespace tern {

Result<int> Caller::wait(std::span<struct pollfd> fds,
                         std::optional<std::chrono::nanoseconds> timeout) {
  uint64_t deadline = rt::kNoDeadline;
  if (timeout) deadline = rt::deadline_after(uint64_t(std::max<int64_t>(timeout->count(), 0)));
  return rt::wait_interruptible(detail::Access::store(store_), fds, deadline);
}

}  // namespace tern
