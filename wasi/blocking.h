// Host calls that could block (reads and writes on pipes, ttys, sockets and FIFOs, accept, a
// FIFO's open) run so that they cannot outlive an interruption of the store (--timeout): they
// are tried non-blocking, and when they would block the call waits in Caller::wait, which ends
// at once on Store::interrupt(); the WASI call then traps with TrapCode::Interrupted.
// Regular files and directories never block that way and go straight through.
#pragma once

#include <errno.h>
#include <poll.h>
#include <sys/types.h>

#include "wasi/context.h"

namespace tern::wasi {

// Waits for `events` (poll(2) bits) on the host descriptor `fd`, or `timeout_ns` if given.
// False when the store was interrupted: call.trap is then set and the call must return.
bool wait_for(Call& call, int fd, short events, std::optional<uint64_t> timeout_ns = std::nullopt);

// Whether an operation on a descriptor of this type can wait on another party.
bool may_block(Filetype type);

// Sets O_NONBLOCK on a host descriptor's file description for one attempt, then restores its
// flags (the description may be shared, e.g. a terminal). Inactive when the descriptor is
// non-blocking already (the guest asked: it gets `again`) or its flags cannot be read.
class NonblockingAttempt {
 public:
  explicit NonblockingAttempt(int fd);
  ~NonblockingAttempt();
  NonblockingAttempt(const NonblockingAttempt&) = delete;
  NonblockingAttempt& operator=(const NonblockingAttempt&) = delete;
  bool active() const { return saved_flags_ >= 0; }

 private:
  int fd_;
  int saved_flags_ = -1;
};

// Runs `op` (a host call on `entry`'s descriptor returning -1 and errno on failure) as a blocking
// call would, waiting for `events` between non-blocking attempts. On interruption returns -1
// with errno EINTR and call.trap set.
template <class Op>
ssize_t run_blocking(Call& call, const FdEntry& entry, short events, Op op) {
  if (!may_block(entry.type)) return op();
  const int fd = entry.host.get();
  for (;;) {
    ssize_t n;
    int error;
    {
      NonblockingAttempt attempt(fd);
      n = op();
      error = errno;
      if (!attempt.active()) return n;
    }
    errno = error;  // restoring the flags must not change what the attempt reported
    if (n >= 0 || (error != EAGAIN && error != EWOULDBLOCK)) return n;
    if (!wait_for(call, fd, events)) {
      errno = EINTR;
      return -1;
    }
  }
}

}  // namespace tern::wasi
