// Shared by the WASI test programs: checks that print what failed and a summary line, and
// raw imports for calls wasi-libc does not expose the way a test needs.
#pragma once

#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static int g_checks, g_failures;

#define EXPECT(cond)                                         \
  do {                                                       \
    ++g_checks;                                              \
    if (!(cond)) {                                           \
      ++g_failures;                                          \
      printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    }                                                        \
  } while (0)

// A __wasi_* call's errno must be `want`.
#define EXPECT_ERRNO(call, want)                                                       \
  do {                                                                                 \
    ++g_checks;                                                                        \
    __wasi_errno_t got_ = (call);                                                      \
    if (got_ != (want)) {                                                              \
      ++g_failures;                                                                    \
      printf("FAIL %s:%d: %s returned %d, want %d\n", __FILE__, __LINE__, #call, got_, \
             (int)(want));                                                             \
    }                                                                                  \
  } while (0)
#define EXPECT_OK(call) EXPECT_ERRNO(call, __WASI_ERRNO_SUCCESS)

static inline int finish(const char* name) {
  printf("%s: %d checks, %d failures\n", name, g_checks, g_failures);
  return g_failures ? 1 : 0;
}

// The scratch directory the test preopens first ("/sandbox").
#define SANDBOX_FD 3

// Every file and directory right (what a preopen passes on); socket rights are not among them.
#define ALL_RIGHTS ((__wasi_rights_t)0x0fffffff)

static inline __wasi_fd_t open_at(__wasi_fd_t dir, const char* path, __wasi_oflags_t oflags,
                                  __wasi_rights_t rights, __wasi_fdflags_t fdflags,
                                  __wasi_errno_t* err) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  *err = __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, oflags, rights, rights,
                          fdflags, &fd);
  return fd;
}

// The directory `path` beneath `dir`, with every right but fd_write (asking for it on a
// directory is `isdir`, as in wasmtime and wasi-testsuite) and every right to pass on.
static inline __wasi_fd_t open_dir_at(__wasi_fd_t dir, const char* path, __wasi_errno_t* err) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  *err = __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, __WASI_OFLAGS_DIRECTORY,
                          ALL_RIGHTS & ~__WASI_RIGHTS_FD_WRITE, ALL_RIGHTS, 0, &fd);
  return fd;
}

static inline void write_file(__wasi_fd_t dir, const char* path, const char* text) {
  __wasi_errno_t err;
  __wasi_fd_t fd =
      open_at(dir, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, ALL_RIGHTS, 0, &err);
  EXPECT(err == 0);
  if (err) return;
  __wasi_ciovec_t iov = {(const uint8_t*)text, strlen(text)};
  __wasi_size_t n = 0;
  EXPECT_OK(__wasi_fd_write(fd, &iov, 1, &n));
  EXPECT(n == strlen(text));
  EXPECT_OK(__wasi_fd_close(fd));
}

// A raw import, for calls whose wasi-libc wrapper would compute lengths or check pointers.
#define WASI_IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
