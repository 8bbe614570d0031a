// sock_*: the listening sockets from Config::listen_fds and the connections they accept.
#include <errno.h>
#include <sys/socket.h>

#include "wasi/blocking.h"
#include "wasi/context.h"

namespace tern::wasi {

namespace {

// The socket `fd` with `needed` rights. What is not a socket is `notsock` whatever its rights
// (as wasmtime and wasi-testsuite's sock_shutdown case expect).
Errno get_socket(Call& call, uint32_t fd, Rights needed, FdEntry*& out) {
  WASI_TRY(call.ctx.get(fd, 0, out));
  if (out->type != Filetype::socket_stream && out->type != Filetype::socket_dgram)
    return Errno::notsock;
  return call.ctx.get(fd, needed, out);
}

// Drops the first `n` bytes from msg's buffers; false when none are left.
bool consume(struct msghdr& msg, size_t n) {
  while (msg.msg_iovlen > 0 && n >= msg.msg_iov->iov_len) {
    n -= msg.msg_iov->iov_len;
    ++msg.msg_iov;
    --msg.msg_iovlen;
  }
  if (msg.msg_iovlen == 0) return false;
  msg.msg_iov->iov_base = static_cast<char*>(msg.msg_iov->iov_base) + n;
  msg.msg_iov->iov_len -= n;
  return true;
}

}  // namespace

namespace fn {

Errno sock_accept(Call& call, uint32_t fd, uint32_t flags, uint32_t opened_fd_ptr) {
  FdEntry* listener;
  WASI_TRY(get_socket(call, fd, right::sock_accept, listener));
  if (flags & ~uint32_t(fdflag::nonblock)) return Errno::inval;
  if (!call.mem.fits(opened_fd_ptr, 4)) return Errno::fault;  // before a connection is taken
  // Non-blocking on the host whatever the guest asked: the connection is private (WaitMode).
  int conn = int(run_blocking(call, *listener, POLLIN, [&] {
    return accept4(listener->host.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
  }));
  if (conn < 0) return os::from_errno(errno);
  FdEntry e;
  e.host = os::UniqueFd(conn);
  e.type = Filetype::socket_stream;
  e.base = right::kSocket & ~right::sock_accept;
  prepare_waits(e, true);
  e.guest_nonblocking = flags & fdflag::nonblock;
  uint32_t guest_fd;
  if (!call.ctx.insert(std::move(e), guest_fd)) return Errno::mfile;
  return store_u32(call.mem, opened_fd_ptr, guest_fd);
}

Errno sock_recv(Call& call, uint32_t fd, uint32_t ri_data, uint32_t ri_data_len, uint32_t ri_flags,
                uint32_t ro_datalen_ptr, uint32_t ro_flags_ptr) {
  FdEntry* sock;
  WASI_TRY(get_socket(call, fd, right::fd_read, sock));
  if (ri_flags & ~uint32_t(kRecvPeek | kRecvWaitall)) return Errno::inval;
  if (!call.mem.fits(ro_datalen_ptr, 4) || !call.mem.fits(ro_flags_ptr, 2)) return Errno::fault;
  std::vector<struct iovec> iov;
  WASI_TRY(read_iovecs(call.mem, ri_data, ri_data_len, iov));
  struct msghdr msg = {};
  msg.msg_iov = iov.data();
  msg.msg_iovlen = iov.size();
  int flags =
      ((ri_flags & kRecvPeek) ? MSG_PEEK : 0) | ((ri_flags & kRecvWaitall) ? MSG_WAITALL : 0);
  // A non-blocking socket returns what has arrived even with MSG_WAITALL: gather until the
  // buffers are full or the stream ends, as a blocking receive would.
  const bool gather = (flags == MSG_WAITALL) && !sock->guest_nonblocking;
  size_t total = 0;
  for (;;) {
    ssize_t n =
        run_blocking(call, *sock, POLLIN, [&] { return recvmsg(sock->host.get(), &msg, flags); });
    if (n < 0 && (total == 0 || call.trap)) return os::from_errno(errno);
    if (n <= 0) break;
    total += size_t(n);
    if (!gather || !consume(msg, size_t(n))) break;
  }
  call.mem.store(ro_datalen_ptr, uint32_t(total));
  call.mem.store(ro_flags_ptr, uint16_t((msg.msg_flags & MSG_TRUNC) ? kRecvDataTruncated : 0));
  return Errno::success;
}

Errno sock_send(Call& call, uint32_t fd, uint32_t si_data, uint32_t si_data_len,
                uint32_t /*si_flags: none defined*/, uint32_t so_datalen_ptr) {
  FdEntry* sock;
  WASI_TRY(get_socket(call, fd, right::fd_write, sock));
  if (!call.mem.fits(so_datalen_ptr, 4)) return Errno::fault;
  std::vector<struct iovec> iov;
  WASI_TRY(read_iovecs(call.mem, si_data, si_data_len, iov));
  struct msghdr msg = {};
  msg.msg_iov = iov.data();
  msg.msg_iovlen = iov.size();
  ssize_t n = run_blocking(call, *sock, POLLOUT,
                           [&] { return sendmsg(sock->host.get(), &msg, MSG_NOSIGNAL); });
  if (n < 0) return os::from_errno(errno);
  return store_u32(call.mem, so_datalen_ptr, uint32_t(n));
}

Errno sock_shutdown(Call& call, uint32_t fd, uint32_t how) {
  FdEntry* sock;
  WASI_TRY(get_socket(call, fd, right::sock_shutdown, sock));
  int host_how;
  switch (how) {
    case kShutRd:
      host_how = SHUT_RD;
      break;
    case kShutWr:
      host_how = SHUT_WR;
      break;
    case kShutRd | kShutWr:
      host_how = SHUT_RDWR;
      break;
    default:
      return Errno::inval;
  }
  if (shutdown(sock->host.get(), host_how) != 0) return os::from_errno(errno);
  return Errno::success;
}

}  // namespace fn
}  // namespace tern::wasi
