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

// Chooses `entry`'s WaitMode once its host descriptor and type are set, and reads the guest's
// nonblock flag from the host. A FIFO, pipe or character device (a terminal) whose open file
// description may be shared is reopened through /proc/self/fd as a private one with O_NONBLOCK,
// so that its reads and writes cost no extra system call; `private_description` says it is
// private already (path_open, sock_accept), and is made non-blocking as it is.
void prepare_waits(FdEntry& entry, bool private_description);

// Sets O_NONBLOCK on a host descriptor's file description for one attempt, then restores its
// flags (WaitMode::toggle). Inactive when it is non-blocking already or its flags cannot be read.
class NonblockingAttempt {
 public:
  explicit NonblockingAttempt(int fd);
  ~NonblockingAttempt();
  NonblockingAttempt(const NonblockingAttempt&) = delete;
  NonblockingAttempt& operator=(const NonblockingAttempt&) = delete;

 private:
  int fd_;
  int saved_flags_ = -1;
};

// Runs `op` (a host call on `entry`'s descriptor returning -1 and errno on failure) as a blocking
// call would, waiting for `events` between non-blocking attempts; a guest that asked for
// non-blocking I/O gets `again` instead. On interruption returns -1 with errno EINTR and
// call.trap set.
template <class Op>
ssize_t run_blocking(Call& call, const FdEntry& entry, short events, Op op) {
  if (entry.wait_mode == WaitMode::never || entry.guest_nonblocking) return op();
  for (;;) {
    ssize_t n;
    int error;
    if (entry.wait_mode == WaitMode::toggle) {
      NonblockingAttempt attempt(entry.host.get());
      n = op();
      error = errno;
    } else {
      n = op();
      error = errno;
    }
    if (n >= 0 || (error != EAGAIN && error != EWOULDBLOCK)) {
      errno = error;  // restoring the flags must not change what the attempt reported
      return n;
    }
    if (!wait_for(call, entry.host.get(), events)) {
      errno = EINTR;
      return -1;
    }
  }
}

}  // namespace tern::wasi
