// A line echo server on the listening socket `tern run --listen` hands over (fd 4, after the
// /sandbox preopen). One client connects and sends a line; the guest accepts it, reads the line
// (first by exact length, then peeking), sends it back in two pieces, shuts its side down and
// waits for the client to close; the client checks the echo. The error paths of sock_accept,
// sock_recv, sock_send and sock_shutdown are checked on the way.
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

// Reads up to and including '\n' into `line`; returns its length.
static size_t recv_line(__wasi_fd_t conn, char* line, size_t cap) {
  size_t len = 0;
  __wasi_errno_t err = 0;
  // The first bytes with WAITALL, then a peek at the next two that a read must return again.
  len = recv_into(conn, line, 4, __WASI_RIFLAGS_RECV_WAITALL, &err);
  EXPECT(err == 0 && len == 4);
  char peeked[2];
  __wasi_size_t n =
      recv_into(conn, peeked, 2, __WASI_RIFLAGS_RECV_PEEK | __WASI_RIFLAGS_RECV_WAITALL, &err);
  EXPECT(err == 0 && n == 2);
  n = recv_into(conn, line + len, 2, __WASI_RIFLAGS_RECV_WAITALL, &err);
  EXPECT(err == 0 && n == 2 && memcmp(line + len, peeked, 2) == 0);
  len += n;
  while (err == 0 && len < cap && memchr(line, '\n', len) == NULL) {
    n = recv_into(conn, line + len, cap - len, 0, &err);
    EXPECT(err == 0 && n > 0);
    if (n == 0) break;
    len += n;
  }
  EXPECT(len > 0 && line[len - 1] == '\n');
  return len;
}

int main(void) {
  __wasi_fdstat_t st;
  EXPECT_OK(__wasi_fd_fdstat_get(LISTENER, &st));
  EXPECT(st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM &&
         (st.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT));
  __wasi_fd_t conn = 999, other;
  EXPECT_ERRNO(__wasi_sock_accept(LISTENER, __WASI_FDFLAGS_APPEND, &conn), __WASI_ERRNO_INVAL);
  // What is not a socket is notsock before any right is checked (as wasi-testsuite expects).
  EXPECT_ERRNO(__wasi_sock_accept(1, 0, &other), __WASI_ERRNO_NOTSOCK);
  // Blocks until the client connects; the flags are the new descriptor's.
  EXPECT_OK(__wasi_sock_accept(LISTENER, __WASI_FDFLAGS_NONBLOCK, &conn));
  EXPECT(conn != 999);
  EXPECT_OK(__wasi_fd_fdstat_get(conn, &st));
  EXPECT(st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM && st.fs_flags == __WASI_FDFLAGS_NONBLOCK);
  EXPECT(!(st.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT));
  EXPECT_OK(__wasi_fd_fdstat_set_flags(conn, 0));
  // The client connects once: a non-blocking listener has nothing more to hand out.
  EXPECT_OK(__wasi_fd_fdstat_set_flags(LISTENER, __WASI_FDFLAGS_NONBLOCK));
  EXPECT_ERRNO(__wasi_sock_accept(LISTENER, 0, &other), __WASI_ERRNO_AGAIN);

  char line[256];
  size_t len = recv_line(conn, line, sizeof line);
  __wasi_errno_t err;
  recv_into(conn, line, sizeof line, 4, &err);  // 4 is no riflag
  EXPECT_ERRNO(err, __WASI_ERRNO_INVAL);

  size_t half = len / 2;
  __wasi_ciovec_t out[2] = {{(const uint8_t*)line, half},
                            {(const uint8_t*)line + half, len - half}};
  __wasi_size_t n = 0;
  EXPECT_OK(__wasi_sock_send(conn, out, 2, 0, &n));
  EXPECT(n == len);
  EXPECT_ERRNO(__wasi_sock_shutdown(conn, 0), __WASI_ERRNO_INVAL);
  EXPECT_ERRNO(__wasi_sock_shutdown(conn, 4), __WASI_ERRNO_INVAL);
  EXPECT_OK(__wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR));
  EXPECT_ERRNO(__wasi_sock_send(conn, out, 1, 0, &n), __WASI_ERRNO_PIPE);
  // The client closes once it has read the echo to the end: then recv reports end of stream.
  char rest[8];
  n = recv_into(conn, rest, sizeof rest, 0, &err);
  EXPECT(err == 0 && n == 0);

  // Socket calls on what is not a socket, or not open.
  EXPECT_ERRNO(__wasi_sock_shutdown(SANDBOX_FD, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
  EXPECT_ERRNO(__wasi_sock_recv(77, NULL, 0, 0, &n, NULL), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_sock_send(77, out, 1, 0, &n), __WASI_ERRNO_BADF);
  EXPECT_OK(__wasi_fd_close(conn));
  EXPECT_ERRNO(__wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR), __WASI_ERRNO_BADF);
  return finish("echo_server");
}
