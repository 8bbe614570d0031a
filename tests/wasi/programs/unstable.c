// The differences of the older `wasi_unstable` module, called side by side with preview1:
// fd_seek's whence order, the 56-byte filestat with a u32 nlink, and the 56-byte subscription
// whose clock record starts with an identifier.
#include <stdint.h>

#include "check.h"

#define UNSTABLE "wasi_unstable"
WASI_IMPORT(UNSTABLE, "fd_seek")
int32_t u_fd_seek(int32_t fd, int64_t offset, int32_t whence, uint32_t newoffset);
WASI_IMPORT(UNSTABLE, "fd_filestat_get")
int32_t u_fd_filestat_get(int32_t fd, uint32_t out);
WASI_IMPORT(UNSTABLE, "path_filestat_get")
int32_t u_path_filestat_get(int32_t fd, int32_t flags, uint32_t path, uint32_t path_len,
                            uint32_t out);
WASI_IMPORT(UNSTABLE, "poll_oneoff")
int32_t u_poll_oneoff(uint32_t in, uint32_t out, uint32_t n, uint32_t nevents);
WASI_IMPORT(UNSTABLE, "fd_write")
int32_t u_fd_write(int32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nwritten);

#define ADDR(p) ((uint32_t)(uintptr_t)(p))

static uint64_t u64_at(const uint8_t* p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}
static uint32_t u32_at(const uint8_t* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

int main(void) {
  __wasi_errno_t err;
  write_file(SANDBOX_FD, "ten", "0123456789");
  __wasi_fd_t fd = open_at(SANDBOX_FD, "ten", 0, ALL_RIGHTS, 0, &err);
  EXPECT_OK(err);
  uint64_t pos = 0;
  // unstable whence: cur=0, end=1, set=2.
  EXPECT_OK(u_fd_seek(fd, 4, 2, ADDR(&pos)));
  EXPECT(pos == 4);
  EXPECT_OK(u_fd_seek(fd, 3, 0, ADDR(&pos)));
  EXPECT(pos == 7);
  EXPECT_OK(u_fd_seek(fd, -2, 1, ADDR(&pos)));
  EXPECT(pos == 8);
  EXPECT_ERRNO(u_fd_seek(fd, 0, 3, ADDR(&pos)), __WASI_ERRNO_INVAL);
  // The same numbers through preview1 mean set=0, cur=1, end=2.
  __wasi_filesize_t p1;
  EXPECT_OK(__wasi_fd_seek(fd, 4, 0, &p1));
  EXPECT(p1 == 4);
  EXPECT_OK(__wasi_fd_seek(fd, -1, 2, &p1));
  EXPECT(p1 == 9);

  // filestat: dev@0 ino@8 filetype@16 nlink(u32)@20 size@24 atim@32 mtim@40 ctim@48, 56 bytes.
  __wasi_filestat_t ref;
  EXPECT_OK(__wasi_fd_filestat_get(fd, &ref));
  uint8_t buf[72];
  memset(buf, 0xee, sizeof buf);
  EXPECT_OK(u_fd_filestat_get(fd, ADDR(buf)));
  EXPECT(u64_at(buf) == ref.dev && u64_at(buf + 8) == ref.ino &&
         buf[16] == __WASI_FILETYPE_REGULAR_FILE);
  EXPECT(u32_at(buf + 20) == 1 && u64_at(buf + 24) == 10);
  EXPECT(u64_at(buf + 32) == ref.atim && u64_at(buf + 40) == ref.mtim &&
         u64_at(buf + 48) == ref.ctim);
  EXPECT(buf[56] == 0xee && buf[63] == 0xee);  // nothing past 56 bytes
  memset(buf, 0xee, sizeof buf);
  EXPECT_OK(u_path_filestat_get(SANDBOX_FD, 0, ADDR("ten"), 3, ADDR(buf)));
  EXPECT(u64_at(buf + 8) == ref.ino && u64_at(buf + 24) == 10 && buf[56] == 0xee);
  // A 56-byte filestat ending exactly at the end of memory fits; one byte later does not.
  uint32_t mem_end = (uint32_t)(__builtin_wasm_memory_size(0) * 65536u);
  EXPECT_OK(u_fd_filestat_get(fd, mem_end - 56));
  EXPECT_ERRNO(u_fd_filestat_get(fd, mem_end - 55), __WASI_ERRNO_FAULT);
  EXPECT_ERRNO(__wasi_fd_filestat_get(fd, (__wasi_filestat_t*)(uintptr_t)(mem_end - 56)),
               __WASI_ERRNO_FAULT);
  EXPECT_OK(__wasi_fd_close(fd));

  // subscription: userdata@0 tag@8, clock: identifier@16 id@24 timeout@32 precision@40
  // flags@48, 56 bytes each. Two of them: a long one and a short one that must fire.
  uint8_t subs[112];
  memset(subs, 0, sizeof subs);
  for (int i = 0; i < 2; ++i) {
    uint8_t* s = subs + 56 * i;
    uint64_t userdata = 100 + i, ident = 0xdeadbeef, timeout = i == 0 ? 60000000000ull : 1000000;
    uint32_t clock = __WASI_CLOCKID_MONOTONIC;
    memcpy(s, &userdata, 8);
    s[8] = __WASI_EVENTTYPE_CLOCK;
    memcpy(s + 16, &ident, 8);
    memcpy(s + 24, &clock, 4);
    memcpy(s + 32, &timeout, 8);
  }
  uint8_t events[64];
  uint32_t nevents = 0;
  EXPECT_OK(u_poll_oneoff(ADDR(subs), ADDR(events), 2, ADDR(&nevents)));
  EXPECT(nevents == 1 && u64_at(events) == 101 && events[10] == __WASI_EVENTTYPE_CLOCK);

  // Shared calls behave as in preview1.
  __wasi_ciovec_t iov = {(const uint8_t*)"unstable ok\n", 12};
  uint32_t written = 0;
  EXPECT_OK(u_fd_write(1, ADDR(&iov), 1, ADDR(&written)));
  EXPECT(written == 12);
  return finish("unstable");
}
