// Guest pointers and lengths out of the linear memory: every call answers `fault` (21) and
// neither writes past the end nor acts (no file created, no bytes consumed, no seek).
#include <stdint.h>

#include "check.h"

#define P1 "wasi_snapshot_preview1"
WASI_IMPORT(P1, "path_open")
int32_t raw_path_open(int32_t fd, int32_t dirflags, uint32_t path, uint32_t path_len,
                      int32_t oflags, int64_t base, int64_t inheriting, int32_t fdflags,
                      uint32_t fd_out);
WASI_IMPORT(P1, "path_create_directory")
int32_t raw_path_create_directory(int32_t fd, uint32_t path, uint32_t path_len);
WASI_IMPORT(P1, "path_readlink")
int32_t raw_path_readlink(int32_t fd, uint32_t path, uint32_t path_len, uint32_t buf,
                          uint32_t buf_len, uint32_t used);
WASI_IMPORT(P1, "path_symlink")
int32_t raw_path_symlink(uint32_t old_path, uint32_t old_len, int32_t fd, uint32_t new_path,
                         uint32_t new_len);
WASI_IMPORT(P1, "path_filestat_get")
int32_t raw_path_filestat_get(int32_t fd, int32_t flags, uint32_t path, uint32_t path_len,
                              uint32_t out);

#define FAULT __WASI_ERRNO_FAULT
#define PTR(x) ((void*)(uintptr_t)(x))

static uint32_t mem_end;  // one past the last byte of linear memory

// The last 16 bytes of memory hold a pattern no call may disturb.
static void arm_canary(void) {
  memset(PTR(mem_end - 16), 0x5a, 16);
}
static int canary_intact(void) {
  const uint8_t* p = PTR(mem_end - 16);
  for (int i = 0; i < 16; ++i)
    if (p[i] != 0x5a) return 0;
  return 1;
}

