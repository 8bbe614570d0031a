// A listening socket handed over by the host (fd 4, after the preopen). The host connected one
// client before the run and sent "ping!!"; the guest accepts, reads, answers "pong" and shuts
// its side down; the host then checks what arrived.
#include "check.h"

#define LISTENER 4

static __wasi_size_t recv_into(__wasi_fd_t fd, char* buf, size_t len, __wasi_riflags_t flags,
                               __wasi_errno_t* err) {
  __wasi_iovec_t iov = {(uint8_t*)buf, len};
  __wasi_size_t n = 0;
  __wasi_roflags_t ro = 0xffff;
  *err = __wasi_sock_recv(fd, &iov, 1, flags, &n, &ro);
  EXPECT(*err != 0 || ro == 0);
  return n;
}

int main(void) {
  __wasi_fdstat_t st;
  EXPECT_OK(__wasi_fd_fdstat_get(LISTENER, &st));
  EXPECT(st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM &&
         (st.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT));
  __wasi_fd_t conn = 999, other;
  EXPECT_ERRNO(__wasi_sock_accept(LISTENER, __WASI_FDFLAGS_APPEND, &conn), __WASI_ERRNO_INVAL);
  EXPECT_ERRNO(__wasi_sock_accept(1, 0, &other), __WASI_ERRNO_NOTCAPABLE);
  // The flags are the new descriptor's.
  EXPECT_OK(__wasi_sock_accept(LISTENER, __WASI_FDFLAGS_NONBLOCK, &conn));
  EXPECT(conn != 999);
  EXPECT_OK(__wasi_fd_fdstat_get(conn, &st));
  EXPECT(st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM && st.fs_flags == __WASI_FDFLAGS_NONBLOCK);
  EXPECT(!(st.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT));
  EXPECT_OK(__wasi_fd_fdstat_set_flags(conn, 0));
  // No second client: a non-blocking listener has nothing to hand out.
  EXPECT_OK(__wasi_fd_fdstat_set_flags(LISTENER, __WASI_FDFLAGS_NONBLOCK));
  EXPECT_ERRNO(__wasi_sock_accept(LISTENER, 0, &other), __WASI_ERRNO_AGAIN);

  char buf[16] = {0};
  __wasi_errno_t err;
  __wasi_size_t n = recv_into(conn, buf, 4, __WASI_RIFLAGS_RECV_WAITALL, &err);
  EXPECT(err == 0 && n == 4 && memcmp(buf, "ping", 4) == 0);
  n = recv_into(conn, buf, 2, __WASI_RIFLAGS_RECV_PEEK | __WASI_RIFLAGS_RECV_WAITALL, &err);
  EXPECT(err == 0 && n == 2 && memcmp(buf, "!!", 2) == 0);
  memset(buf, 0, sizeof buf);
  n = recv_into(conn, buf, sizeof buf, 0, &err);  // the peeked bytes are still there
  EXPECT(err == 0 && n == 2 && memcmp(buf, "!!", 2) == 0);
  recv_into(conn, buf, sizeof buf, 4, &err);
  EXPECT_ERRNO(err, __WASI_ERRNO_INVAL);

  __wasi_ciovec_t out[2] = {{(const uint8_t*)"po", 2}, {(const uint8_t*)"ng", 2}};
  EXPECT_OK(__wasi_sock_send(conn, out, 2, 0, &n));
  EXPECT(n == 4);
  EXPECT_ERRNO(__wasi_sock_shutdown(conn, 0), __WASI_ERRNO_INVAL);
  EXPECT_ERRNO(__wasi_sock_shutdown(conn, 4), __WASI_ERRNO_INVAL);
  EXPECT_OK(__wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR));
  EXPECT_ERRNO(__wasi_sock_send(conn, out, 1, 0, &n), __WASI_ERRNO_PIPE);
  // Socket calls on what is not a socket.
  EXPECT_ERRNO(__wasi_sock_shutdown(SANDBOX_FD, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO(__wasi_sock_recv(77, NULL, 0, 0, &n, NULL), __WASI_ERRNO_BADF);
  EXPECT_OK(__wasi_fd_close(conn));
  return finish("sockets");
}
