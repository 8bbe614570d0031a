// Clocks, randomness, poll_oneoff and the process calls.
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "wasi/context.h"

namespace tern::wasi {

namespace {

bool host_clock(uint32_t id, clockid_t& out) {
  switch (ClockId(id)) {
    case ClockId::realtime:
      out = CLOCK_REALTIME;
      return true;
    case ClockId::monotonic:
      out = CLOCK_MONOTONIC;
      return true;
    case ClockId::process_cputime:
      out = CLOCK_PROCESS_CPUTIME_ID;
      return true;
    case ClockId::thread_cputime:
      out = CLOCK_THREAD_CPUTIME_ID;
      return true;
  }
  return false;
}

uint64_t now_ns(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return os::to_ns(t);
}

struct PendingEvent {
  uint64_t userdata = 0;
  Errno error = Errno::success;
  EventType type = EventType::clock;
  uint64_t nbytes = 0;
  uint16_t flags = 0;
};

void store_event(const GuestMemory& mem, uint32_t at, const PendingEvent& e) {
  uint8_t bytes[layout::kEventSize] = {};
  std::memcpy(bytes + 0, &e.userdata, 8);
  uint16_t err = uint16_t(e.error);
  std::memcpy(bytes + 8, &err, 2);
  bytes[10] = uint8_t(e.type);
  std::memcpy(bytes + 16, &e.nbytes, 8);
  std::memcpy(bytes + 24, &e.flags, 2);
  mem.write_bytes(at, bytes, sizeof bytes);
}

// Bytes a read would return without blocking, where the host can tell.
uint64_t readable_bytes(int fd) {
  int n = 0;
  if (ioctl(fd, FIONREAD, &n) == 0 && n > 0) return uint64_t(n);
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    off_t pos = lseek(fd, 0, SEEK_CUR);
    if (pos >= 0 && st.st_size > pos) return uint64_t(st.st_size - pos);
  }
  return 0;
}

}  // namespace

