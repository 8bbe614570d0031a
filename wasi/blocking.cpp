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

bool may_block(Filetype type) {
  return type != Filetype::regular_file && type != Filetype::directory &&
         type != Filetype::block_device && type != Filetype::symbolic_link;
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
