#include "wasi/blocking.h"

#include <fcntl.h>

#include <chrono>

namespace tern::wasi {

bool wait_for(Call& call, int fd, short events, std::optional<uint64_t> timeout_ns) {
  struct pollfd entry = {fd, events, 0};
  std::span<struct pollfd> fds(&entry, fd >= 0 ? 1 : 0);
  std::optional<std::chrono::nanoseconds> timeout;
  if (timeout_ns) timeout = std::chrono::nanoseconds(*timeout_ns);
  Result<int> r = call.caller.wait(fds, timeout);
  if (r.ok()) return true;
  call.trap = r.take_error();
  return false;
}

void prepare_waits(FdEntry& entry, bool private_description) {
  const int fd = entry.host.get();
  const int flags = fcntl(fd, F_GETFL);
  entry.guest_nonblocking = flags >= 0 && (flags & O_NONBLOCK);
  if (entry.type == Filetype::regular_file || entry.type == Filetype::directory ||
      entry.type == Filetype::block_device || entry.type == Filetype::symbolic_link || flags < 0) {
    entry.wait_mode = WaitMode::never;
    return;
  }
  entry.wait_mode = WaitMode::nonblocking;
  if (private_description) {
    if (!(flags & O_NONBLOCK) && fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0)
      entry.wait_mode = WaitMode::toggle;
    return;
  }
  if (entry.type != Filetype::socket_stream && entry.type != Filetype::socket_dgram) {
    // The same access mode: a pipe's read end reopened for writing too would never see EOF.
    int reopened = open(os::fd_path(fd).c_str(),
                        (flags & (O_ACCMODE | O_APPEND)) | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (reopened >= 0) {
      entry.host = os::UniqueFd(reopened);
      return;
    }
  }
  entry.wait_mode = WaitMode::toggle;
}

NonblockingAttempt::NonblockingAttempt(int fd) : fd_(fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || (flags & O_NONBLOCK)) return;
  if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0) saved_flags_ = flags;
}

NonblockingAttempt::~NonblockingAttempt() {
  if (saved_flags_ >= 0) fcntl(fd_, F_SETFL, saved_flags_);
}

}  // namespace tern::wasi