namespace fn {

Errno clock_res_get(Call& call, uint32_t clock_id, uint32_t resolution_ptr) {
  clockid_t clock;
  if (!host_clock(clock_id, clock)) return Errno::inval;
  struct timespec t;
  if (clock_getres(clock, &t) != 0) return os::from_errno(errno);
  return store_u64(call.mem, resolution_ptr, os::to_ns(t));
}

Errno clock_time_get(Call& call, uint32_t clock_id, uint64_t /*precision*/, uint32_t time_ptr) {
  clockid_t clock;
  if (!host_clock(clock_id, clock)) return Errno::inval;
  return store_u64(call.mem, time_ptr, now_ns(clock));
}

Errno random_get(Call& call, uint32_t buf, uint32_t buf_len) {
  uint8_t* p = call.mem.range(buf, buf_len);
  if (!p) return Errno::fault;
  for (uint32_t done = 0; done < buf_len;) {
    ssize_t n = getrandom(p + done, buf_len - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return os::from_errno(errno);
    }
    done += uint32_t(n);
  }
  return Errno::success;
}

Errno poll_oneoff(Call& call, uint32_t in, uint32_t out, uint32_t nsubscriptions,
                  uint32_t nevents_ptr) {
  const layout::Subscription& l =
      call.abi == Abi::Preview1 ? layout::kSubscriptionPreview1 : layout::kSubscriptionUnstable;
  if (nsubscriptions == 0) return Errno::inval;
  if (!call.mem.fits(in, uint64_t(nsubscriptions) * l.total) ||
      !call.mem.fits(out, uint64_t(nsubscriptions) * layout::kEventSize) ||
      !call.mem.fits(nevents_ptr, 4))
    return Errno::fault;

  std::vector<PendingEvent> ready;  // answered without waiting (errors)
  struct ClockSub {
    uint64_t userdata, deadline;  // deadline on CLOCK_MONOTONIC
  };
  std::vector<ClockSub> clocks;
  std::vector<struct pollfd> pollfds;
  std::vector<PendingEvent> fd_events;  // parallel to pollfds
  const uint64_t start = now_ns(CLOCK_MONOTONIC);
  for (uint32_t i = 0; i < nsubscriptions; ++i) {
    uint32_t sub = in + i * l.total;
    PendingEvent e;
    uint8_t tag = 0;
    call.mem.load(sub, e.userdata);
    call.mem.load(sub + 8, tag);
    if (tag == uint8_t(EventType::clock)) {
      uint32_t id = 0;
      uint64_t timeout = 0;
      uint16_t flags = 0;
      call.mem.load(sub + l.clock_id, id);
      call.mem.load(sub + l.timeout, timeout);
      call.mem.load(sub + l.flags, flags);
      clockid_t clock;
      if (!host_clock(id, clock)) {
        e.error = Errno::inval;
        ready.push_back(e);
        continue;
      }
      uint64_t wait = timeout;
      if (flags & kSubclockAbstime) {
        uint64_t now = now_ns(clock);
        wait = timeout > now ? timeout - now : 0;
      }
      clocks.push_back({e.userdata, start + std::min(wait, UINT64_MAX - start)});
    } else if (tag == uint8_t(EventType::fd_read) || tag == uint8_t(EventType::fd_write)) {
      e.type = EventType(tag);
      uint32_t fd = 0;
      call.mem.load(sub + l.fd, fd);
      FdEntry* entry;
      e.error = call.ctx.get(fd, right::poll_fd_readwrite, entry);
      if (e.error != Errno::success) {
        ready.push_back(e);
        continue;
      }
      if (entry->stream) {  // never blocks: always ready
        ready.push_back(e);
        continue;
      }
      short events = e.type == EventType::fd_read ? POLLIN : POLLOUT;
      pollfds.push_back({entry->host.get(), events, 0});
      fd_events.push_back(e);
    } else {
      return Errno::inval;
    }
  }

  uint64_t first_deadline = UINT64_MAX;
  for (const ClockSub& c : clocks) first_deadline = std::min(first_deadline, c.deadline);
  std::vector<PendingEvent> events = ready;
  for (;;) {
    // Through Caller::wait, so that an interruption (--timeout) ends any wait at once.
    std::optional<std::chrono::nanoseconds> timeout;
    if (!ready.empty()) {
      timeout = std::chrono::nanoseconds(0);
    } else if (first_deadline != UINT64_MAX) {
      uint64_t now = now_ns(CLOCK_MONOTONIC);
      uint64_t left = first_deadline > now ? first_deadline - now : 0;
      // Centuries at most, however wild the guest's timeout: the wait saturates, never wraps.
      timeout = std::chrono::nanoseconds(int64_t(std::min<uint64_t>(left, INT64_MAX)));
    }
    Result<int> waited = call.caller.wait(pollfds, timeout);
    if (!waited) {
      Error error = waited.take_error();
      if (!error.trap) return Errno::io;
      call.trap = std::move(error);
      return Errno::intr;
    }
    for (size_t i = 0; i < pollfds.size(); ++i) {
      short revents = pollfds[i].revents;
      if (!revents) continue;
      PendingEvent e = fd_events[i];
      if (revents & POLLNVAL)
        e.error = Errno::badf;
      else if (revents & POLLERR)
        e.error = Errno::io;
      if (revents & POLLHUP) e.flags |= kEventHangup;
      if (e.type == EventType::fd_read && e.error == Errno::success)
        e.nbytes = readable_bytes(pollfds[i].fd);
      events.push_back(e);
    }
    uint64_t now = now_ns(CLOCK_MONOTONIC);
    for (const ClockSub& c : clocks)
      if (c.deadline <= now) events.push_back({c.userdata, Errno::success, EventType::clock, 0, 0});
    if (!events.empty() || !ready.empty()) break;
  }
  for (size_t i = 0; i < events.size(); ++i)
    store_event(call.mem, out + uint32_t(i) * layout::kEventSize, events[i]);
  return store_u32(call.mem, nevents_ptr, uint32_t(events.size()));
}

Errno proc_exit(Call& call, uint32_t rval) {
  call.trap = Error::from_trap(Trap{TrapCode::Exit, "exit", {}, int(rval)});
  return Errno::success;
}

// Signals cannot be delivered to a sandboxed guest: a valid signal number is `notsup` (an
// unknown one `inval`). wasmtime traps instead; an errno lets the guest carry on.
Errno proc_raise(Call&, uint32_t sig) {
  return sig < kSignalCount ? Errno::notsup : Errno::inval;
}

Errno sched_yield(Call&) {
  ::sched_yield();
  return Errno::success;
}

}  // namespace fn
}  // namespace tern::wasi