int main(void) {
  mem_end = (uint32_t)(__builtin_wasm_memory_size(0) * 65536u);
  arm_canary();
  const uint32_t near_end = mem_end - 2;  // 2 bytes left: any u32/u64 store overruns

  __wasi_size_t n;
  EXPECT_ERRNO(__wasi_args_sizes_get(PTR(near_end), &n), FAULT);
  EXPECT_ERRNO(__wasi_args_sizes_get(&n, PTR(0xfffffffe)), FAULT);
  char* ptrs[8];
  EXPECT_ERRNO(__wasi_args_get(PTR(near_end), (uint8_t*)PTR(mem_end - 100)), FAULT);
  EXPECT_ERRNO(__wasi_args_get((uint8_t**)ptrs, (uint8_t*)PTR(mem_end - 1)), FAULT);
  EXPECT_ERRNO(__wasi_environ_sizes_get(&n, PTR(mem_end)), FAULT);
  EXPECT_ERRNO(__wasi_environ_get((uint8_t**)PTR(0xffffffff), (uint8_t*)ptrs), FAULT);
  EXPECT_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, PTR(mem_end - 4)), FAULT);
  EXPECT_ERRNO(__wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, PTR(mem_end - 7)), FAULT);
  EXPECT_ERRNO(__wasi_random_get(PTR(mem_end - 10), 20), FAULT);
  EXPECT_ERRNO(__wasi_random_get(PTR(0xffffffff), 2), FAULT);
  EXPECT(canary_intact());

  // Descriptor calls.
  __wasi_errno_t err;
  write_file(SANDBOX_FD, "data", "abcdef");
  __wasi_fd_t fd = open_at(SANDBOX_FD, "data", 0, ALL_RIGHTS, 0, &err);
  EXPECT_ERRNO(__wasi_fd_fdstat_get(fd, PTR(mem_end - 4)), FAULT);
  EXPECT_ERRNO(__wasi_fd_filestat_get(fd, PTR(mem_end - 10)), FAULT);
  EXPECT_ERRNO(__wasi_fd_prestat_get(SANDBOX_FD, PTR(mem_end - 4)), FAULT);
  EXPECT_ERRNO(__wasi_fd_prestat_dir_name(SANDBOX_FD, PTR(mem_end - 3), 8), FAULT);
  __wasi_filesize_t pos;
  EXPECT_ERRNO(__wasi_fd_seek(fd, 3, __WASI_WHENCE_SET, PTR(near_end)), FAULT);
  EXPECT_OK(__wasi_fd_tell(fd, &pos));
  EXPECT(pos == 0);  // the faulting seek did not move
  EXPECT_ERRNO(__wasi_fd_tell(fd, PTR(mem_end)), FAULT);
  // iovec arrays out of range, iovecs pointing out of range, lengths that wrap around.
  EXPECT_ERRNO(__wasi_fd_read(fd, PTR(mem_end - 4), 1, &n), FAULT);
  EXPECT_ERRNO(__wasi_fd_read(fd, PTR(16), 0x20000000, &n), FAULT);
  __wasi_iovec_t bad[2] = {{(uint8_t*)ptrs, 4}, {(uint8_t*)PTR(mem_end - 2), 4}};
  EXPECT_ERRNO(__wasi_fd_read(fd, bad, 2, &n), FAULT);
  __wasi_iovec_t wrap = {(uint8_t*)PTR(mem_end - 1), 0xffffffff};
  EXPECT_ERRNO(__wasi_fd_read(fd, &wrap, 1, &n), FAULT);
  __wasi_iovec_t ok = {(uint8_t*)ptrs, 4};
  EXPECT_ERRNO(__wasi_fd_read(fd, &ok, 1, PTR(near_end)), FAULT);
  EXPECT_ERRNO(__wasi_fd_pread(fd, bad, 2, 0, &n), FAULT);
  EXPECT_OK(__wasi_fd_tell(fd, &pos));
  EXPECT(pos == 0);  // nothing was consumed by the faulting reads
  __wasi_ciovec_t cbad = {(const uint8_t*)PTR(0xfffffff0), 0x20};
  EXPECT_ERRNO(__wasi_fd_write(fd, &cbad, 1, &n), FAULT);
  EXPECT_ERRNO(__wasi_fd_pwrite(fd, &cbad, 1, 0, &n), FAULT);
  EXPECT_ERRNO(__wasi_fd_write(1, PTR(0xfffffffc), 1, &n), FAULT);
  __wasi_filestat_t st;
  EXPECT_OK(__wasi_fd_filestat_get(fd, &st));
  EXPECT(st.size == 6);  // nothing was written
  uint8_t dbuf[64];
  EXPECT_ERRNO(__wasi_fd_readdir(SANDBOX_FD, PTR(mem_end - 8), 64, 0, &n), FAULT);
  EXPECT_ERRNO(__wasi_fd_readdir(SANDBOX_FD, dbuf, sizeof dbuf, 0, PTR(mem_end - 1)), FAULT);
  EXPECT_OK(__wasi_fd_close(fd));

  // Path calls: the path itself, and the result pointers.
  static const char name[] = "newfile";
  EXPECT_ERRNO(raw_path_open(SANDBOX_FD, 0, mem_end - 3, 7, __WASI_OFLAGS_CREAT, ALL_RIGHTS, 0, 0,
                             (uint32_t)(uintptr_t)&n),
               FAULT);
  EXPECT_ERRNO(raw_path_open(SANDBOX_FD, 0, (uint32_t)(uintptr_t)name, 7, __WASI_OFLAGS_CREAT,
                             ALL_RIGHTS, 0, 0, near_end),
               FAULT);
  EXPECT_ERRNO(__wasi_path_filestat_get(SANDBOX_FD, 0, "newfile", &st), __WASI_ERRNO_NOENT);
  EXPECT_ERRNO(raw_path_create_directory(SANDBOX_FD, 0xfffffff0, 0x20), FAULT);
  EXPECT_ERRNO(raw_path_create_directory(SANDBOX_FD, (uint32_t)(uintptr_t)name, 0xffffffff), FAULT);
  EXPECT_ERRNO(raw_path_filestat_get(SANDBOX_FD, 0, (uint32_t)(uintptr_t) "data", 4, mem_end - 32),
               FAULT);
  EXPECT_OK(__wasi_path_symlink("data", SANDBOX_FD, "link"));
  EXPECT_ERRNO(raw_path_readlink(SANDBOX_FD, (uint32_t)(uintptr_t) "link", 4, mem_end - 2, 4,
                                 (uint32_t)(uintptr_t)&n),
               FAULT);
  EXPECT_ERRNO(raw_path_readlink(SANDBOX_FD, (uint32_t)(uintptr_t) "link", 4,
                                 (uint32_t)(uintptr_t)dbuf, 4, mem_end),
               FAULT);
  EXPECT_ERRNO(raw_path_symlink(mem_end - 1, 5, SANDBOX_FD, (uint32_t)(uintptr_t) "s", 1), FAULT);
  EXPECT_ERRNO(__wasi_path_filestat_get(SANDBOX_FD, 0, "s", &st), __WASI_ERRNO_NOENT);

  // poll_oneoff: subscriptions, events and the count.
  __wasi_subscription_t sub;
  memset(&sub, 0, sizeof sub);
  sub.u.tag = __WASI_EVENTTYPE_CLOCK;
  sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  __wasi_event_t ev[2];
  EXPECT_ERRNO(__wasi_poll_oneoff(PTR(mem_end - 40), ev, 1, &n), FAULT);
  EXPECT_ERRNO(__wasi_poll_oneoff(&sub, PTR(mem_end - 16), 1, &n), FAULT);
  EXPECT_ERRNO(__wasi_poll_oneoff(&sub, ev, 0xffffffff, &n), FAULT);
  EXPECT_ERRNO(__wasi_poll_oneoff(&sub, ev, 1, PTR(near_end)), FAULT);
  EXPECT(canary_intact());
  return finish("faults");
}
